#include "NotificationDaemon.h"

#include <QDBusConnectionInterface>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QThread>

namespace okh::test {

NotificationDaemon::NotificationDaemon() = default;

NotificationDaemon::~NotificationDaemon()
{
    m_dunst.reset(); // before the bus it talks on
}

QString NotificationDaemon::busAddress() const
{
    return m_bus.address();
}

QDBusConnection NotificationDaemon::connection() const
{
    return m_bus.connection();
}

bool NotificationDaemon::startBus()
{
    if (m_bus.start())
        return true;
    m_error = m_bus.errorString();
    return false;
}

bool NotificationDaemon::startDunst(const QString& display)
{
    const QString menu = m_bus.filePath(QStringLiteral("menu.sh"));
    const QByteArray script = "#!/bin/sh\ncat > '" + m_bus.filePath(QStringLiteral("menu.in")).toUtf8()
        + "'\ngrep -F -- \"$(cat '" + m_bus.filePath(QStringLiteral("choice")).toUtf8() + "')\" '"
        + m_bus.filePath(QStringLiteral("menu.in")).toUtf8() + "' | head -n 1\n";
    const QString rc = m_bus.filePath(QStringLiteral("dunstrc"));
    if (!writeTestFile(menu, script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)
        || !writeTestFile(rc, "[global]\ndmenu = " + menu.toUtf8() + "\n")
        || !writeTestFile(m_bus.filePath(QStringLiteral("choice")), "Show")) {
        m_error = QStringLiteral("cannot write dunst's files in %1").arg(m_bus.filePath({}));
        return false;
    }
    m_dunst = std::make_unique<standin::ManagedProcess>(m_bus.filePath(QStringLiteral("dunst.log")));
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
    writeTestFile(m_bus.filePath(QStringLiteral("choice")), text.toUtf8());
}

QString NotificationDaemon::menuOffered() const
{
    QFile file(m_bus.filePath(QStringLiteral("menu.in")));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace okh::test
