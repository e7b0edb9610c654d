#include "MonitorHost.h"

#include "engine/MonitoringSession.h"
#include "run/SmokeRun.h"
#include "store/HistoryStore.h"
#include "transport/PassphraseRequests.h"

#include <QThread>
#include <memory>

namespace okh {

namespace {
// How long closing the window lets the history take the last results.
constexpr std::chrono::milliseconds FlushTimeout{5000};
} // namespace

MonitorHost::MonitorHost(QObject* parent)
    : QObject(parent)
{ }

MonitorHost::~MonitorHost()
{
    if (!m_thread)
        return;
    disconnect(m_thread, nullptr, this, nullptr);
    if (m_session) {
        QMetaObject::invokeMethod(
            m_session,
            [feed = m_feed, session = m_session] {
                delete feed;
                delete session;
            },
            Qt::BlockingQueuedConnection);
    }
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    delete m_passphrases;
}

void MonitorHost::start(const QList<DeploymentSpec>& deployments, const QString& historyPath)
{
    if (m_thread)
        return;
    m_shuttingDown = false; // a new session after the last one stopped
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("okhealth-monitors"));
    m_passphrases = new PassphraseRequests;
    m_session = new MonitoringSession({historyPath, m_passphrases->source(), &SystemClock::instance(), m_retention});
    // Four batches a second: live enough for eyes, a quarter of the repaints of one per result.
    m_feed = new MonitorFeed(*m_session, std::chrono::milliseconds(250));
    m_session->moveToThread(m_thread);
    m_feed->moveToThread(m_thread);
    connect(m_passphrases, &PassphraseRequests::requested, this, [this](const QString& keyFile) {
        Q_EMIT passphraseRequested(keyFile, m_passphrases->wasAnswered(keyFile));
    });
    connect(m_passphrases, &PassphraseRequests::answered, m_session, &MonitoringSession::reconnectAllNow);
    connect(m_session, &MonitoringSession::hostKeyRejected, this, &MonitorHost::hostKeyRejected);
    connect(m_session, &MonitoringSession::hostKeyTrusted, this, &MonitorHost::hostKeyTrusted);
    connect(m_feed, &MonitorFeed::batchReady, this, &MonitorHost::batchReady);
    connect(m_session, &MonitoringSession::started, this, [this] {
        // Set before started() on the session's thread and unchanged until stop: safe to read.
        m_history = m_session ? m_session->history() : nullptr;
        Q_EMIT started();
    });
    connect(m_session, &MonitoringSession::failed, this,
            [this](MonitoringSession::Failure, const QString& message) { Q_EMIT failed(message); });
    connect(m_session, &MonitoringSession::stopped, this, &MonitorHost::deleteOnThread);
    connect(m_thread, &QThread::finished, this, [this] {
        m_thread->deleteLater();
        m_thread = nullptr;
        delete m_passphrases; // no tunnel is left to ask it
        m_passphrases = nullptr;
        Q_EMIT finished();
    });
    m_thread->start();
    QMetaObject::invokeMethod(m_session, [session = m_session, deployments] { session->start(deployments); });
}

void MonitorHost::runNow(const QString& deployment, const QString& service, const QString& check)
{
    if (!m_session || m_shuttingDown)
        return;
    QMetaObject::invokeMethod(m_session, [session = m_session, deployment, service, check] {
        if (DeploymentMonitor* monitor = session->monitor(deployment))
            monitor->runNow(service, check);
    });
}

void MonitorHost::replaceDeployment(const DeploymentSpec& spec)
{
    if (!m_session || m_shuttingDown)
        return;
    QMetaObject::invokeMethod(m_session, [session = m_session, spec] { session->replaceDeployment(spec); });
}

void MonitorHost::removeDeployment(const QString& name)
{
    if (!m_session || m_shuttingDown)
        return;
    QMetaObject::invokeMethod(m_session, [session = m_session, name] { session->removeDeployment(name); });
}

int MonitorHost::startSmokeCheck(const QString& deployment, std::optional<std::chrono::milliseconds> waitReady)
{
    const int id = ++m_lastSmokeId;
    if (!m_session || m_shuttingDown) {
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT smokeFailed(id, tr("Monitoring is not running.")); }, Qt::QueuedConnection);
        return id;
    }
    // The lambdas connected below run on this (the GUI) thread: `this` is their context, so
    // they are queued there and dropped if this host is gone.
    QMetaObject::invokeMethod(m_session, [host = this, session = m_session, deployment, waitReady, id] {
        DeploymentMonitor* monitor = session->monitor(deployment);
        if (!monitor) {
            QMetaObject::invokeMethod(host, [host, id, deployment] {
                Q_EMIT host->smokeFailed(id, MonitorHost::tr("%1 is not monitored.").arg(deployment));
            });
            return;
        }
        std::optional<QDeadlineTimer> deadline;
        if (waitReady)
            deadline = QDeadlineTimer(qint64(waitReady->count()));
        // Owned by the monitor: its connection is the probes' environment, so a restarted or
        // removed deployment takes its smoke check along (and says so, below).
        auto* run = new SmokeRun(monitor->spec(), monitor->connection().environment(), deadline, monitor);
        run->setObjectName(QStringLiteral("smoke-%1").arg(id));
        auto done = std::make_shared<bool>(false);
        connect(run, &SmokeRun::finished, run, [done] { *done = true; });
        connect(run, &QObject::destroyed, host, [host, id, done, deployment] {
            if (!*done)
                Q_EMIT host->smokeFailed(
                    id, MonitorHost::tr("%1 was restarted or closed during the smoke check.").arg(deployment));
        });
        connect(run, &SmokeRun::progress, host,
                [host, id](int round, int done, int total) { Q_EMIT host->smokeProgress(id, round, done, total); });
        connect(run, &SmokeRun::waiting, host,
                [host, id](const RunReport& report, int notHealthy, std::chrono::milliseconds remaining) {
                    Q_EMIT host->smokeWaiting(id, report, notHealthy, qint64(remaining.count()));
                });
        connect(run, &SmokeRun::finished, host,
                [host, id](const RunReport& report) { Q_EMIT host->smokeFinished(id, report); });
        connect(run, &SmokeRun::finished, run, &QObject::deleteLater);
        run->start();
    });
    return id;
}

void MonitorHost::cancelSmokeCheck(int id)
{
    if (!m_session || m_shuttingDown)
        return;
    QMetaObject::invokeMethod(m_session, [session = m_session, id] {
        for (const auto& monitor : session->monitors()) {
            if (auto* run
                = monitor->findChild<SmokeRun*>(QStringLiteral("smoke-%1").arg(id), Qt::FindDirectChildrenOnly)) {
                run->cancel();
                run->deleteLater();
            }
        }
    });
}

void MonitorHost::setPaused(const QString& deployment, bool paused)
{
    if (!m_session || m_shuttingDown)
        return;
    QMetaObject::invokeMethod(m_session, [session = m_session, deployment, paused] {
        if (DeploymentMonitor* monitor = session->monitor(deployment))
            monitor->setPaused(paused);
    });
}

void MonitorHost::trustHostKey(const QString& deployment, const SshHostKey& key)
{
    if (!m_session || m_shuttingDown)
        return;
    QMetaObject::invokeMethod(m_session,
                              [session = m_session, deployment, key] { session->trustHostKey(deployment, key); });
}

void MonitorHost::answerPassphrase(const QString& keyFile, const std::optional<QString>& passphrase)
{
    if (m_passphrases)
        m_passphrases->answer(keyFile, passphrase);
}

void MonitorHost::setRetention(const RetentionPolicy& retention)
{
    m_retention = retention;
    if (m_history)
        m_history->setRetention(retention); // thread-safe: queued to the history's worker
}

void MonitorHost::shutdown()
{
    if (!m_thread) {
        Q_EMIT finished();
        return;
    }
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_history = nullptr; // the store goes with the session
    Q_EMIT historyGone();
    QMetaObject::invokeMethod(m_session, [session = m_session] { session->stop(FlushTimeout); });
}

void MonitorHost::deleteOnThread()
{
    if (!m_session)
        return;
    // The feed refers to the session: it goes first. Both on their own thread, where their
    // timers and sockets live; then that thread's loop ends (finished() follows).
    MonitorFeed* feed = m_feed;
    MonitoringSession* session = m_session;
    m_feed = nullptr;
    m_session = nullptr;
    QMetaObject::invokeMethod(session, [feed, session] {
        delete feed;
        delete session;
        QThread::currentThread()->quit();
    });
}

} // namespace okh
