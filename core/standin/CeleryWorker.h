#pragma once

#include "ManagedProcess.h"
#include "ServerTools.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>
#include <chrono>
#include <memory>

namespace okh::standin {

// A real Celery worker (Debian's celery 5.2.6 / kombu 5.2.4, run by /usr/bin/python3) of the
// app in resources/standin/celery_app, which maintains the liveness and readiness files as
// maykin-common does for Open Klant. Both files live in this fixture's own temp dir.
//
//   /usr/bin/python3 -m celery -A okh_celery worker -n <node> -P solo -c 1
//                    --without-mingle --without-gossip -l info
//
// With the solo pool the worker's one event loop runs tasks, answers ping and touches the
// liveness file, so freeze() stops all three. Only the worker pid this object started and
// that pid's own children (prefork pool processes) are ever signalled.
class CeleryWorker
{
public:
    enum class Pool { Solo, Prefork };

    struct Options
    {
        QString brokerUrl; // e.g. RedisServer::url()
        QString nodeName = QStringLiteral("celery@okhtest"); // passed as -n, used as is
        int probeFrequencySeconds = 1; // the liveness file is touched this often
        bool remoteControl = true; // false: the worker never subscribes to the pidbox, never answers ping
        Pool pool = Pool::Solo; // Prefork: one pool process (-c 1) beside the main process
    };

    CeleryWorker();
    ~CeleryWorker(); // stops the worker (SIGTERM, grace, SIGKILL) and any pool process left
    CeleryWorker(const CeleryWorker&) = delete;
    CeleryWorker& operator=(const CeleryWorker&) = delete;

    // Starts the worker and waits (up to 30 s) until it is ready: the readiness file exists,
    // the log says "<node> ready." and, with remote control, a real ping gets its pong (proof
    // that the pidbox subscription is live, which the readiness file alone is not).
    bool start(const Options& options);
    // Graceful stop: SIGTERM (Celery's warm shutdown; thaws first), up to grace, then SIGKILL.
    // True when it ended within grace; then the worker has deleted both files.
    bool stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
    // SIGKILL for the worker and its pool processes, like a crash: both files stay behind.
    void kill();
    // SIGSTOP/SIGCONT for the worker and its pool processes: a frozen worker keeps its broker
    // connections open but neither answers ping nor touches the liveness file.
    bool freeze();
    bool thaw();
    bool isFrozen() const { return m_frozen; }
    bool isAlive() const; // the worker process is still running (frozen counts as running)

    qint64 pid() const; // 0 when not started
    QList<qint64> childPids() const; // the worker's current child processes (prefork pool)
    QString nodeName() const { return m_options.nodeName; }
    QString brokerUrl() const { return m_options.brokerUrl; }
    QString livenessFile() const;
    QString readinessFile() const;
    // Seconds from start() until ready, for reports.
    double startupSeconds() const { return m_startupSeconds; }

    QString errorString() const { return m_errorString; }
    QString logTail(int maxLines = 30) const;

    // Pings nodeName through brokerUrl with celery's own client
    // (resources/standin/celery_app/okh_ping.py: app.control.ping(destination=[nodeName])).
    // Exit 0 and "<node>: PONG." on stdout, or exit 2 when no reply came within timeout.
    // With wait > 0 it pings again until a pong or until wait has passed.
    static CommandResult ping(const QString& brokerUrl, const QString& nodeName,
                              std::chrono::milliseconds timeout = std::chrono::seconds(2),
                              std::chrono::milliseconds wait = std::chrono::milliseconds(0));
    CommandResult ping(std::chrono::milliseconds timeout = std::chrono::seconds(2)) const
    {
        return ping(brokerUrl(), nodeName(), timeout);
    }

    // The environment for any /usr/bin/python3 process that imports okh_celery (the worker,
    // beat, `python3 -m celery -A okh_celery inspect ...`): PYTHONPATH = appDirectory(), the
    // broker in OKH_CELERY_BROKER_URL, no inherited CELERY_* overrides, no bytecode written
    // into the source tree.
    static QProcessEnvironment appEnvironment(const QString& brokerUrl);
    static QString appDirectory(); // resources/standin/celery_app
    static QString python(); // /usr/bin/python3: only it sees Debian's python3-celery
    // Starts `python3 -m celery -A okh_celery <arguments>` (a worker, beat) in dir with env. Each
    // start logs to a file of its own (<logStem>-<n>.log), so a restarted process's log holds
    // only its own run. Null, with *error set, when the process does not start.
    static std::unique_ptr<ManagedProcess> startAppProcess(const QTemporaryDir& dir, const QString& logStem,
                                                           const QProcessEnvironment& env, const QStringList& arguments,
                                                           QString* error);
    // /usr/bin/python3 can import celery, kombu and redis; otherwise false and *why says so.
    static bool isAvailable(QString* why = nullptr);

private:
    bool waitUntilReady();
    void signalChildren(int signal) const;

    QTemporaryDir m_dir;
    std::unique_ptr<ManagedProcess> m_process;
    Options m_options;
    QString m_errorString;
    double m_startupSeconds = 0;
    bool m_frozen = false;
};

} // namespace okh::standin
