#pragma once

#include "CheckStateMachine.h"
#include "DeploymentConnection.h"
#include "Snapshots.h"
#include "config/DeploymentSpec.h"
#include "probes/ProbeFactory.h"
#include "store/HistoryTypes.h"
#include "util/Clock.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <deque>
#include <memory>
#include <vector>

namespace okh {

class HistoryStore;
class Probe;

// Runs a deployment's checks continuously (docs/engine.md): each at its interval (start to
// start, as kubelet's ticker), first runs spread over the interval, never two runs of one check
// at once, at most `maxConcurrent` probes at a time, on the monotonic clock. Startup checks gate
// liveness and readiness as in Kubernetes; thresholds and start periods decide each check's
// verdict; services get an orchestrator's conclusion and root causes across dependencies.
class DeploymentMonitor : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int maxConcurrent = 64;
        const Clock* wallClock = &SystemClock::instance(); // stored timestamps only
        HistoryStore* history = nullptr;
        // For SSH keys with a passphrase; none: only the agent or keys without one.
        PassphraseSource passphrases;
        int recentResults = 120; // per check, for sparklines (CheckSnapshot::recent)
    };

    DeploymentMonitor(DeploymentSpec spec, Options options, QObject* parent = nullptr);
    ~DeploymentMonitor() override;

    void start();
    void stop();
    // Stops scheduling (probes out are dropped) and resumes it; shown in the snapshot.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Runs the matching checks at once (empty: every service, every check of the service),
    // except a check already running or retired; the schedule goes on from that run.
    void runNow(const QString& service = {}, const QString& check = {});
    const DeploymentSpec& spec() const { return m_spec; }
    const DeploymentConnection& connection() const { return m_connection; }
    // SSH: connect now instead of after the backoff.
    void reconnectNow() { m_connection.reconnectNow(); }
    DeploymentSnapshot snapshot() const;
    DeploymentSnapshot summary() const; // snapshot() without the checks
    // Every check as snapshot() has it, without the services' assessment.
    QList<CheckSnapshot> checkSnapshots() const;

    // Scheduling quality, for benchmarks: how late probe starts were against their due time.
    struct Lateness
    {
        qint64 samples = 0;
        double p50Ms = 0;
        double p99Ms = 0;
        double maxMs = 0;
    };
    Lateness lateness() const;
    qint64 probesRun() const { return m_probesRun; }

Q_SIGNALS:
    void checkUpdated(const okh::CheckSnapshot& check);
    // A check's verdict flipped (thresholds crossed, start period over): before → after, with
    // the result that flipped it. After checkUpdated for that result, before servicesChanged.
    void verdictChanged(const okh::CheckKey& key, okh::ProbeStatus before, okh::ProbeStatus after,
                        const okh::ProbeResult& result);
    void servicesChanged(const QString& deployment);
    void reachabilityChanged(const QString& deployment, bool reachable, const QString& error);
    void hostKeyRejected(const QString& deployment, const okh::SshHostKey& key, okh::SshFailure failure);

private:
    struct Scheduled;
    void arm(Scheduled& s, qint64 dueMs);
    void onDue(Scheduled& s);
    void launch(Scheduled& s);
    void onResult(Scheduled& s, quint64 run, ProbeResult result);
    void drainQueue();
    CheckSnapshot snapshotOf(const Scheduled& s) const;
    bool gatedByStartup(const Scheduled& s) const;
    QList<ServiceAssessment> assessServices(QString* deploymentCause) const;

    DeploymentSpec m_spec;
    Options m_options;
    DeploymentConnection m_connection;
    std::vector<std::unique_ptr<Scheduled>> m_checks;
    std::deque<Scheduled*> m_queue;
    int m_running = 0;
    QElapsedTimer m_monotonic;
    bool m_started = false;
    bool m_paused = false;
    qint64 m_probesRun = 0;
    std::vector<float> m_latenessMs; // ring of the last samples
    size_t m_latenessNext = 0;
    QList<ProbeStatus> m_lastServiceStatus;
};

} // namespace okh
