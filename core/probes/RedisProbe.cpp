#include "RedisProbe.h"

#include "redis/RedisFailure.h"
#include "util/Durations.h"
#include "util/HostPort.h"

namespace okh {

RedisProbe::RedisProbe(RedisTarget target, std::chrono::milliseconds timeout, QObject* parent)
    : Probe(timeout, parent)
    , m_target(std::move(target))
{
    connect(&m_connection, &RedisConnection::connected, this, [this] { m_connected = true; });
    // Before TLS: a handshake that never ends is another failure than a port that never answers.
    connect(&m_connection, &RedisConnection::tcpConnected, this, [this] { m_tcpConnected = true; });
    connect(&m_connection, &RedisConnection::reply, this, &RedisProbe::onReply);
    connect(&m_connection, &RedisConnection::socketError, this, &RedisProbe::onSocketError);
    connect(&m_connection, &RedisConnection::protocolError, this, &RedisProbe::onProtocolError);
}

QString RedisProbe::endpoint() const
{
    return tr("Redis at %1").arg(formatHostPort(m_target.host, m_target.port));
}

void RedisProbe::begin()
{
    if (m_target.host.isEmpty() || m_target.port == 0) {
        finish(ProbeResult::unknown(tr("no Redis host or port configured")));
        return;
    }
    // Pipelined: one round trip whatever the URL asks for.
    if (const auto auth = RedisConnection::authCommand(m_target); !auth.isEmpty()) {
        m_connection.send(auth);
        m_expected.append(Step::Auth);
    }
    if (m_target.db != 0) {
        m_connection.send({QByteArrayLiteral("SELECT"), QByteArray::number(m_target.db)});
        m_expected.append(Step::Select);
    }
    m_connection.send({QByteArrayLiteral("PING")});
    m_expected.append(Step::Ping);
    if (const QString error = m_connection.connectToServer(m_target.host, m_target.port, proxy(), m_target.tls);
        !error.isEmpty())
        finish(ProbeResult::unknown(error));
}

void RedisProbe::abort()
{
    m_connection.close();
}

ProbeResult RedisProbe::timedOutResult() const
{
    if (!m_connected && m_target.tls.enabled && m_tcpConnected) {
        return ProbeResult::unhealthy(
            tr("%1 accepted the connection but the TLS handshake did not finish within %2")
                .arg(endpoint(), formatDuration(timeout())),
            tr("The server does not speak TLS on this port (a plain Redis port waits for a line that TLS never "
               "sends): write redis://, or use the server's TLS port (tls-port)."));
    }
    if (!m_connected) {
        return ProbeResult::unhealthy(tr("no connection to %1 within %2").arg(endpoint(), formatDuration(timeout())),
                                      tr("Packets are dropped on the way (firewall) or the host is down."))
            .because(FailureKind::NoConnection);
    }
    return ProbeResult::unhealthy(tr("%1 accepted the connection but did not answer PING within %2")
                                      .arg(endpoint(), formatDuration(timeout())),
                                  tr("Redis is blocked (a long-running command or script, a fork for persistence "
                                     "under memory pressure, or a stopped process), or another service listens on "
                                     "this port."))
        .because(FailureKind::NoAnswer);
}

void RedisProbe::onReply(const RedisReply& reply)
{
    if (isFinished() || m_expected.isEmpty())
        return;
    const Step step = m_expected.takeFirst();
    if (reply.isError()) {
        m_connection.close();
        finish(RedisFailure::fromErrorReply(endpoint(), reply.text));
        return;
    }
    if (step != Step::Ping)
        return;
    m_connection.close();
    if (reply.type == RedisReply::Type::Status && reply.text == "PONG") {
        auto r = ProbeResult::healthy(tr("PONG from %1").arg(endpoint()));
        r.details.append({QStringLiteral("reply"), QStringLiteral("PONG")});
        finish(r);
    } else {
        auto r
            = ProbeResult::unhealthy(tr("%1 answered PING with \"%2\"").arg(endpoint(), QString::fromUtf8(reply.text)));
        finish(r);
    }
}

void RedisProbe::onSocketError(QAbstractSocket::SocketError error, const QString& text)
{
    if (isFinished())
        return;
    if (error == QAbstractSocket::RemoteHostClosedError && m_connected && !m_connection.receivedPrefix().isEmpty()) {
        onProtocolError(text);
        return;
    }
    finish(RedisFailure::fromSocketError(endpoint(), error, text, m_target.tls.enabled));
}

void RedisProbe::onProtocolError(const QString& text)
{
    if (isFinished())
        return;
    m_connection.close();
    finish(RedisFailure::notRedis(endpoint(), m_connection.receivedPrefix(), text));
}

} // namespace okh
