#include "PrivateBus.h"

#include <QElapsedTimer>
#include <QThread>

namespace okh::test {

bool writeTestFile(const QString& path, const QByteArray& content, QFile::Permissions permissions)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        return false;
    file.close();
    return permissions == QFile::Permissions() || file.setPermissions(permissions);
}

PrivateBus::PrivateBus()
    : m_connectionName(QStringLiteral("okh-test-bus-%1").arg(quintptr(this)))
{ }

PrivateBus::~PrivateBus()
{
    QDBusConnection::disconnectFromBus(m_connectionName);
    m_daemon.reset();
}

QString PrivateBus::address() const
{
    return QStringLiteral("unix:path=") + m_dir.filePath(QStringLiteral("bus"));
}

QDBusConnection PrivateBus::connection() const
{
    return QDBusConnection(m_connectionName);
}

bool PrivateBus::start()
{
    const QByteArray config = "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                              " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                              "<busconfig><type>session</type><listen>"
        + address().toUtf8()
        + "</listen><auth>EXTERNAL</auth>"
          "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
          "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n";
    const QString configPath = m_dir.filePath(QStringLiteral("bus.conf"));
    if (!writeTestFile(configPath, config)) {
        m_error = QStringLiteral("cannot write %1").arg(configPath);
        return false;
    }
    m_daemon = std::make_unique<standin::ManagedProcess>(m_dir.filePath(QStringLiteral("dbus-daemon.log")));
    if (!m_daemon->start(QStringLiteral("dbus-daemon"),
                         {QStringLiteral("--nofork"), QStringLiteral("--config-file=") + configPath})) {
        m_error = m_daemon->errorString();
        return false;
    }
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 10000) {
        if (QFile::exists(m_dir.filePath(QStringLiteral("bus")))) {
            const QDBusConnection bus = QDBusConnection::connectToBus(address(), m_connectionName);
            if (bus.isConnected())
                return true;
            QDBusConnection::disconnectFromBus(m_connectionName);
        }
        if (!m_daemon->isRunning())
            break;
        QThread::msleep(20);
    }
    m_error = QStringLiteral("dbus-daemon did not open %1: %2").arg(address(), m_daemon->logTail());
    return false;
}

} // namespace okh::test
