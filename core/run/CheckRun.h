#pragma once

#include "RunReport.h"
#include "probes/ProbeFactory.h"

#include <QElapsedTimer>
#include <QObject>
#include <memory>
#include <vector>

namespace okh {

class Probe;

// Runs every check of a deployment once, all in parallel, and reports when the last one is in.
class CheckRun : public QObject
{
    Q_OBJECT
public:
    CheckRun(DeploymentSpec deployment, ProbeEnvironment environment, QObject* parent = nullptr);
    ~CheckRun() override;

    void start();

Q_SIGNALS:
    // After each check's result: `done` of `total` are in (for progress bars).
    void progress(int done, int total);
    void finished(const okh::RunReport& report);

private:
    void onProbeFinished(int service, int check, ProbeResult result);

    DeploymentSpec m_deployment;
    ProbeEnvironment m_environment;
    RunReport m_report;
    std::vector<std::unique_ptr<Probe>> m_probes;
    QElapsedTimer m_clock;
    int m_pending = 0;
    quint64 m_tunnelGeneration = 0;
};

} // namespace okh
