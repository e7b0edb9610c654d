#pragma once

#include "config/DeploymentSpec.h"
#include "settings/AppSettings.h"

#include <QMainWindow>
#include <QStringList>
#include <chrono>
#include <optional>

class QLabel;
class QMenu;

namespace okh {

class AlertHub;
class DeploymentModel;
class DesktopNotifier;
class MonitorHost;
class Muting;
class TrayIcon;
class OverviewView;
class SettingsDialog;
class SmokeCheckDialog;
class TrayStatus;
class SshPrompts;
class DeploymentEditing;

// The desktop app's window: the overview of every opened deployment, File/View/Help menus,
// the monitoring thread behind it. Deployment files load off the GUI thread; an invalid file
// is reported with the loader's file:line:column message and what ran before keeps running.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads the files (asynchronously) and monitors their deployments instead of the current
    // ones. Files that will not be there next time (the stand-in's) are not remembered.
    enum class Remember { Yes, No };
    void open(const QStringList& files, Remember remember = Remember::Yes);
    // A menu of the app's mode (Demo), placed before Help.
    void addModeMenu(QMenu* menu);
    void showStatus(const QString& text);
    // Opens what was open when the app last loaded files (those still there); false if none.
    bool openLast();
    QMenu* recentMenu() const { return m_recentMenu; }
    DeploymentModel& model() const { return *m_model; }
    OverviewView& overview() const { return *m_overview; }
    SshPrompts& sshPrompts() const { return *m_sshPrompts; }
    // The worst status across deployments, for the tray icon (where there is a tray).
    TrayStatus& trayStatus() const { return *m_trayStatus; }
    Muting& muting() const { return *m_muting; }
    TrayIcon& trayIcon() const { return *m_trayIcon; }
    AlertHub& alerts() const { return *m_alerts; }
    DesktopNotifier& notifier() const { return *m_notifier; }
    // Quits even when closing would only hide the window in the tray.
    void quit();
    // Deployment menu: the current deployment's failing services acknowledged as the local user;
    // a maintenance window (notifications muted); a pause (checks stop; nullopt: until resumed).
    void acknowledgeIncident(const QString& deployment);
    void startMaintenance(const QString& deployment, std::chrono::minutes length);
    void pause(const QString& deployment, std::optional<std::chrono::minutes> length);
    void resume(const QString& deployment);
    // Brings the window up with the service's tile current (a notification's Show).
    void showService(const QString& deployment, const QString& service);
    // Edit → Preferences (Ctrl+,): the dialog, shown.
    SettingsDialog* openSettings();
    // Run Smoke Check (Ctrl+Shift+R) on a monitored deployment: the dialog, running.
    SmokeCheckDialog* openSmokeCheck(const QString& deployment);
    // File → New Deployment and Deployment → Edit Deployment.
    DeploymentEditing& editing() const { return *m_editing; }
    const QList<DeploymentSpec>& deployments() const { return m_deployments; }
    // The file a deployment was loaded from; empty when none is open by that name.
    QString fileOf(const QString& deployment) const { return m_fileOf.value(deployment); }
    // A deployment the editor saved to `path`: only its own monitors restart (history goes on
    // under its name); a new one is added and its file remembered with the others.
    void applySaved(const QString& path, const DeploymentSpec& spec, const QString& previousName);
    // Where history is kept: QStandardPaths::AppDataLocation/history.sqlite.
    static QString historyPath();
    // docs/desktop.md, for Help → Documentation (F1).
    static QString documentationPath();

Q_SIGNALS:
    void deploymentsOpened(const QStringList& files);
    void openFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void chooseFiles();
    void fillRecentMenu();
    void openRecent(const QString& path);
    void onLoaded(const QStringList& files, const QList<DeploymentSpec>& deployments, Remember remember);
    void startMonitoring();
    void checkAllNow();
    void showAbout();
    void showDocumentation();
    void showWarning(const QString& title, const QString& text);
    void addMutingMenus(QMenu* deployment);
    void applySetting(AppSettings::Key key);
    QString currentDeployment() const;

    DeploymentModel* m_model = nullptr;
    OverviewView* m_overview = nullptr;
    MonitorHost* m_host = nullptr;
    SshPrompts* m_sshPrompts = nullptr;
    TrayStatus* m_trayStatus = nullptr;
    TrayIcon* m_trayIcon = nullptr;
    Muting* m_muting = nullptr;
    DesktopNotifier* m_notifier = nullptr;
    AlertHub* m_alerts = nullptr;
    QLabel* m_status = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QList<DeploymentSpec> m_deployments; // what the host should run
    QHash<QString, QString> m_fileOf; // deployment → the file it is in
    DeploymentEditing* m_editing = nullptr;
    QStringList m_files;
    bool m_restartPending = false;
    bool m_closing = false;
    bool m_quitting = false;
};

} // namespace okh
