#include "WorkerFinder.h"

#include "probes/CeleryPingProbe.h"
#include "probes/HeartbeatProbe.h"

namespace okh {

WorkerFinder::WorkerFinder(const RedisTarget& broker, const QString& keyPrefix, QObject* parent)
    : QObject(parent)
    , m_broker(broker)
    , m_keyPrefix(keyPrefix)
{ }

WorkerFinder::~WorkerFinder() = default;

void WorkerFinder::start(std::chrono::milliseconds listen)
{
    using std::chrono::milliseconds;
    CeleryPingTarget ping;
    ping.broker = m_broker;
    ping.keyPrefix = m_keyPrefix;
    ping.replyTimeout = std::min(listen, milliseconds(2000)); // replies come within milliseconds
    m_ping = std::make_unique<CeleryPingProbe>(ping, listen + milliseconds(1000));

    HeartbeatTarget heartbeats;
    heartbeats.broker = m_broker;
    heartbeats.keyPrefix = m_keyPrefix;
    heartbeats.listen = listen; // workers send one every 2 s
    m_heartbeats = std::make_unique<HeartbeatProbe>(heartbeats, listen + milliseconds(1000));

    m_pending = 2;
    connect(m_ping.get(), &Probe::finished, this, [this](const ProbeResult& result) {
        m_workers << m_ping->broadcastAnswers();
        // Anything but "no worker answered" is the broker's trouble: say so.
        if (result.status != ProbeStatus::Healthy && result.failure != FailureKind::NoReply)
            m_problem = result.summary;
        probeFinished();
    });
    connect(m_heartbeats.get(), &Probe::finished, this, [this](const ProbeResult& result) {
        const QString prefix = QStringLiteral("worker: ");
        for (const ProbeDetail& detail : result.details) {
            if (detail.key.startsWith(prefix))
                m_workers << detail.key.mid(prefix.size());
        }
        probeFinished();
    });
    m_ping->start();
    m_heartbeats->start();
}

void WorkerFinder::probeFinished()
{
    if (--m_pending > 0)
        return;
    m_workers.removeDuplicates();
    m_workers.sort();
    Q_EMIT finished(m_workers, m_workers.isEmpty() ? m_problem : QString());
}

} // namespace okh
