#pragma once

#include "alert/AlertPlanner.h"

#include <QDBusConnection>
#include <QHash>
#include <QObject>
#include <QPointer>

class QSystemTrayIcon;

namespace okh {

// Shows alerts as desktop notifications (docs/desktop.md, "Notifications"): through the
// freedesktop notification service (org.freedesktop.Notifications) over D-Bus when the
// session has one, with the actions "Show" (also the default, a click) and "Acknowledge";
// otherwise as the tray icon's balloon message. Every D-Bus call is asynchronous: the GUI
// thread never waits for the bus or the daemon.
class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    enum class Channel { Notifications, Tray, None };
    Q_ENUM(Channel)

    explicit DesktopNotifier(const QDBusConnection& bus = QDBusConnection::sessionBus(), QObject* parent = nullptr);

    // The balloon used when there is no notification service (may be nullptr: no tray).
    void setTrayFallback(QSystemTrayIcon* tray);
    void setSound(bool sound) { m_sound = sound; }
    void notify(const Alert& alert);

Q_SIGNALS:
    // `serverId`: the notification service's id (0 for the tray).
    void delivered(okh::DesktopNotifier::Channel channel, uint serverId);
    void showRequested(const okh::Alert& alert);
    void acknowledgeRequested(const okh::Alert& alert);

private Q_SLOTS:
    void onActionInvoked(uint id, const QString& action);
    void onClosed(uint id, uint reason);

private:
    void showInTray(const Alert& alert);

    QDBusConnection m_bus;
    QPointer<QSystemTrayIcon> m_tray;
    QHash<uint, Alert> m_shown; // server id → alert, until closed
    QHash<QString, uint> m_lastIdOf; // "deployment\nservice" of an alert's first item → its server id
    bool m_sound = false;
    bool m_serviceMissing = false; // a call failed: use the tray from now on
};

} // namespace okh
