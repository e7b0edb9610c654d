#pragma once

#include "Probe.h"
#include "ProbeTargets.h"
#include "celery/WorkerEvent.h"
#include "redis/RedisConnection.h"

#include <QElapsedTimer>
#include <QMap>
#include <QTimer>

namespace okh {

// Passive worker presence: listens to the workers' heartbeat events on the broker (no request
// is sent to any worker) and reports who is alive, how long ago each was heard, its
// active/processed counts and software version.
class HeartbeatProbe : public Probe
{
    Q_OBJECT
public:
    HeartbeatProbe(HeartbeatTarget target, std::chrono::milliseconds timeout, QObject* parent = nullptr);

protected:
    void begin() override;
    void abort() override;
    ProbeResult timedOutResult() const override;

private:
    struct Heard
    {
        WorkerEvent last;
        qint64 receivedAtMs = 0; // on our monotonic clock: Celery's own rule uses receive time
        int events = 0;
    };
    void onReply(const RedisReply& reply);
    void conclude();
    bool allNamedWorkersHeard() const;

    HeartbeatTarget m_target;
    RedisConnection m_connection;
    QTimer m_listen;
    QElapsedTimer m_clock;
    QMap<QString, Heard> m_workers;
    int m_pendingReplies = 0;
};

} // namespace okh
