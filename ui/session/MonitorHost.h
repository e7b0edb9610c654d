#pragma once

#include "config/DeploymentSpec.h"
#include "engine/MonitorFeed.h"
#include "run/RunReport.h"
#include "transport/SshSession.h"

#include <QObject>
#include <QPointer>
#include <chrono>
#include <optional>

class QThread;

namespace okh {

class HistoryStore;
class MonitoringSession;
class PassphraseRequests;

// The desktop app's monitoring thread (docs/desktop.md, "Threads"): the session (monitors,
// SSH tunnels, history) and its feed live there; the GUI thread gets coalesced batches by
// queued signals and sends controls the same way. Nothing here waits: shutdown() stops the
// monitors, lets the history flush, deletes them on their thread and reports finished().
class MonitorHost : public QObject
{
    Q_OBJECT
public:
    explicit MonitorHost(QObject* parent = nullptr);
    // Only a fallback for a host that was not shut down: waits for the thread.
    ~MonitorHost() override;

    void start(const QList<DeploymentSpec>& deployments, const QString& historyPath);
    void runNow(const QString& deployment, const QString& service = {}, const QString& check = {});
    void setPaused(const QString& deployment, bool paused);
    // One deployment's spec changed (or is new, or gone): only its checks restart, on the
    // monitoring thread (MonitoringSession::replaceDeployment, removeDeployment).
    void replaceDeployment(const DeploymentSpec& spec);
    void removeDeployment(const QString& name);
    // A smoke check (core/run/SmokeRun) of a monitored deployment, on the monitoring thread
    // through that monitor's own connection (no second SSH login); `waitReady`: repeat until
    // every gating check is healthy, that long at most. Returns the id its signals carry.
    int startSmokeCheck(const QString& deployment, std::optional<std::chrono::milliseconds> waitReady);
    void cancelSmokeCheck(int id);
    void shutdown();
    // For this session's history (at once, on its thread) and the next ones.
    void setRetention(const RetentionPolicy& retention);
    bool isRunning() const { return m_thread != nullptr; }
    // The session's history store from started() until shutdown() begins, else nullptr. Its
    // queries are thread-safe and answer through QFutures.
    HistoryStore* history() const { return m_history; }

    // Answers to the SSH prompts below; both return at once (the work happens on the thread).
    void trustHostKey(const QString& deployment, const okh::SshHostKey& key);
    // nullopt: declined, that key is not asked for again in this session. Kept in memory only
    // until one login uses it.
    void answerPassphrase(const QString& keyFile, const std::optional<QString>& passphrase);

Q_SIGNALS:
    void started();
    void failed(const QString& message);
    void batchReady(const okh::MonitorBatch& batch);
    void finished();
    // history() is nullptr from now on: views stop asking it.
    void historyGone();
    // A deployment's SSH server offered a key known_hosts does not confirm: HostKeyUnknown may
    // be trusted (trustHostKey), HostKeyChanged is only to be warned about.
    void hostKeyRejected(const QString& deployment, const okh::SshHostKey& key, okh::SshFailure failure);
    void hostKeyTrusted(const QString& deployment, const okh::SshHostKey& key, bool ok, const QString& error);
    // `again`: a passphrase given before did not unlock the key.
    void passphraseRequested(const QString& keyFile, bool again);
    void smokeProgress(int id, int round, int done, int total);
    void smokeWaiting(int id, const okh::RunReport& report, int notHealthy, qint64 remainingMs);
    void smokeFinished(int id, const okh::RunReport& report);
    // The deployment is not monitored (any more), or monitoring is shutting down.
    void smokeFailed(int id, const QString& message);

private:
    void deleteOnThread();

    QThread* m_thread = nullptr;
    MonitoringSession* m_session = nullptr; // lives on m_thread
    MonitorFeed* m_feed = nullptr; // lives on m_thread
    HistoryStore* m_history = nullptr;
    PassphraseRequests* m_passphrases = nullptr; // thread-safe; outlives the session's tunnels
    bool m_shuttingDown = false;
    int m_lastSmokeId = 0;
    RetentionPolicy m_retention;
};

} // namespace okh
