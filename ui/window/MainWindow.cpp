#include "MainWindow.h"

#include "alert/Muting.h"
#include "config/DeploymentFile.h"
#include "config/DeploymentLoader.h"
#include "detail/FailureView.h"
#include "model/DeploymentModel.h"
#include "notify/AlertHub.h"
#include "notify/DesktopNotifier.h"
#include "overview/DeploymentPage.h"
#include "overview/OverviewView.h"
#include "paint/Theme.h"
#include "session/MonitorHost.h"
#include "settings/AppSettings.h"
#include "settings/SettingsDialog.h"
#include "smoke/SmokeCheckDialog.h"
#include "ssh/SshPrompts.h"
#include "tray/TrayIcon.h"
#include "tray/TrayStatus.h"
#include "util/Clock.h"
#include "util/InstallPaths.h"
#include "window/DeploymentEditing.h"
#include "window/RecentFiles.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QStandardPaths>
#include <QStatusBar>
#include <QUrl>
#include <algorithm>

namespace okh {

namespace {

struct Merged
{
    QList<DeploymentSpec> deployments;
    QHash<QString, QString> fileOf;
};

// The deployments of every file, or why they cannot all be watched together.
std::variant<Merged, QString> merge(const QStringList& files, const DeploymentLoader::Outcome& outcome)
{
    if (const auto* error = std::get_if<ConfigError>(&outcome))
        return error->toString();
    Merged out;
    const auto& loaded = std::get<QList<DeploymentFile>>(outcome);
    for (qsizetype i = 0; i < loaded.size(); ++i) {
        for (const DeploymentSpec& d : loaded.at(i).deployments) {
            if (out.fileOf.contains(d.name)) {
                return MainWindow::tr("%1: a deployment named \"%2\" is already open from another file")
                    .arg(files.value(i), d.name);
            }
            out.fileOf.insert(d.name, files.value(i));
            out.deployments.append(d);
        }
    }
    return out;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_model(new DeploymentModel(this))
    , m_host(new MonitorHost(this))
{
    setWindowTitle(tr("OK Health"));
    m_overview = new OverviewView(*m_model, this);
    setCentralWidget(m_overview);
    m_status = new QLabel(this);
    statusBar()->addWidget(m_status, 1);
    createMenus();
    m_sshPrompts = new SshPrompts(*m_host, this);
    m_editing = new DeploymentEditing(*this);

    connect(m_host, &MonitorHost::batchReady, m_model, &DeploymentModel::apply);
    connect(m_overview, &OverviewView::runNowRequested, m_host, &MonitorHost::runNow);
    connect(m_host, &MonitorHost::historyGone, this, [this] { m_overview->setHistoryStore(nullptr); });
    connect(m_host, &MonitorHost::started, this, [this] {
        m_overview->setHistoryStore(m_host->history());
        for (const DeploymentSpec& d : std::as_const(m_deployments)) {
            if (m_muting->isPaused(d.name))
                m_host->setPaused(d.name, true); // a pause outlasts reopening the files
        }
        int checks = 0;
        for (const DeploymentSpec& d : std::as_const(m_deployments))
            for (const ServiceSpec& s : d.services)
                checks += int(s.checks.size());
        m_status->setText(tr("Watching %n deployment(s)", nullptr, int(m_deployments.size())) + QStringLiteral(" · ")
                          + tr("%n check(s)", nullptr, checks));
    });
    connect(m_host, &MonitorHost::failed, this, [this](const QString& message) {
        m_status->setText(message);
        showWarning(tr("Cannot start monitoring"), message);
    });
    connect(m_host, &MonitorHost::finished, this, [this] {
        if (m_closing) {
            close();
            return;
        }
        if (m_restartPending)
            startMonitoring();
    });

    m_trayStatus = new TrayStatus(*m_model, this);
    m_trayIcon = new TrayIcon(*m_trayStatus, *this, this);
    connect(m_trayIcon, &TrayIcon::quitRequested, this, &MainWindow::quit);

    m_host->setRetention(AppSettings::instance().retention());
    connect(&AppSettings::instance(), &AppSettings::changed, this, &MainWindow::applySetting);

    m_muting = new Muting(SystemClock::instance(), this);
    m_model->setMuting(m_muting);
    m_notifier = new DesktopNotifier(QDBusConnection::sessionBus(), this);
    m_notifier->setTrayFallback(m_trayIcon->icon());
    m_alerts = new AlertHub(SystemClock::instance(), *m_muting, *m_notifier, AppSettings::instance(), this);
    connect(m_host, &MonitorHost::batchReady, m_alerts, &AlertHub::apply);
    connect(m_alerts, &AlertHub::pauseEnded, this, [this](const QString& deployment) {
        m_host->setPaused(deployment, false);
        m_status->setText(tr("%1: the pause has ended, its checks run again.").arg(deployment));
    });
    connect(m_notifier, &DesktopNotifier::showRequested, this, [this](const Alert& alert) {
        if (!alert.items.isEmpty())
            showService(alert.items.first().deployment, alert.items.first().service);
    });
    connect(m_notifier, &DesktopNotifier::acknowledgeRequested, this, [this](const Alert& alert) {
        if (!alert.items.isEmpty())
            m_status->setText(tr("Acknowledged: %1").arg(alert.title));
    });

    const AppSettings& settings = AppSettings::instance();
    if (!restoreGeometry(settings.value(AppSettings::Key::WindowGeometry).toByteArray()))
        resize(1100, 720);
    restoreState(settings.value(AppSettings::Key::WindowState).toByteArray());
}

MainWindow::~MainWindow() = default;

QString MainWindow::historyPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("history.sqlite"));
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* create = file->addAction(tr("&New Deployment…"), this, [this] { m_editing->newDeployment(); });
    create->setShortcut(QKeySequence::New);
    create->setStatusTip(tr("An Open Klant deployment, page by page: connection, services, Celery"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::chooseFiles);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu(); // so the menu has its entries for keyboard and accessibility at once
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &MainWindow::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* copy = edit->addAction(tr("Copy Failure Details as &Markdown"), this, [this] {
        if (DeploymentPage* page = m_overview->currentPage())
            page->failureView()->copyMarkdown();
    });
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    edit->addSeparator();
    QAction* preferences = edit->addAction(tr("&Preferences…"), this, &MainWindow::openSettings);
    preferences->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    preferences->setMenuRole(QAction::PreferencesRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* now = view->addAction(tr("&Check All Now"), this, &MainWindow::checkAllNow);
    now->setShortcut(QKeySequence::Refresh);
    QAction* deploymentNow = view->addAction(tr("Check &Deployment Now"), this, [this] {
        if (DeploymentPage* page = m_overview->currentPage())
            m_host->runNow(page->deploymentName());
    });
    deploymentNow->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    QAction* selectedNow = view->addAction(tr("Check &Selected Now"), this, [this] {
        if (DeploymentPage* page = m_overview->currentPage())
            page->runCurrentNow();
    });
    selectedNow->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    view->addSeparator();
    QAction* find = view->addAction(tr("&Filter Services…"), m_overview, &OverviewView::focusFilter);
    find->setShortcut(QKeySequence::Find);

    QMenu* deployment = menuBar()->addMenu(tr("De&ployment"));
    QAction* editDeployment = deployment->addAction(tr("&Edit Deployment…"), this, [this] {
        if (DeploymentPage* page = m_overview->currentPage())
            m_editing->edit(page->deploymentName());
    });
    editDeployment->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    editDeployment->setStatusTip(tr("Services, checks and the connection, checked as you type"));
    QAction* smoke = deployment->addAction(tr("Run &Smoke Check…"), this, [this] {
        if (DeploymentPage* page = m_overview->currentPage())
            openSmokeCheck(page->deploymentName());
    });
    smoke->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    smoke->setStatusTip(tr("Every check of the deployment once, now, with a report to export"));
    deployment->addSeparator();
    addMutingMenus(deployment);

    m_helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction* docs = m_helpMenu->addAction(tr("&Documentation"), this, &MainWindow::showDocumentation);
    docs->setShortcut(QKeySequence::HelpContents);
    docs->setObjectName(QStringLiteral("documentation"));
    docs->setStatusTip(documentationPath());
    m_helpMenu->addAction(tr("&About OK Health"), this, &MainWindow::showAbout);
}

SettingsDialog* MainWindow::openSettings()
{
    if (auto* open = findChild<SettingsDialog*>(); open && open->isVisible()) {
        open->raise();
        open->activateWindow();
        return open;
    }
    auto* dialog = new SettingsDialog(AppSettings::instance(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void MainWindow::applySetting(AppSettings::Key key)
{
    AppSettings& settings = AppSettings::instance();
    switch (key) {
    case AppSettings::Key::Theme:
        Theme::apply(settings.theme());
        break;
    case AppSettings::Key::RetentionRawDays:
    case AppSettings::Key::RetentionMinuteDays:
    case AppSettings::Key::RetentionHourDays:
        m_host->setRetention(settings.retention());
        break;
    default:
        break; // read where they are used (notifications: AlertHub; close to tray: closeEvent)
    }
}

QString MainWindow::currentDeployment() const
{
    const DeploymentPage* page = m_overview->currentPage();
    return page ? page->deploymentName() : QString();
}

void MainWindow::addMutingMenus(QMenu* deployment)
{
    QAction* ack = deployment->addAction(tr("&Acknowledge Incident"), this,
                                         [this] { acknowledgeIncident(currentDeployment()); });
    ack->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    ack->setStatusTip(tr("Mute the failing services' notifications until they recover"));

    const auto lengthText = [](int minutes) {
        return minutes < 60 ? tr("%n minute(s)", nullptr, minutes) : tr("%n hour(s)", nullptr, minutes / 60);
    };
    QMenu* maintenance = deployment->addMenu(tr("&Maintenance Window"));
    for (const int minutes : {30, 60, 120, 240}) {
        maintenance->addAction(lengthText(minutes), this, [this, minutes] {
            startMaintenance(currentDeployment(), std::chrono::minutes(minutes));
        });
    }
    maintenance->addSeparator();
    maintenance->addAction(tr("&End Maintenance Window"), this,
                           [this] { startMaintenance(currentDeployment(), std::chrono::minutes(0)); });

    QMenu* pauseMenu = deployment->addMenu(tr("&Pause Checks"));
    for (const int minutes : {15, 60, 240}) {
        pauseMenu->addAction(lengthText(minutes), this,
                             [this, minutes] { pause(currentDeployment(), std::chrono::minutes(minutes)); });
    }
    pauseMenu->addAction(tr("&Until Resumed"), this, [this] { pause(currentDeployment(), std::nullopt); });
    QAction* resumeAction = deployment->addAction(tr("&Resume Checks"), this, [this] { resume(currentDeployment()); });
    resumeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    connect(deployment, &QMenu::aboutToShow, this,
            [this, resumeAction] { resumeAction->setEnabled(m_muting->isPaused(currentDeployment())); });
}

void MainWindow::acknowledgeIncident(const QString& deployment)
{
    const QModelIndex d = m_model->deploymentIndex(deployment);
    QStringList acknowledged;
    for (int row = 0; row < m_model->rowCount(d); ++row) {
        const QModelIndex service = m_model->index(row, 0, d);
        if (ProbeStatus(service.data(DeploymentModel::StatusRole).toInt()) != ProbeStatus::Unhealthy)
            continue;
        m_muting->acknowledge(deployment, service.data().toString(), Muting::localUserName());
        acknowledged.append(service.data().toString());
    }
    m_status->setText(acknowledged.isEmpty() ? tr("%1: nothing is failing, nothing to acknowledge.").arg(deployment)
                                             : tr("%1: acknowledged %2; muted until they recover.")
                                                   .arg(deployment, acknowledged.join(QStringLiteral(", "))));
}

void MainWindow::startMaintenance(const QString& deployment, std::chrono::minutes length)
{
    if (deployment.isEmpty())
        return;
    m_muting->setMaintenance(deployment, length);
    m_status->setText(length.count() > 0
                          ? m_model->deploymentIndex(deployment).data(DeploymentModel::MutingTextRole).toString()
                          : tr("%1: the maintenance window has ended.").arg(deployment));
}

void MainWindow::pause(const QString& deployment, std::optional<std::chrono::minutes> length)
{
    if (deployment.isEmpty())
        return;
    m_muting->setPaused(deployment, length);
    m_host->setPaused(deployment, true);
    m_status->setText(m_model->deploymentIndex(deployment).data(DeploymentModel::MutingTextRole).toString());
}

void MainWindow::resume(const QString& deployment)
{
    if (deployment.isEmpty())
        return;
    m_muting->clearPause(deployment);
    m_host->setPaused(deployment, false);
    m_status->setText(tr("%1: checks run again.").arg(deployment));
}

void MainWindow::showService(const QString& deployment, const QString& service)
{
    showNormal();
    raise();
    activateWindow();
    m_overview->showService(deployment, service);
}

void MainWindow::quit()
{
    m_quitting = true;
    close();
}

SmokeCheckDialog* MainWindow::openSmokeCheck(const QString& deployment)
{
    // One dialog per deployment: asking again shows it and runs it again. A closed one is
    // being deleted (WA_DeleteOnClose): not that one.
    for (SmokeCheckDialog* open : findChildren<SmokeCheckDialog*>()) {
        if (open->deployment() == deployment && open->isVisible()) {
            open->raise();
            open->activateWindow();
            if (!open->isRunning())
                open->run();
            return open;
        }
    }
    auto* dialog = new SmokeCheckDialog(*m_host, deployment, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    dialog->run();
    return dialog;
}

void MainWindow::chooseFiles()
{
    // Shown, never exec(): monitoring and repaints go on while the dialog is open.
    auto* dialog
        = new QFileDialog(this, tr("Open Deployment Files"), QString(), tr("Deployment files (*.json);;All files (*)"));
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::filesSelected, this, [this](const QStringList& files) { open(files); });
    dialog->open();
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = RecentFiles::files();
    for (int i = 0; i < files.size(); ++i) {
        const QString& path = files.at(i);
        // "&1 acceptance.json — /etc/okhealth": the name first, its folder to tell twins apart.
        const QFileInfo info(path);
        const QString number = i < 9 ? QStringLiteral("&%1").arg(i + 1) : QStringLiteral("1&0");
        QAction* action = m_recentMenu->addAction(
            tr("%1 %2 — %3").arg(number, info.fileName(), QDir::toNativeSeparators(info.absolutePath())), this,
            [this, path] { openRecent(path); });
        action->setStatusTip(path);
        action->setData(path);
    }
    if (files.isEmpty())
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
    m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("&Clear Menu"), this, [this] {
        RecentFiles::clear();
        fillRecentMenu();
    });
    clear->setEnabled(!files.isEmpty());
}

void MainWindow::openRecent(const QString& path)
{
    if (!QFileInfo::exists(path)) {
        RecentFiles::remove(path);
        fillRecentMenu();
        showWarning(tr("Cannot open the deployment file"),
                    tr("%1 is no longer there; it is taken off the recent files.").arg(path));
        return;
    }
    open({path});
}

bool MainWindow::openLast()
{
    QStringList files;
    for (const QString& path : RecentFiles::lastOpened()) {
        if (QFileInfo::exists(path))
            files.append(path);
    }
    if (files.isEmpty())
        return false;
    open(files);
    return true;
}

void MainWindow::addModeMenu(QMenu* menu)
{
    menuBar()->insertMenu(m_helpMenu->menuAction(), menu);
}

void MainWindow::showStatus(const QString& text)
{
    m_status->setText(text);
}

void MainWindow::open(const QStringList& files, Remember remember)
{
    if (files.isEmpty())
        return;
    m_status->setText(tr("Loading %1…").arg(files.join(QStringLiteral(", "))));
    // Disk, JSON and the keychain: all off the GUI thread or asynchronous (DeploymentLoader).
    auto* loader = new DeploymentLoader(this);
    connect(loader, &DeploymentLoader::finished, this,
            [this, loader, remember](const QStringList& paths, const DeploymentLoader::Outcome& outcome) {
                loader->deleteLater();
                const auto merged = merge(paths, outcome);
                if (const auto* error = std::get_if<QString>(&merged)) {
                    m_status->setText(*error);
                    Q_EMIT openFailed(*error);
                    showWarning(tr("Cannot open the deployment file"), *error);
                    return;
                }
                m_fileOf = std::get<Merged>(merged).fileOf;
                onLoaded(paths, std::get<Merged>(merged).deployments, remember);
            });
    loader->load(files);
}

void MainWindow::onLoaded(const QStringList& files, const QList<DeploymentSpec>& deployments, Remember remember)
{
    for (const DeploymentSpec& old : std::as_const(m_deployments)) {
        if (std::none_of(deployments.cbegin(), deployments.cend(),
                         [&old](const DeploymentSpec& d) { return d.name == old.name; }))
            m_alerts->forget(old.name); // no longer watched: nothing more to tell of it
    }
    m_files = files;
    m_deployments = deployments;
    if (remember == Remember::Yes) {
        RecentFiles::add(files);
        fillRecentMenu();
    }
    setWindowFilePath(files.join(QStringLiteral(", ")));
    m_model->setDeployments(deployments);
    Q_EMIT deploymentsOpened(files);
    if (m_host->isRunning()) {
        m_restartPending = true;
        m_host->shutdown();
        return;
    }
    startMonitoring();
}

void MainWindow::applySaved(const QString& path, const DeploymentSpec& spec, const QString& previousName)
{
    const QString oldName = previousName.isEmpty() ? spec.name : previousName;
    const auto it = std::find_if(m_deployments.begin(), m_deployments.end(),
                                 [&oldName](const DeploymentSpec& d) { return d.name == oldName; });
    if (it != m_deployments.end())
        *it = spec;
    else
        m_deployments.append(spec);
    m_fileOf.remove(oldName);
    m_fileOf.insert(spec.name, path);
    if (!m_files.contains(path)) {
        m_files.append(path);
        RecentFiles::add(m_files);
        fillRecentMenu();
        setWindowFilePath(m_files.join(QStringLiteral(", ")));
    }
    m_model->replaceDeployment(oldName, spec);
    if (oldName != spec.name) {
        m_alerts->forget(oldName);
        m_host->removeDeployment(oldName);
    }
    if (m_host->isRunning())
        m_host->replaceDeployment(spec);
    else
        startMonitoring();
    m_status->setText(tr("Saved %1").arg(path));
}

void MainWindow::startMonitoring()
{
    m_restartPending = false;
    m_host->start(m_deployments, historyPath());
}

void MainWindow::checkAllNow()
{
    for (const DeploymentSpec& d : std::as_const(m_deployments))
        m_host->runNow(d.name);
}

void MainWindow::showWarning(const QString& title, const QString& text)
{
    // Window-modal and shown, never exec(): no nested event loop, the batches keep coming.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->open();
}

QString MainWindow::documentationPath()
{
    // OKHEALTH_DOCS_DIR, else the installed docs, else those of the checkout the app was built
    // from (scripts/run).
    QString dir = qEnvironmentVariable("OKHEALTH_DOCS_DIR");
    if (dir.isEmpty())
        dir = installedDocDir();
    if (dir.isEmpty())
        dir = QStringLiteral(OKHEALTH_DOCS_DIR_FALLBACK);
    return QDir(dir).filePath(QStringLiteral("desktop.md"));
}

void MainWindow::showDocumentation()
{
    const QString path = documentationPath();
    if (QFileInfo::exists(path) && QDesktopServices::openUrl(QUrl::fromLocalFile(path)))
        return;
    showWarning(tr("Documentation"),
                tr("The documentation could not be opened. It is docs/desktop.md in the OK Health "
                   "sources (expected at %1).")
                    .arg(QDir::toNativeSeparators(path)));
}

void MainWindow::showAbout()
{
    auto* box = new QMessageBox(QMessageBox::Information, tr("About OK Health"),
                                tr("<p><b>OK Health</b> %1</p><p>Live health of Open Klant deployments: every "
                                   "recommended check, what is wrong, why, and since when.</p>")
                                    .arg(QApplication::applicationVersion()),
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!m_quitting && !m_closing && m_trayIcon->isShown()
        && AppSettings::instance().boolValue(AppSettings::Key::CloseToTray)) {
        // Monitoring and notifications go on; the tray brings the window back (or quits).
        hide();
        event->ignore();
        return;
    }
    AppSettings& settings = AppSettings::instance();
    settings.setValue(AppSettings::Key::WindowGeometry, saveGeometry());
    settings.setValue(AppSettings::Key::WindowState, saveState());
    if (!m_host->isRunning()) {
        event->accept();
        return;
    }
    // The monitors stop and the history flushes on their thread; the window closes after.
    event->ignore();
    if (m_closing)
        return;
    m_closing = true;
    m_status->setText(tr("Stopping the checks and saving history…"));
    m_host->shutdown();
}

} // namespace okh
