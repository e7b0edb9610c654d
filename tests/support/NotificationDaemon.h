#pragma once

#include "PrivateBus.h"
#include "standin/ManagedProcess.h"

#include <QDBusConnection>
#include <QTemporaryDir>
#include <memory>

namespace okh::test {

// A private D-Bus session bus (dbus-daemon with its own configuration, no service activation)
// and, on request, a real notification daemon on it (dunst, which draws on the given X
// display). Its context menu runs a script instead of dmenu: the script records the actions
// it was offered (menuOffered()) and picks the one containing chooseInMenu()'s text, so that
// `dunstctl context` invokes an action as a user's choice would. Stops both by pid.
class NotificationDaemon
{
public:
    NotificationDaemon();
    ~NotificationDaemon();

    bool startBus();
    bool startDunst(const QString& display);
    QString busAddress() const;
    // A connection of this process to the private bus.
    QDBusConnection connection() const;
    QString errorString() const { return m_error; }

    // Runs dunstctl with these arguments on the private bus; its standard output.
    QString dunstctl(const QStringList& arguments) const;
    void chooseInMenu(const QString& text);
    QString menuOffered() const;

private:
    PrivateBus m_bus;
    std::unique_ptr<standin::ManagedProcess> m_dunst;
    QString m_error;
};

} // namespace okh::test
