#pragma once

#include "probes/ProbeTargets.h"

#include <QObject>
#include <QStringList>
#include <chrono>
#include <memory>

namespace okh {

class CeleryPingProbe;
class HeartbeatProbe;

// The editor's "Find workers": the Celery node names on a broker, for picking the worker name
// instead of guessing it (in a container it is celery@<container hostname>, not the service's
// name). A broadcast ping and listening for heartbeats run side by side: a busy worker that
// answers no ping in time still sends heartbeats, and one started with --without-heartbeat
// still answers.
class WorkerFinder : public QObject
{
    Q_OBJECT

public:
    WorkerFinder(const RedisTarget& broker, const QString& keyPrefix = {}, QObject* parent = nullptr);
    ~WorkerFinder() override;

    // finished() follows within `listen` plus a second.
    void start(std::chrono::milliseconds listen = std::chrono::milliseconds(3000));

Q_SIGNALS:
    // Sorted, each once. `problem`: why the broker could not be asked (no worker is no problem).
    void finished(const QStringList& workers, const QString& problem);

private:
    void probeFinished();

    RedisTarget m_broker;
    QString m_keyPrefix;
    std::unique_ptr<CeleryPingProbe> m_ping;
    std::unique_ptr<HeartbeatProbe> m_heartbeats;
    QStringList m_workers;
    QString m_problem;
    int m_pending = 0;
};

} // namespace okh
