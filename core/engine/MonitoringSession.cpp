#include "MonitoringSession.h"

#include "store/HistoryStore.h"

#include <QDir>
#include <QFileInfo>
#include <QFuture>
#include <QLockFile>
#include <QTimer>
#include <algorithm>

namespace okh {

MonitoringSession::MonitoringSession(Options options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
{ }

MonitoringSession::~MonitoringSession()
{
    // Monitors first: they record into the store, whose destructor commits what is queued.
    m_monitors.clear();
    m_history.reset();
}

DeploymentMonitor* MonitoringSession::monitor(const QString& deployment) const
{
    for (const auto& m : m_monitors) {
        if (m->spec().name == deployment)
            return m.get();
    }
    return nullptr;
}

int MonitoringSession::checkCount() const
{
    int checks = 0;
    for (const DeploymentSpec& spec : m_deployments) {
        for (const ServiceSpec& service : spec.services)
            checks += int(service.checks.size());
    }
    return checks;
}

void MonitoringSession::start(const QList<DeploymentSpec>& deployments)
{
    if (m_starting || m_stopping)
        return;
    m_starting = true;
    m_deployments = deployments;
    if (m_options.historyPath.isEmpty()) {
        startMonitors();
        return;
    }
    if (!lockHistory())
        return;
    HistoryStore::Options options;
    options.path = m_options.historyPath;
    options.retention = m_options.retention;
    m_history = std::make_unique<HistoryStore>(options, *m_options.wallClock);
    connect(m_history.get(), &HistoryStore::errorOccurred, this, &MonitoringSession::historyError);
    // Refuse to run without the history that was asked for, rather than lose it silently.
    m_history->stats().then(this, [this](const StoreStats& stats) {
        if (m_stopping)
            return;
        if (!stats.open) {
            Q_EMIT failed(Failure::HistoryUnavailable,
                          tr("cannot open the history file %1").arg(QDir::toNativeSeparators(m_options.historyPath)));
            return;
        }
        startMonitors();
    });
}

bool MonitoringSession::lockHistory()
{
    const QString path = m_options.historyPath;
    QDir().mkpath(QFileInfo(path).absolutePath());
    // One writer per history file: a second one would interleave its cached check ids,
    // incidents and rollup marks with ours. Readers take no lock.
    m_historyLock = std::make_unique<QLockFile>(path + QStringLiteral(".lock"));
    m_historyLock->setStaleLockTime(0); // stale only when its process is gone, never by age
    if (m_historyLock->tryLock(0))
        return true;
    qint64 pid = 0;
    QString host;
    QString application;
    m_historyLock->getLockInfo(&pid, &host, &application);
    m_historyLock.reset();
    // Queued: the caller sees the outcome as a signal whichever way it went.
    const QString message = tr("the history file %1 is already written by another process (pid %2 on %3)")
                                .arg(QDir::toNativeSeparators(path))
                                .arg(pid)
                                .arg(host);
    QTimer::singleShot(0, this, [this, message] { Q_EMIT failed(Failure::HistoryLocked, message); });
    return false;
}

void MonitoringSession::startMonitors()
{
    m_monitorsStarted = true;
    for (const DeploymentSpec& spec : std::as_const(m_deployments))
        startMonitor(spec);
    QTimer::singleShot(0, this, [this] {
        if (!m_stopping)
            Q_EMIT started();
    });
}

void MonitoringSession::startMonitor(const DeploymentSpec& spec)
{
    DeploymentMonitor::Options options;
    options.history = m_history.get();
    options.wallClock = m_options.wallClock;
    options.passphrases = m_options.passphrases;
    auto monitor = std::make_unique<DeploymentMonitor>(spec, options);
    connect(monitor.get(), &DeploymentMonitor::checkUpdated, this, &MonitoringSession::checkUpdated);
    connect(monitor.get(), &DeploymentMonitor::verdictChanged, this, &MonitoringSession::verdictChanged);
    connect(monitor.get(), &DeploymentMonitor::reachabilityChanged, this, &MonitoringSession::reachabilityChanged);
    connect(monitor.get(), &DeploymentMonitor::servicesChanged, this, &MonitoringSession::servicesChanged);
    connect(monitor.get(), &DeploymentMonitor::hostKeyRejected, this,
            [this](const QString& deployment, const SshHostKey& key, SshFailure failure) {
                if (failure == SshFailure::HostKeyUnknown)
                    m_unknownKeys.insert(deployment, key);
                Q_EMIT hostKeyRejected(deployment, key, failure);
            });
    monitor->start();
    m_monitors.push_back(std::move(monitor));
}

void MonitoringSession::dropMonitor(const QString& deployment)
{
    const auto it = std::find_if(m_monitors.begin(), m_monitors.end(),
                                 [&deployment](const auto& m) { return m->spec().name == deployment; });
    if (it == m_monitors.end())
        return;
    DeploymentMonitor* old = it->release();
    m_monitors.erase(it);
    disconnect(old, nullptr, this, nullptr);
    old->stop();
    old->deleteLater();
    m_unknownKeys.remove(deployment);
}

void MonitoringSession::replaceDeployment(const DeploymentSpec& spec)
{
    if (m_stopping)
        return;
    const auto it = std::find_if(m_deployments.begin(), m_deployments.end(),
                                 [&spec](const DeploymentSpec& d) { return d.name == spec.name; });
    if (it != m_deployments.end())
        *it = spec;
    else
        m_deployments.append(spec);
    if (!m_monitorsStarted)
        return; // start() runs it with the others
    dropMonitor(spec.name);
    startMonitor(spec);
    Q_EMIT servicesChanged(spec.name);
}

bool MonitoringSession::removeDeployment(const QString& name)
{
    const auto removed = m_deployments.removeIf([&name](const DeploymentSpec& d) { return d.name == name; });
    if (removed == 0)
        return false;
    dropMonitor(name);
    return true;
}

void MonitoringSession::trustHostKey(const QString& deployment, const SshHostKey& key)
{
    // Only what this deployment's server offered as unknown: a caller cannot slip in another key.
    if (m_unknownKeys.value(deployment) != key) {
        Q_EMIT hostKeyTrusted(deployment, key, false, tr("%1 did not offer this key as unknown").arg(deployment));
        return;
    }
    QString error;
    const bool ok = okh::trustHostKey(key, &error);
    if (ok) {
        m_unknownKeys.remove(deployment);
        if (DeploymentMonitor* m = monitor(deployment))
            m->reconnectNow();
    }
    Q_EMIT hostKeyTrusted(deployment, key, ok, error);
}

void MonitoringSession::reconnectAllNow()
{
    for (const auto& m : m_monitors)
        m->reconnectNow();
}

void MonitoringSession::stop(std::chrono::milliseconds flushTimeout)
{
    if (m_stopping)
        return;
    m_stopping = true;
    for (const auto& monitor : m_monitors)
        monitor->stop();
    if (!m_history) {
        QTimer::singleShot(0, this, [this] { Q_EMIT stopped(true); });
        return;
    }
    auto done = std::make_shared<bool>(false);
    QTimer::singleShot(flushTimeout, this, [this, done] {
        if (!*done) {
            *done = true;
            Q_EMIT stopped(false);
        }
    });
    m_history->flush().then(this, [this, done] {
        if (!*done) {
            *done = true;
            Q_EMIT stopped(true);
        }
    });
}

} // namespace okh
