#include "DesktopNotifier.h"

#include "paint/AppIcons.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QSystemTrayIcon>

namespace okh {

namespace {

const QString Service = QStringLiteral("org.freedesktop.Notifications");
const QString Path = QStringLiteral("/org/freedesktop/Notifications");
const QString Interface = QStringLiteral("org.freedesktop.Notifications");
const QString ShowAction = QStringLiteral("default"); // the spec's key for a click on the notification
const QString AcknowledgeAction = QStringLiteral("acknowledge");

} // namespace

DesktopNotifier::DesktopNotifier(const QDBusConnection& bus, QObject* parent)
    : QObject(parent)
    , m_bus(bus)
{
    qRegisterMetaType<okh::Alert>();
    m_bus.connect(Service, Path, Interface, QStringLiteral("ActionInvoked"), this,
                  SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(Service, Path, Interface, QStringLiteral("NotificationClosed"), this, SLOT(onClosed(uint, uint)));
}

void DesktopNotifier::setTrayFallback(QSystemTrayIcon* tray)
{
    m_tray = tray;
}

void DesktopNotifier::notify(const Alert& alert)
{
    if (m_serviceMissing || !m_bus.isConnected()) {
        showInTray(alert);
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(Service, Path, Interface, QStringLiteral("Notify"));
    QStringList actions{ShowAction, tr("Show")};
    if (alert.problem)
        actions << AcknowledgeAction << tr("Acknowledge");
    QVariantMap hints;
    hints.insert(QStringLiteral("desktop-entry"), AppIcons::applicationId());
    // Critical stays until dismissed: a service that is down should not slip by unseen.
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(alert.problem ? 2 : 1)));
    if (m_sound)
        hints.insert(QStringLiteral("sound-name"),
                     alert.problem ? QStringLiteral("dialog-warning") : QStringLiteral("dialog-information"));
    else
        hints.insert(QStringLiteral("suppress-sound"), true);
    // A service's new state replaces its notification still on screen ("healthy again" over
    // "is down"), rather than stacking up.
    const QString key
        = alert.items.isEmpty() ? QString() : alert.items.first().deployment + u'\n' + alert.items.first().service;
    const uint replaces = m_shown.contains(m_lastIdOf.value(key)) ? m_lastIdOf.value(key) : 0;
    call << QCoreApplication::applicationName() << replaces << AppIcons::applicationId() << alert.title << alert.body
         << actions << hints << int(-1);
    auto* watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, alert, key] {
        watcher->deleteLater();
        const QDBusPendingReply<uint> reply = *watcher;
        if (reply.isError()) {
            // No notification service on this desktop (or it broke): the tray from now on.
            m_serviceMissing = true;
            showInTray(alert);
            return;
        }
        m_shown.insert(reply.value(), alert);
        if (!key.isEmpty())
            m_lastIdOf.insert(key, reply.value());
        Q_EMIT delivered(Channel::Notifications, reply.value());
    });
}

void DesktopNotifier::showInTray(const Alert& alert)
{
    if (!m_tray || !m_tray->isVisible()) {
        Q_EMIT delivered(Channel::None, 0);
        return;
    }
    m_tray->showMessage(alert.title, alert.body,
                        alert.problem ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
    Q_EMIT delivered(Channel::Tray, 0);
}

void DesktopNotifier::onActionInvoked(uint id, const QString& action)
{
    const auto it = m_shown.constFind(id);
    if (it == m_shown.constEnd())
        return; // another application's notification
    const Alert alert = *it;
    if (action == AcknowledgeAction)
        Q_EMIT acknowledgeRequested(alert);
    else if (action == ShowAction)
        Q_EMIT showRequested(alert);
}

void DesktopNotifier::onClosed(uint id, uint reason)
{
    Q_UNUSED(reason)
    m_shown.remove(id);
}

} // namespace okh
