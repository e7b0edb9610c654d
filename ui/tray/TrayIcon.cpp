#include "TrayIcon.h"

#include "paint/AppIcons.h"
#include "tray/TrayStatus.h"

#include <QMainWindow>
#include <QMenu>
#include <QSystemTrayIcon>

namespace okh {

TrayIcon::TrayIcon(TrayStatus& status, QMainWindow& window, QObject* parent)
    : QObject(parent)
    , m_status(status)
    , m_window(window)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_icon = new QSystemTrayIcon(this);
    auto* menu = new QMenu(&m_window);
    menu->addAction(tr("&Show OK Health"), this, [this] {
        m_window.showNormal();
        m_window.raise();
        m_window.activateWindow();
    });
    menu->addSeparator();
    menu->addAction(tr("&Quit"), this, &TrayIcon::quitRequested);
    m_icon->setContextMenu(menu);
    connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger)
            toggleWindow();
    });
    connect(&m_status, &TrayStatus::changed, this, &TrayIcon::refresh);
    refresh();
    m_icon->show();
}

bool TrayIcon::isShown() const
{
    return m_icon && m_icon->isVisible();
}

void TrayIcon::refresh()
{
    m_icon->setIcon(AppIcons::status(m_status.worst()));
    m_icon->setToolTip(m_status.toolTip());
}

void TrayIcon::toggleWindow()
{
    if (m_window.isVisible() && !m_window.isMinimized()) {
        m_window.hide();
        return;
    }
    m_window.showNormal();
    m_window.raise();
    m_window.activateWindow();
}

} // namespace okh
