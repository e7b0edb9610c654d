#include "PostgresProbe.h"

#include "SocketFailure.h"
#include "util/Durations.h"
#include "util/HostPort.h"

#include <QNetworkProxy>
#include <pwd.h>
#include <unistd.h>

namespace okh {

using Outcome = PostgresStartupExchange::Outcome;

PostgresProbe::PostgresProbe(PostgresTarget target, std::chrono::milliseconds timeout, QObject* parent)
    : Probe(timeout, parent)
    , m_target(std::move(target))
{
    m_socket.setProxy(QNetworkProxy::NoProxy);
    connect(&m_socket, &QTcpSocket::connected, this, &PostgresProbe::onConnected);
    connect(&m_socket, &QTcpSocket::readyRead, this, &PostgresProbe::onReadyRead);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, &PostgresProbe::onError);
}

QString PostgresProbe::defaultUser()
{
    if (const QString env = qEnvironmentVariable("PGUSER"); !env.isEmpty())
        return env;
    if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("postgres");
}

QString PostgresProbe::endpoint() const
{
    return formatHostPort(m_target.host, m_target.port);
}

void PostgresProbe::begin()
{
    if (m_target.host.isEmpty() || m_target.port == 0) {
        auto r = ProbeResult::unknown(tr("no attempt: no host or port configured"),
                                      tr("Set host and port of the PostgreSQL check."));
        r.details.append({QStringLiteral("outcome"), PostgresStartupExchange::outcomeText(Outcome::NoAttempt)});
        finish(r);
        return;
    }
    m_socket.setProxy(proxy());
    m_socket.connectToHost(m_target.host, m_target.port);
}

void PostgresProbe::abort()
{
    m_socket.abort();
}

ProbeResult PostgresProbe::timedOutResult() const
{
    const bool connected = m_socket.state() == QAbstractSocket::ConnectedState;
    auto r = ProbeResult::unhealthy(tr("%1 - no response within %2").arg(endpoint(), formatDuration(timeout())),
                                    connected ? tr("The port accepted the connection but PostgreSQL sent nothing: "
                                                   "the server is frozen or overloaded, or another service listens "
                                                   "there.")
                                              : tr("Packets are dropped on the way (firewall) or the host is down."));
    r.failure = connected ? FailureKind::NoAnswer : FailureKind::NoConnection;
    r.details.append({QStringLiteral("outcome"), PostgresStartupExchange::outcomeText(Outcome::NoResponse)});
    return r;
}

void PostgresProbe::onConnected()
{
    const QString user = m_target.user.isEmpty() ? defaultUser() : m_target.user;
    m_socket.write(PostgresStartupExchange::startupPacket(user, m_target.database));
}

void PostgresProbe::onReadyRead()
{
    if (isFinished())
        return;
    if (const auto verdict = m_exchange.feed(m_socket.readAll()))
        conclude(*verdict);
}

void PostgresProbe::conclude(const PostgresStartupExchange::Verdict& verdict)
{
    // Leave without a session, like pg_isready: a Terminate when the server is waiting for us.
    if (verdict.outcome == Outcome::Accepting && verdict.sqlState.isEmpty())
        m_socket.write(PostgresStartupExchange::terminatePacket());
    m_socket.disconnectFromHost();

    const QString outcome = PostgresStartupExchange::outcomeText(verdict.outcome);
    const QString said
        = verdict.message.isEmpty() ? QString() : verdict.message + QStringLiteral(" (") + verdict.sqlState + u')';
    ProbeResult r;
    switch (verdict.outcome) {
    case Outcome::Accepting:
        r = ProbeResult::healthy(tr("%1 - accepting connections").arg(endpoint()));
        if (!said.isEmpty()) {
            // pg_isready counts any server error but 57P03 as "up"; say what the server said anyway.
            r.summary = tr("%1 - accepting connections; the server said: %2").arg(endpoint(), said);
            if (verdict.sqlState == QLatin1String("53300"))
                r.hint = tr("The server is up but out of connection slots (max_connections): new sessions of the "
                            "application fail.");
        }
        break;
    case Outcome::Rejecting:
        r = ProbeResult::unhealthy(tr("%1 - rejecting connections: %2").arg(endpoint(), said),
                                   tr("The server is up but refuses new sessions while it starts up, shuts down or "
                                      "recovers; a pending smart shutdown waits for open sessions to end."))
                .because(FailureKind::Answered);
        break;
    case Outcome::NoResponse:
    case Outcome::NoAttempt:
        r = ProbeResult::unhealthy(tr("%1 - no response").arg(endpoint()),
                                   tr("Something answers on this port, but not as PostgreSQL: check the port."));
        break;
    }
    r.details.append({QStringLiteral("outcome"), outcome});
    if (!verdict.sqlState.isEmpty())
        r.details.append({QStringLiteral("sqlstate"), verdict.sqlState});
    if (!verdict.message.isEmpty())
        r.details.append({QStringLiteral("server message"), verdict.message});
    finish(r);
}

void PostgresProbe::onError(QAbstractSocket::SocketError error)
{
    if (isFinished())
        return;
    auto r = SocketFailure::toResult(error, m_socket.errorString(), endpoint());
    r.summary = tr("%1 - no response: %2").arg(endpoint(), r.summary);
    r.details.append({QStringLiteral("outcome"), PostgresStartupExchange::outcomeText(Outcome::NoResponse)});
    finish(r);
}

} // namespace okh
