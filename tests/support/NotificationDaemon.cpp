#include "NotificationDaemon.h"

#include <QDBusConnectionInterface>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QThread>

namespace okh::test {

namespace {

bool writeFile(const QString& path, const QByteArray& content, QFile::Permissions permissions = {})
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        return false;
    file.close();
    return permissions == QFile::Permissions() || file.setPermissions(permissions);
}

} // namespace

NotificationDaemon::NotificationDaemon()
    : m_connectionName(QStringLiteral("okh-test-bus-%1").arg(quintptr(this)))
{ }

NotificationDaemon::~NotificationDaemon()
{
    QDBusConnection::disconnectFromBus(m_connectionName);
    m_dunst.reset(); // before the bus it talks on
    m_bus.reset();
}

QString NotificationDaemon::busAddress() const
{
    return QStringLiteral("unix:path=") + m_dir.filePath(QStringLiteral("bus"));
}

QDBusConnection NotificationDaemon::connection() const
{
    return QDBusConnection(m_connectionName);
}

bool NotificationDaemon::startBus()
{
    // A session bus without service directories: nothing is activated behind the test's back.
    const QByteArray config = "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                              " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                              "<busconfig><type>session</type><listen>"
        + busAddress().toUtf8()
        + "</listen><auth>EXTERNAL</auth>"
          "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
          "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n";
    const QString configPath = m_dir.filePath(QStringLiteral("bus.conf"));
    if (!writeFile(configPath, config)) {
        m_error = QStringLiteral("cannot write %1").arg(configPath);
        return false;
    }
    m_bus = std::make_unique<standin::ManagedProcess>(m_dir.filePath(QStringLiteral("dbus-daemon.log")));
    if (!m_bus->start(QStringLiteral("dbus-daemon"),
                      {QStringLiteral("--nofork"), QStringLiteral("--config-file=") + configPath})) {
        m_error = m_bus->errorString();
        return false;
    }
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 10000) {
        if (QFile::exists(m_dir.filePath(QStringLiteral("bus")))) {
            const QDBusConnection bus = QDBusConnection::connectToBus(busAddress(), m_connectionName);
            if (bus.isConnected())
                return true;
            QDBusConnection::disconnectFromBus(m_connectionName);
        }
        if (!m_bus->isRunning())
            break;
        QThread::msleep(20);
    }
    m_error = QStringLiteral("dbus-daemon did not open %1: %2").arg(busAddress(), m_bus->logTail());
    return false;
}

bool NotificationDaemon::startDunst(const QString& display)
{
    const QString menu = m_dir.filePath(QStringLiteral("menu.sh"));
    const QByteArray script = "#!/bin/sh\ncat > '" + m_dir.filePath(QStringLiteral("menu.in")).toUtf8()
        + "'\ngrep -F -- \"$(cat '" + m_dir.filePath(QStringLiteral("choice")).toUtf8() + "')\" '"
        + m_dir.filePath(QStringLiteral("menu.in")).toUtf8() + "' | head -n 1\n";
    const QString rc = m_dir.filePath(QStringLiteral("dunstrc"));
    if (!writeFile(menu, script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)
        || !writeFile(rc, "[global]\ndmenu = " + menu.toUtf8() + "\n")
        || !writeFile(m_dir.filePath(QStringLiteral("choice")), "Show")) {
        m_error = QStringLiteral("cannot write dunst's files in %1").arg(m_dir.path());
        return false;
    }
    m_dunst = std::make_unique<standin::ManagedProcess>(m_dir.filePath(QStringLiteral("dunst.log")));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DISPLAY"), display);
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress());
    m_dunst->setEnvironment(env);
    if (!m_dunst->start(QStringLiteral("dunst"), {QStringLiteral("-conf"), rc})) {
        m_error = m_dunst->errorString();
        return false;
    }
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 10000) {
        if (connection().interface()->isServiceRegistered(QStringLiteral("org.freedesktop.Notifications")))
            return true;
        if (!m_dunst->isRunning())
            break;
        QThread::msleep(20);
    }
    m_error = QStringLiteral("dunst did not take org.freedesktop.Notifications: %1").arg(m_dunst->logTail());
    return false;
}

QString NotificationDaemon::dunstctl(const QStringList& arguments) const
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress());
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("dunstctl"), arguments);
    process.waitForFinished(10000);
    return QString::fromUtf8(process.readAllStandardOutput());
}

void NotificationDaemon::chooseInMenu(const QString& text)
{
    writeFile(m_dir.filePath(QStringLiteral("choice")), text.toUtf8());
}

QString NotificationDaemon::menuOffered() const
{
    QFile file(m_dir.filePath(QStringLiteral("menu.in")));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace okh::test
