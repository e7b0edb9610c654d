#include "FlowerServer.h"

#include "ServerTools.h"

#include <QDir>

namespace okh::standin {

namespace {
constexpr int kReadyTimeoutMs = 10000;
const QString kPython = QStringLiteral("/usr/bin/python3");
} // namespace

FlowerServer::FlowerServer()
    : m_dir(QStringLiteral("/tmp/okh-flower-XXXXXX"))
{ }

FlowerServer::~FlowerServer()
{
    stop();
}

bool FlowerServer::start(const QString& user, const QString& password)
{
    if (isRunning()) {
        m_errorString = QStringLiteral("the Flower stand-in is already running on port %1").arg(m_port);
        return false;
    }
    if (!m_dir.isValid()) {
        m_errorString = QStringLiteral("cannot create a temp dir: %1").arg(m_dir.errorString());
        return false;
    }
    return startWithPortRetry([&](bool* portTaken) { return startOnce(user, password, portTaken); });
}

bool FlowerServer::startOnce(const QString& user, const QString& password, bool* portTaken)
{
    m_port = m_fixedPort != 0 ? m_fixedPort : freePort();
    m_process = std::make_unique<ManagedProcess>(m_dir.filePath(QStringLiteral("flower-%1.log").arg(m_port)));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("PYTHONPATH"));
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    // The credentials go by environment, never on the command line (ps shows that to everyone).
    if (user.isEmpty())
        env.remove(QStringLiteral("OKH_FLOWER_BASIC_AUTH"));
    else
        env.insert(QStringLiteral("OKH_FLOWER_BASIC_AUTH"), user + QLatin1Char(':') + password);
    m_process->setEnvironment(env);
    const QString script = QDir(resourceDirectory()).filePath(QStringLiteral("flower/flower_standin.py"));
    if (!m_process->start(kPython, {script, QStringLiteral("127.0.0.1:%1").arg(m_port)})) {
        m_errorString = m_process->errorString();
        m_process.reset();
        return false;
    }
    if (m_process->waitUntilReady(
            QStringLiteral("flower_standin.py"), m_port, QStringLiteral("HTTP"), kReadyTimeoutMs, 50,
            [&] {
                return tcpExchange(m_port, QByteArrayLiteral("GET /healthcheck HTTP/1.0\r\n\r\n"), 500)
                    .startsWith("HTTP/1.");
            },
            portTaken, &m_errorString))
        return true;
    m_process.reset();
    return false;
}

void FlowerServer::stop()
{
    if (m_process)
        m_process->stop();
}

bool FlowerServer::isRunning() const
{
    return m_process && m_process->isRunning();
}

qint64 FlowerServer::pid() const
{
    return m_process ? m_process->pid() : 0;
}

QString FlowerServer::logTail(int maxLines) const
{
    return m_process ? m_process->logTail(maxLines) : QString();
}

} // namespace okh::standin
