#pragma once

#include "DeploymentMonitor.h"
#include "store/HistoryTypes.h"

#include <QHash>
#include <QObject>
#include <chrono>
#include <memory>
#include <vector>

class QLockFile;

namespace okh {

// What `serve` and the desktop app run: one monitor per watched deployment and the history
// they record into. Opens the history file first (one writer per file, held by a lock file
// next to it), then starts the monitors; stops them and flushes the history without waiting
// on any thread. Lives on the thread its monitors run on.
class MonitoringSession : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString historyPath; // empty: no history
        PassphraseSource passphrases; // for the deployments' SSH keys
        const Clock* wallClock = &SystemClock::instance();
        RetentionPolicy retention; // the history's (settings: History)
    };

    enum class Failure {
        HistoryLocked, // another process writes the history file
        HistoryUnavailable, // the file cannot be opened (permissions, not a database, …)
    };
    Q_ENUM(Failure)

    explicit MonitoringSession(Options options, QObject* parent = nullptr);
    ~MonitoringSession() override;

    // Asynchronous: started() once the history is open and every monitor runs, or failed()
    // with nothing started. Once per session.
    void start(const QList<DeploymentSpec>& deployments);
    // Stops every monitor at once, then stopped(true) when the history holds the last results,
    // or stopped(false) when it did not take them within flushTimeout.
    void stop(std::chrono::milliseconds flushTimeout);

    const std::vector<std::unique_ptr<DeploymentMonitor>>& monitors() const { return m_monitors; }
    DeploymentMonitor* monitor(const QString& deployment) const;
    HistoryStore* history() const { return m_history.get(); }
    int checkCount() const;
    // Adds the key to its known_hosts file (on this thread: disk work), then reconnects the
    // deployment at once; hostKeyTrusted() says how it went. Only for a key that was unknown:
    // a changed key is never trusted from here.
    void trustHostKey(const QString& deployment, const okh::SshHostKey& key);
    // Every SSH deployment connects now rather than after its backoff (a passphrase came).
    void reconnectAllNow();
    // Monitors spec instead of the running deployment of its name, or besides the others when
    // there is none: only that deployment's checks (and connection) restart; the others and
    // the history go on, and its history continues (keyed by deployment, service, check).
    // Before the session has started, it changes what will start.
    void replaceDeployment(const DeploymentSpec& spec);
    // Stops monitoring that deployment; false when there is none of that name.
    bool removeDeployment(const QString& name);

Q_SIGNALS:
    void started();
    void failed(okh::MonitoringSession::Failure failure, const QString& message);
    void historyError(const QString& message);
    void stopped(bool flushed);
    // Every monitor's, forwarded.
    void checkUpdated(const okh::CheckSnapshot& check);
    void verdictChanged(const okh::CheckKey& key, okh::ProbeStatus before, okh::ProbeStatus after,
                        const okh::ProbeResult& result);
    void reachabilityChanged(const QString& deployment, bool reachable, const QString& error);
    void servicesChanged(const QString& deployment);
    // A deployment's SSH server offered a key known_hosts does not confirm (unknown or changed).
    void hostKeyRejected(const QString& deployment, const okh::SshHostKey& key, okh::SshFailure failure);
    void hostKeyTrusted(const QString& deployment, const okh::SshHostKey& key, bool ok, const QString& error);

private:
    bool lockHistory();
    QHash<QString, SshHostKey> m_unknownKeys; // deployment → the key it reported unknown
    void startMonitors();
    void startMonitor(const DeploymentSpec& spec);
    // Stops and forgets the deployment's monitor (deleted later: it may be the sender of the
    // signal being handled); no signal of it arrives afterwards.
    void dropMonitor(const QString& deployment);

    Options m_options;
    QList<DeploymentSpec> m_deployments;
    std::unique_ptr<QLockFile> m_historyLock;
    std::unique_ptr<HistoryStore> m_history;
    std::vector<std::unique_ptr<DeploymentMonitor>> m_monitors;
    bool m_starting = false;
    bool m_monitorsStarted = false;
    bool m_stopping = false;
};

} // namespace okh
