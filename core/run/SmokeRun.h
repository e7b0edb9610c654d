#pragma once

#include "run/CheckRun.h"

#include <QDeadlineTimer>
#include <QTimer>
#include <memory>
#include <optional>

namespace okh {

// A smoke check (`okhealth-check run`, the desktop's Run Smoke Check): every check of a
// deployment once, now; with a deadline (--wait-ready), whole rounds again, a second apart,
// until every gating check is healthy or the deadline passes. The probes share the caller's
// environment (the CLI's own connection, or the desktop's monitor's tunnel).
class SmokeRun : public QObject
{
    Q_OBJECT
public:
    SmokeRun(DeploymentSpec deployment, ProbeEnvironment environment, std::optional<QDeadlineTimer> waitReady,
             QObject* parent = nullptr);
    ~SmokeRun() override;

    void start();
    // Stops at once: no further signal; finished() is not emitted.
    void cancel();
    int round() const { return m_round; }

Q_SIGNALS:
    // Checks done of the current round (1-based).
    void progress(int round, int done, int total);
    // A round ended with gating checks not healthy, and another follows (waiting for
    // readiness); `remaining` of the deadline is left.
    void waiting(const okh::RunReport& report, int notHealthy, std::chrono::milliseconds remaining);
    void finished(const okh::RunReport& report);

private:
    void startRound();
    void onRoundFinished(const RunReport& report);

    DeploymentSpec m_deployment;
    ProbeEnvironment m_environment;
    std::optional<QDeadlineTimer> m_deadline;
    std::unique_ptr<CheckRun> m_run;
    QTimer m_pause;
    int m_round = 0;
};

} // namespace okh
