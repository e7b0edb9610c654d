#include "RedisServer.h"

#include "ServerTools.h"

#include <QDeadlineTimer>
#include <QStandardPaths>
#include <QThread>
#include <QUrl>

namespace okh::standin {

namespace {
constexpr int kReadyTimeoutMs = 10000;
} // namespace

RedisServer::RedisServer()
    : m_dir(QStringLiteral("/tmp/okh-redis-XXXXXX"))
{ }

RedisServer::~RedisServer()
{
    stop();
}

bool RedisServer::start(const QString& password)
{
    if (isRunning()) {
        m_errorString = QStringLiteral("redis-server already running on port %1").arg(m_port);
        return false;
    }
    if (!m_dir.isValid()) {
        m_errorString = QStringLiteral("cannot create a temp dir: %1").arg(m_dir.errorString());
        return false;
    }
    m_password = password;
    return startWithPortRetry([this](bool* portTaken) { return startOnce(portTaken); });
}

bool RedisServer::startOnce(bool* portTaken)
{
    const QString program = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (program.isEmpty()) {
        m_errorString = QStringLiteral("redis-server not found on PATH (Debian package redis-server)");
        return false;
    }
    m_port = m_fixedPort != 0 ? m_fixedPort : freePort();
    m_paused = false;
    m_process = std::make_unique<ManagedProcess>(m_dir.filePath(QStringLiteral("redis-%1.log").arg(m_port)));
    m_process->setWorkingDirectory(m_dir.path());
    QStringList args{QStringLiteral("--port"),
                     QString::number(m_port),
                     QStringLiteral("--bind"),
                     QStringLiteral("127.0.0.1"),
                     QStringLiteral("--save"),
                     QString(),
                     QStringLiteral("--appendonly"),
                     QStringLiteral("no"),
                     QStringLiteral("--dir"),
                     m_dir.path(),
                     QStringLiteral("--daemonize"),
                     QStringLiteral("no"),
                     QStringLiteral("--protected-mode"),
                     QStringLiteral("no")};
    if (!m_password.isEmpty())
        args << QStringLiteral("--requirepass") << m_password;
    if (m_tls) {
        m_tlsPort = freePort();
        args << QStringLiteral("--tls-port") << QString::number(m_tlsPort) << QStringLiteral("--tls-cert-file")
             << m_tls->certFile << QStringLiteral("--tls-key-file") << m_tls->keyFile
             << QStringLiteral("--tls-ca-cert-file") << m_tls->caFile << QStringLiteral("--tls-auth-clients")
             << (m_tls->requireClientCertificate ? QStringLiteral("yes") : QStringLiteral("no"));
    }
    if (!m_process->start(program, args)) {
        m_errorString = m_process->errorString();
        return false;
    }

    if (m_process->waitUntilReady(
            QStringLiteral("redis-server"), m_port, QStringLiteral("PING"), kReadyTimeoutMs, 50,
            [&] {
                // Any RESP reply proves the server answers: +PONG, or -NOAUTH with requirepass.
                const QByteArray reply = tcpExchange(m_port, QByteArrayLiteral("PING\r\n"), 500);
                return reply.startsWith('+') || reply.startsWith('-');
            },
            portTaken, &m_errorString))
        return true;
    m_process.reset();
    return false;
}

void RedisServer::stop()
{
    if (m_process)
        m_process->stop();
    m_paused = false;
}

bool RedisServer::isRunning() const
{
    return m_process && m_process->isRunning();
}

QString RedisServer::url() const
{
    return makeUrl(QStringLiteral("redis"), m_port, {});
}

QString RedisServer::tlsUrl(const QString& query) const
{
    return makeUrl(QStringLiteral("rediss"), m_tlsPort, query);
}

QString RedisServer::makeUrl(const QString& scheme, quint16 port, const QString& query) const
{
    QUrl url;
    url.setScheme(scheme);
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    url.setPath(QStringLiteral("/0"));
    if (!m_password.isEmpty())
        url.setPassword(m_password);
    if (!query.isEmpty())
        url.setQuery(query);
    return url.toString(QUrl::FullyEncoded);
}

qint64 RedisServer::pid() const
{
    return m_process ? m_process->pid() : 0;
}

bool RedisServer::pause()
{
    if (!m_process || !m_process->sendSignal(SIGSTOP))
        return false;
    m_paused = true;
    return true;
}

bool RedisServer::resume()
{
    if (!m_process || !m_process->sendSignal(SIGCONT))
        return false;
    m_paused = false;
    return true;
}

QString RedisServer::logTail(int maxLines) const
{
    return m_process ? m_process->logTail(maxLines) : QString();
}

} // namespace okh::standin
