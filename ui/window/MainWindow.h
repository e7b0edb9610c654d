#pragma once

#include "config/DeploymentSpec.h"

#include <QMainWindow>
#include <QStringList>

class QLabel;
class QMenu;

namespace okh {

class DeploymentModel;
class MonitorHost;
class OverviewView;
class SmokeCheckDialog;
class TrayStatus;
class SshPrompts;

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
    // Run Smoke Check (Ctrl+Shift+R) on a monitored deployment: the dialog, running.
    SmokeCheckDialog* openSmokeCheck(const QString& deployment);
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

    DeploymentModel* m_model = nullptr;
    OverviewView* m_overview = nullptr;
    MonitorHost* m_host = nullptr;
    SshPrompts* m_sshPrompts = nullptr;
    TrayStatus* m_trayStatus = nullptr;
    QLabel* m_status = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QList<DeploymentSpec> m_deployments; // what the host should run
    QStringList m_files;
    bool m_restartPending = false;
    bool m_closing = false;
};

} // namespace okh
