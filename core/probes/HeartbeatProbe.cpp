#include "HeartbeatProbe.h"

#include "celery/PidboxProtocol.h"
#include "redis/RedisFailure.h"
#include "util/Durations.h"
#include "util/HostPort.h"

namespace okh {

HeartbeatProbe::HeartbeatProbe(HeartbeatTarget target, std::chrono::milliseconds timeout, QObject* parent)
    : Probe(timeout, parent)
    , m_target(std::move(target))
{
    m_listen.setSingleShot(true);
    connect(&m_listen, &QTimer::timeout, this, &HeartbeatProbe::conclude);
    connect(&m_connection, &RedisConnection::reply, this, &HeartbeatProbe::onReply);
    connect(&m_connection, &RedisConnection::socketError, this,
            [this](QAbstractSocket::SocketError error, const QString& text) {
                if (!isFinished())
                    finish(RedisFailure::fromSocketError(formatHostPort(m_target.broker.host, m_target.broker.port),
                                                         error, text, m_target.broker.tls.enabled));
            });
    connect(&m_connection, &RedisConnection::protocolError, this, [this](const QString& text) {
        if (!isFinished())
            finish(RedisFailure::notRedis(formatHostPort(m_target.broker.host, m_target.broker.port),
                                          m_connection.receivedPrefix(), text));
    });
}

void HeartbeatProbe::begin()
{
    const RedisTarget& b = m_target.broker;
    if (b.host.isEmpty() || b.port == 0) {
        finish(ProbeResult::unknown(tr("no broker host or port configured")));
        return;
    }
    if (const auto auth = RedisConnection::authCommand(b); !auth.isEmpty()) {
        m_connection.send(auth);
        ++m_pendingReplies;
    }
    PidboxProtocol::Names names;
    names.db = b.db;
    names.keyPrefix = m_target.keyPrefix;
    names.eventExchange = m_target.eventExchange;
    // A dedicated connection: once subscribed it can do nothing else.
    m_connection.send({QByteArrayLiteral("PSUBSCRIBE"), PidboxProtocol::heartbeatPattern(names)});
    m_clock.start();
    if (const QString error = m_connection.connectToServer(b.host, b.port, proxy(), b.tls); !error.isEmpty()) {
        finish(ProbeResult::unknown(error));
        return;
    }
    if (isFinished()) // a TLS set-up the socket refused at once
        return;
    // The listen window starts when the broker confirms the subscription: time spent
    // connecting to an unreachable broker must not read as "no worker sent a heartbeat".
}

void HeartbeatProbe::abort()
{
    m_listen.stop();
    m_connection.close();
}

ProbeResult HeartbeatProbe::timedOutResult() const
{
    return ProbeResult::unhealthy(
        tr("the broker did not confirm the subscription within %1").arg(formatDuration(timeout())),
        tr("Set the check's timeout longer than its listen time."));
}

void HeartbeatProbe::onReply(const RedisReply& reply)
{
    if (isFinished())
        return;
    if (reply.isError()) {
        m_connection.close();
        finish(RedisFailure::fromErrorReply(formatHostPort(m_target.broker.host, m_target.broker.port), reply.text));
        return;
    }
    if (m_pendingReplies > 0 && reply.type == RedisReply::Type::Status) {
        --m_pendingReplies; // AUTH's OK
        return;
    }
    if (reply.type == RedisReply::Type::Array && !reply.elements.isEmpty()
        && reply.elements.at(0).text == "psubscribe") {
        m_listen.start(m_target.listen);
        return;
    }
    if (reply.type != RedisReply::Type::Array || reply.elements.size() != 4 || reply.elements.at(0).text != "pmessage")
        return;
    const auto event = WorkerEvent::parse(reply.elements.at(3).text);
    if (!event)
        return;
    Heard& heard = m_workers[event->hostname];
    heard.last = *event;
    heard.receivedAtMs = m_clock.elapsed();
    ++heard.events;
    if (!m_target.workers.isEmpty() && allNamedWorkersHeard())
        conclude();
}

bool HeartbeatProbe::allNamedWorkersHeard() const
{
    for (const auto& w : m_target.workers) {
        if (!m_workers.contains(w) || m_workers.value(w).last.type == QLatin1String("worker-offline"))
            return false;
    }
    return true;
}

void HeartbeatProbe::conclude()
{
    if (isFinished())
        return;
    m_listen.stop();
    m_connection.close();
    const qint64 now = m_clock.elapsed();
    QStringList alive;
    QStringList offline;
    for (auto it = m_workers.cbegin(); it != m_workers.cend(); ++it) {
        if (it->last.type == QLatin1String("worker-offline"))
            offline.append(it.key());
        else
            alive.append(it.key());
    }
    const QString listened = formatDuration(std::chrono::milliseconds(now));
    ProbeResult r;
    if (m_target.workers.isEmpty()) {
        r = alive.isEmpty()
            ? ProbeResult::unhealthy(tr("no worker heartbeat in %1").arg(listened),
                                     tr("No worker is running against this broker and database, or "
                                        "workers run with --without-heartbeat."))
                  .because(FailureKind::NoReply)
            : ProbeResult::healthy(
                tr("%n worker(s) alive: %1", nullptr, int(alive.size())).arg(alive.join(QStringLiteral(", "))));
    } else {
        QStringList missing;
        for (const auto& w : m_target.workers) {
            if (!alive.contains(w))
                missing.append(w);
        }
        if (missing.isEmpty()) {
            r = ProbeResult::healthy(tr("heartbeat from %1").arg(m_target.workers.join(QStringLiteral(", "))));
        } else {
            r = ProbeResult::unhealthy(
                    tr("no heartbeat from %1 in %2").arg(missing.join(QStringLiteral(", ")), listened))
                    .because(FailureKind::NoReply);
            if (!alive.isEmpty())
                r.hint = tr("Workers that do send heartbeats: %1. Check the worker name.")
                             .arg(alive.join(QStringLiteral(", ")));
            else
                r.hint = tr("The worker is down, frozen, its event loop is blocked, or it runs with "
                            "--without-heartbeat.");
        }
    }
    for (auto it = m_workers.cbegin(); it != m_workers.cend(); ++it) {
        const WorkerEvent& e = it->last;
        r.details.append({QStringLiteral("worker: ") + it.key(),
                          tr("%1, heard %2 ago, active %3, processed %4, %5")
                              .arg(e.type == QLatin1String("worker-offline") ? tr("offline") : tr("alive"))
                              .arg(formatDuration(std::chrono::milliseconds(now - it->receivedAtMs)))
                              .arg(e.active)
                              .arg(e.processed)
                              .arg(e.softwareVersion.trimmed())});
    }
    finish(r);
}

} // namespace okh
