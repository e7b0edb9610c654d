#include "CeleryPingProbe.h"

#include "redis/RedisFailure.h"
#include "util/Durations.h"
#include "util/HostPort.h"

#include <QDateTime>
#include <cmath>

namespace okh {

using namespace std::chrono_literals;

namespace {

// Broadcast replies come within milliseconds from any live worker; kombu's own broadcast
// waits its whole timeout, but a second is plenty to name who is out there.
constexpr std::chrono::milliseconds BroadcastIdle = 1000ms;
// Time kept for SREM + DEL before the check's own timeout.
constexpr std::chrono::milliseconds CleanupReserve = 250ms;
// Live workers answer a broadcast within milliseconds; less time than this is not worth asking.
constexpr std::chrono::milliseconds MinimumBroadcast = 300ms;

QStringList nodeNames(const QList<PidboxProtocol::Reply>& replies)
{
    QStringList names;
    for (const auto& r : replies)
        names.append(r.node);
    names.sort();
    names.removeDuplicates();
    return names;
}

} // namespace

CeleryPingProbe::CeleryPingProbe(CeleryPingTarget target, std::chrono::milliseconds timeout, QObject* parent)
    : Probe(timeout, parent)
    , m_target(std::move(target))
{
    m_names.db = m_target.broker.db;
    m_names.keyPrefix = m_target.keyPrefix;
    m_names.controlExchange = m_target.controlExchange;
    connect(&m_connection, &RedisConnection::reply, this, &CeleryPingProbe::onReply);
    connect(&m_connection, &RedisConnection::socketError, this,
            [this](QAbstractSocket::SocketError error, const QString& text) {
                fail(RedisFailure::fromSocketError(endpoint(), error, text, m_target.broker.tls.enabled));
            });
    connect(&m_connection, &RedisConnection::protocolError, this, [this](const QString& text) {
        fail(RedisFailure::notRedis(endpoint(), m_connection.receivedPrefix(), text));
    });
}

QString CeleryPingProbe::endpoint() const
{
    return tr("the broker at %1").arg(formatHostPort(m_target.broker.host, m_target.broker.port));
}

void CeleryPingProbe::begin()
{
    if (m_target.broker.host.isEmpty() || m_target.broker.port == 0) {
        finish(ProbeResult::unknown(tr("no broker host or port configured")));
        return;
    }
    m_oid = PidboxProtocol::newId();
    const RedisTarget& b = m_target.broker;
    if (const auto auth = RedisConnection::authCommand(b); !auth.isEmpty())
        send(auth, Expect::Auth);
    // The db is part of the channel name, but the reply keys live in the selected db too.
    if (b.db != 0)
        send({QByteArrayLiteral("SELECT"), QByteArray::number(b.db)}, Expect::Select);
    send({QByteArrayLiteral("SMEMBERS"), PidboxProtocol::workerBindingSet(m_names)}, Expect::Smembers);
    // The binding must exist before the request is published, or fast replies are dropped.
    send({QByteArrayLiteral("SADD"), PidboxProtocol::replyBindingSet(m_names),
          PidboxProtocol::replyBindingMember(m_names, m_oid)},
         Expect::Sadd);
    if (const QString error = m_connection.connectToServer(b.host, b.port, proxy(), b.tls); !error.isEmpty()) {
        finish(ProbeResult::unknown(error));
        return;
    }
    if (isFinished()) // a TLS set-up the socket refused at once
        return;
    m_phase = m_target.workers.isEmpty() ? Phase::Broadcast : Phase::Targeted;
    publish(m_target.workers);
}

void CeleryPingProbe::send(const QList<QByteArray>& argv, Expect expect)
{
    m_connection.send(argv);
    m_expected.append(expect);
}

void CeleryPingProbe::publish(const QStringList& destination)
{
    m_ticket = PidboxProtocol::newId();
    PidboxProtocol::Request request;
    request.destination = destination;
    request.ticket = m_ticket;
    request.oid = m_oid;
    request.deliveryTag = PidboxProtocol::newId();
    m_idleTimeout = m_phase == Phase::Broadcast && !m_target.workers.isEmpty()
        ? std::min(BroadcastIdle, m_target.replyTimeout)
        : m_target.replyTimeout;
    request.expires = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0 + double(m_idleTimeout.count()) / 1000.0;
    send({QByteArrayLiteral("PUBLISH"), PidboxProtocol::requestChannel(m_names),
          PidboxProtocol::requestEnvelope(m_names, request)},
         Expect::Publish);
}

// What is left of the check's timeout once the clean-up's share is kept aside.
qint64 CeleryPingProbe::budgetMs() const
{
    return qint64(timeout().count()) - qint64(elapsedMs()) - CleanupReserve.count();
}

void CeleryPingProbe::stopForTheCheckTimeout()
{
    m_cutShort = m_phase == Phase::Targeted; // a broadcast only names others; it may be short
    cleanUp();
}

void CeleryPingProbe::waitForReply()
{
    // Stop collecting in time to remove the binding ourselves: a BRPOP still blocking when the
    // check's timeout fires holds the connection, and the clean-up queued behind it is lost.
    const qint64 budget = budgetMs();
    const qint64 idleLeftMs = qint64(m_idleTimeout.count()) - m_idle.elapsed();
    if (budget <= 0) {
        stopForTheCheckTimeout();
        return;
    }
    if (idleLeftMs <= 0) {
        endCollecting();
        return;
    }
    // 0 would block forever; Redis 6+ takes fractions, older servers whole seconds (never past
    // the budget: a second we do not have is a BRPOP outliving the check).
    QByteArray seconds;
    if (m_integerBrpopTimeout) {
        qint64 whole = std::max<qint64>(1, (idleLeftMs + 999) / 1000);
        if (whole * 1000 > budget)
            whole = budget / 1000;
        if (whole < 1) {
            stopForTheCheckTimeout();
            return;
        }
        seconds = QByteArray::number(whole);
    } else {
        seconds = QByteArray::number(double(std::max<qint64>(std::min(idleLeftMs, budget), 10)) / 1000.0, 'f', 3);
    }
    QList<QByteArray> argv{QByteArrayLiteral("BRPOP")};
    argv.append(PidboxProtocol::replyListKeys(m_names, m_oid));
    argv.append(seconds);
    m_brpopPending = true;
    send(argv, Expect::Brpop);
}

void CeleryPingProbe::onReply(const RedisReply& reply)
{
    if (isFinished() || m_expected.isEmpty())
        return;
    const Expect expect = m_expected.takeFirst();
    if (reply.isError() && expect == Expect::Brpop && !m_integerBrpopTimeout
        && reply.text.contains("timeout is not a")) { // "… a float …" (6+), "… an integer …" (< 6)
        m_integerBrpopTimeout = true;
        m_brpopPending = false;
        waitForReply();
        return;
    }
    if (reply.isError() && expect != Expect::Cleanup) {
        fail(RedisFailure::fromErrorReply(endpoint(), reply.text));
        return;
    }
    switch (expect) {
    case Expect::Auth:
    case Expect::Select:
    case Expect::Sadd:
        break;
    case Expect::Smembers:
        for (const auto& member : reply.elements) {
            const QString node = PidboxProtocol::nodeFromWorkerBinding(m_names, member.text);
            if (!node.isEmpty())
                m_registeredNodes.append(node);
        }
        m_registeredNodes.sort();
        break;
    case Expect::Publish:
        // The number of pattern subscribers: zero means no worker can answer at all.
        if (m_subscribers < 0)
            m_subscribers = reply.integer;
        if (reply.integer == 0) {
            endCollecting();
            return;
        }
        m_idle.start();
        waitForReply();
        break;
    case Expect::Brpop:
        m_brpopPending = false;
        onBrpop(reply);
        break;
    case Expect::Cleanup:
        if (m_expected.isEmpty())
            conclude();
        break;
    }
}

void CeleryPingProbe::onBrpop(const RedisReply& reply)
{
    if (reply.type == RedisReply::Type::Array && reply.elements.size() == 2) {
        if (const auto replies = PidboxProtocol::parseReply(reply.elements.at(1).text, m_ticket)) {
            auto& collected = m_phase == Phase::Targeted ? m_targetedReplies : m_broadcastReplies;
            collected.append(*replies);
            m_idle.start(); // kombu's timeout is per reply, not a total deadline
        }
        if (m_phase == Phase::Targeted) {
            const QStringList answered = nodeNames(m_targetedReplies);
            bool all = true;
            for (const auto& w : m_target.workers)
                all = all && answered.contains(w);
            if (all) {
                endCollecting();
                return;
            }
        }
    }
    waitForReply();
}

void CeleryPingProbe::endCollecting()
{
    // The broadcast needs time for live workers' replies to arrive before the clean-up, or they
    // land after the DEL and stay; without that time, skip it.
    if (m_phase == Phase::Targeted && m_targetedReplies.isEmpty() && m_subscribers != 0
        && budgetMs() >= MinimumBroadcast.count()) {
        m_phase = Phase::Broadcast;
        publish({});
        return;
    }
    cleanUp();
}

void CeleryPingProbe::cleanUp()
{
    m_phase = Phase::CleaningUp;
    send({QByteArrayLiteral("SREM"), PidboxProtocol::replyBindingSet(m_names),
          PidboxProtocol::replyBindingMember(m_names, m_oid)},
         Expect::Cleanup);
    QList<QByteArray> del{QByteArrayLiteral("DEL")};
    del.append(PidboxProtocol::replyListKeys(m_names, m_oid));
    send(del, Expect::Cleanup);
}

void CeleryPingProbe::fail(ProbeResult result)
{
    if (isFinished())
        return;
    dropBinding();
    finish(std::move(result));
}

void CeleryPingProbe::abort()
{
    dropBinding();
}

void CeleryPingProbe::dropBinding()
{
    // Leaving early (timeout, error reply) must still leave no binding or reply key behind:
    // queue SREM and DEL, and close once they are written.
    if (m_oid.isEmpty() || m_phase == Phase::CleaningUp
        || m_connection.socket().state() != QAbstractSocket::ConnectedState) {
        m_connection.close();
        return;
    }
    m_connection.send({QByteArrayLiteral("SREM"), PidboxProtocol::replyBindingSet(m_names),
                       PidboxProtocol::replyBindingMember(m_names, m_oid)});
    QList<QByteArray> del{QByteArrayLiteral("DEL")};
    del.append(PidboxProtocol::replyListKeys(m_names, m_oid));
    m_connection.send(del);
    m_connection.closeAfterWriting();
}

ProbeResult CeleryPingProbe::timedOutResult() const
{
    return ProbeResult::unhealthy(
        tr("the ping through %1 did not complete within %2").arg(endpoint(), formatDuration(timeout())),
        tr("The broker itself is slow or frozen, or the check's timeout is shorter than "
           "its ping timeout plus a second for the broadcast."));
}

QStringList CeleryPingProbe::broadcastAnswers() const
{
    return nodeNames(m_broadcastReplies);
}

void CeleryPingProbe::conclude()
{
    m_connection.close();
    const QString timeoutText = formatDuration(m_cutShort ? timeout() : m_target.replyTimeout);
    const QStringList others = nodeNames(m_broadcastReplies);
    ProbeResult r;
    if (m_target.workers.isEmpty()) {
        r = others.isEmpty()
            ? ProbeResult::unhealthy(tr("no worker answered a broadcast ping within %1").arg(timeoutText))
                  .because(FailureKind::NoReply)
            : ProbeResult::healthy(
                tr("%n worker(s) answered: %1", nullptr, int(others.size())).arg(others.join(QStringLiteral(", "))));
    } else {
        const QStringList answered = nodeNames(m_targetedReplies);
        QStringList missing;
        for (const auto& w : m_target.workers) {
            if (!answered.contains(w))
                missing.append(w);
        }
        QStringList failed;
        for (const auto& reply : m_targetedReplies) {
            if (!reply.ok)
                failed.append(reply.node + QStringLiteral(": ") + reply.value);
        }
        if (missing.isEmpty() && failed.isEmpty()) {
            r = ProbeResult::healthy(tr("%1: PONG").arg(answered.join(QStringLiteral(", "))));
        } else if (!failed.isEmpty()) {
            r = ProbeResult::unhealthy(tr("ping failed on %1").arg(failed.join(QStringLiteral("; "))))
                    .because(FailureKind::Answered);
        } else {
            r = ProbeResult::unhealthy(
                tr("no reply to ping from '%1' after %2").arg(missing.join(QStringLiteral("', '")), timeoutText));
            r.failure = FailureKind::NoReply;
            r.details.append({QStringLiteral("outcome"), QStringLiteral("no reply")});
            if (!others.isEmpty()) {
                r.hint = tr("Other workers do answer: %1. The name must match exactly (case-sensitive): check "
                            "--worker-name / CELERY_WORKER_NAME; in containers the default celery@<hostname> is "
                            "the container ID.")
                             .arg(others.join(QStringLiteral(", ")));
            } else if (m_cutShort) {
                r.hint = tr("The check's timeout (%1) ended the wait before the ping's own timeout (%2): give the "
                            "check at least the ping timeout plus a second to tell a slow worker from a missing one.")
                             .arg(formatDuration(timeout()), formatDuration(m_target.replyTimeout));
            } else if (m_subscribers == 0) {
                r.hint = tr("No worker listens on %1 of this broker: the workers are down, use another broker or "
                            "database number, or run with remote control disabled.")
                             .arg(QString::fromUtf8(PidboxProtocol::requestChannel(m_names)));
            } else {
                r.hint = tr("%n client(s) listen on the control channel but no worker answered: workers are frozen "
                            "or their event loop is blocked by a long task (solo pool), or their broker "
                            "subscription went stale.",
                            nullptr, int(m_subscribers));
            }
            if (!m_registeredNodes.isEmpty() && others.isEmpty())
                r.hint += u' '
                    + tr("Workers registered on this broker (possibly stale): %1.")
                          .arg(m_registeredNodes.join(QStringLiteral(", ")));
        }
    }
    for (const auto& reply : m_targetedReplies + m_broadcastReplies)
        r.details.append(
            {QStringLiteral("reply: ") + reply.node, reply.ok ? reply.value : tr("error: ") + reply.value});
    r.details.append({QStringLiteral("subscribers"), QString::number(std::max<qint64>(0, m_subscribers))});
    finish(r);
}

} // namespace okh
