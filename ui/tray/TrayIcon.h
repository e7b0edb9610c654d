#pragma once

#include <QObject>

class QAction;
class QMainWindow;
class QSystemTrayIcon;

namespace okh {

class TrayStatus;

// The tray icon, where the desktop has a tray (QSystemTrayIcon::isSystemTrayAvailable()): the
// worst status's shape and colour, the status's tooltip; a click shows or hides the window,
// its menu has Show and Quit (quitRequested: the window decides). Without a tray it does nothing.
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    TrayIcon(TrayStatus& status, QMainWindow& window, QObject* parent = nullptr);

    bool isShown() const;
    QSystemTrayIcon* icon() const { return m_icon; }

Q_SIGNALS:
    void quitRequested();

private:
    void refresh();
    void toggleWindow();

    TrayStatus& m_status;
    QMainWindow& m_window;
    QSystemTrayIcon* m_icon = nullptr;
};

} // namespace okh
