#pragma once

#include "standin/ManagedProcess.h"

#include <QDBusConnection>
#include <QFile>
#include <QTemporaryDir>
#include <memory>

namespace okh::test {

// A private D-Bus session bus: dbus-daemon with its own configuration and no service
// activation, so nothing starts behind the test's back. Stopped by pid with this object.
class PrivateBus
{
public:
    PrivateBus();
    ~PrivateBus();

    bool start();
    QString address() const;
    // A connection of this process to the bus.
    QDBusConnection connection() const;
    QString errorString() const { return m_error; }
    // The fixture's own temporary directory, for the daemons started on the bus.
    QString filePath(const QString& name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<standin::ManagedProcess> m_daemon;
    QString m_connectionName;
    QString m_error;
};

bool writeTestFile(const QString& path, const QByteArray& content, QFile::Permissions permissions = {});

} // namespace okh::test
