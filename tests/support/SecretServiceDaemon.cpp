#include "SecretServiceDaemon.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusReply>
#include <QDBusVariant>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QThread>

namespace okh::test {

SecretServiceDaemon::~SecretServiceDaemon()
{
    m_keyring.reset(); // before the bus it talks on
}

bool SecretServiceDaemon::startBus()
{
    if (m_bus.start())
        return true;
    m_error = m_bus.errorString();
    return false;
}

bool SecretServiceDaemon::startKeyring()
{
    const QString home = m_bus.filePath(QStringLiteral("home"));
    const QString runtime = m_bus.filePath(QStringLiteral("runtime"));
    if (!QDir().mkpath(home + QStringLiteral("/.local/share")) || !QDir().mkpath(runtime)
        || !QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
        m_error = QStringLiteral("cannot create the keyring's directories in %1").arg(home);
        return false;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/.cache"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_bus.address());
    env.remove(QStringLiteral("GNOME_KEYRING_CONTROL"));
    m_keyring = std::make_unique<standin::ManagedProcess>(m_bus.filePath(QStringLiteral("gnome-keyring.log")));
    m_keyring->setEnvironment(env);
    m_keyring->setKeepStdinOpen(true);
    if (!m_keyring->start(
            QStringLiteral("gnome-keyring-daemon"),
            {QStringLiteral("--foreground"), QStringLiteral("--components=secrets"), QStringLiteral("--unlock")})) {
        m_error = m_keyring->errorString();
        return false;
    }
    // --unlock reads the login keyring's password from stdin, up to its end.
    m_keyring->writeStdin("okhealth-test-keyring");
    m_keyring->closeStdin();
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 15000) {
        if (isReady())
            return true;
        if (!m_keyring->isRunning())
            break;
        QThread::msleep(50);
    }
    m_error = QStringLiteral("gnome-keyring-daemon did not offer an unlocked default collection: %1")
                  .arg(m_keyring->logTail());
    return false;
}

// The Secret Service answers, and its default collection exists and is unlocked: what a
// password store needs without a prompt.
bool SecretServiceDaemon::isReady() const
{
    const QDBusConnection bus = m_bus.connection();
    if (!bus.interface()->isServiceRegistered(QStringLiteral("org.freedesktop.secrets")))
        return false;
    // Plain method calls: QDBusInterface would introspect, and Qt keeps (and never frees) the
    // meta-objects it builds from that.
    const QString secrets = QStringLiteral("org.freedesktop.secrets");
    QDBusMessage readAlias
        = QDBusMessage::createMethodCall(secrets, QStringLiteral("/org/freedesktop/secrets"),
                                         QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("ReadAlias"));
    readAlias << QStringLiteral("default");
    const QDBusReply<QDBusObjectPath> alias = bus.call(readAlias);
    if (!alias.isValid() || alias.value().path() == QLatin1String("/"))
        return false;
    QDBusMessage getLocked = QDBusMessage::createMethodCall(
        secrets, alias.value().path(), QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    getLocked << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    const QDBusReply<QDBusVariant> locked = bus.call(getLocked);
    return locked.isValid() && !locked.value().variant().toBool();
}

void SecretServiceDaemon::stopKeyring()
{
    m_keyring.reset();
}

QStringList SecretServiceDaemon::keyringFiles() const
{
    QStringList files;
    QDirIterator it(m_bus.filePath(QStringLiteral("home")), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    return files;
}

} // namespace okh::test
