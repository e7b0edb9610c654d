#include "CeleryWorker.h"

#include "ProcessTree.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <csignal>
#include <sys/types.h>

namespace okh::standin {

namespace {
constexpr int kReadyTimeoutMs = 30000;
constexpr int kPollMs = 50;
} // namespace

CeleryWorker::CeleryWorker()
    : m_dir(QStringLiteral("/tmp/okh-celery-worker-XXXXXX"))
{ }

CeleryWorker::~CeleryWorker()
{
    stop();
}

QString CeleryWorker::python()
{
    return QStringLiteral("/usr/bin/python3");
}

QString CeleryWorker::appDirectory()
{
    return QDir(resourceDirectory()).filePath(QStringLiteral("celery_app"));
}

bool CeleryWorker::isAvailable(QString* why)
{
    // Every fixture start asks; Python's start-up is not free on shared cores.
    static const CommandResult result
        = runCommand(python(), {QStringLiteral("-c"), QStringLiteral("import celery, kombu, redis")}, 20000,
                     appEnvironment(QStringLiteral("redis://127.0.0.1:6379/0")));
    if (result.succeeded())
        return true;
    if (why != nullptr)
        *why = QStringLiteral("%1 cannot import celery, kombu and redis (Debian packages python3-celery, "
                              "python3-kombu, python3-redis): %2")
                   .arg(python(), result.describe());
    return false;
}

QProcessEnvironment CeleryWorker::appEnvironment(const QString& brokerUrl)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : {QStringLiteral("PYTHONPATH"), QStringLiteral("PYTHONHOME"),
                               QStringLiteral("VIRTUAL_ENV"), QStringLiteral("PYTHONSTARTUP")})
        env.remove(key);
    // celery/app/utils.py: CELERY_BROKER_URL (and friends) in the environment win over the app's
    // own configuration.
    for (const QString& key : env.keys()) {
        if (key.startsWith(QLatin1String("CELERY")) || key.startsWith(QLatin1String("MKN_HEALTH_CHECKS_"))
            || key.startsWith(QLatin1String("OKH_CELERY_")))
            env.remove(key);
    }
    env.insert(QStringLiteral("PYTHONPATH"), appDirectory());
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1")); // no __pycache__ in the source tree
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1")); // the log is complete on failure
    env.insert(QStringLiteral("OKH_CELERY_BROKER_URL"), brokerUrl);
    return env;
}

CommandResult CeleryWorker::ping(const QString& brokerUrl, const QString& nodeName, std::chrono::milliseconds timeout,
                                 std::chrono::milliseconds wait)
{
    const QString script = QDir(appDirectory()).filePath(QStringLiteral("okh_ping.py"));
    const QStringList args{script,
                           nodeName,
                           QStringLiteral("--timeout"),
                           QString::number(double(timeout.count()) / 1000.0),
                           QStringLiteral("--wait"),
                           QString::number(double(wait.count()) / 1000.0)};
    // Python start-up plus each ping's own timeout; generous, as the cores are shared.
    const int limitMs = int(wait.count() + timeout.count()) + 20000;
    return runCommand(python(), args, limitMs, appEnvironment(brokerUrl));
}

std::unique_ptr<ManagedProcess> CeleryWorker::startAppProcess(const QTemporaryDir& dir, const QString& logStem,
                                                              const QProcessEnvironment& env,
                                                              const QStringList& arguments, QString* error)
{
    static int startCount = 0;
    auto process
        = std::make_unique<ManagedProcess>(dir.filePath(QStringLiteral("%1-%2.log").arg(logStem).arg(++startCount)));
    process->setWorkingDirectory(dir.path());
    process->setEnvironment(env);
    const QStringList celery{QStringLiteral("-m"), QStringLiteral("celery"), QStringLiteral("-A"),
                             QStringLiteral("okh_celery")};
    if (!process->start(python(), celery + arguments)) {
        *error = process->errorString();
        return nullptr;
    }
    return process;
}

bool CeleryWorker::start(const Options& options)
{
    if (isAlive()) {
        m_errorString = QStringLiteral("worker %1 already running (pid %2)").arg(m_options.nodeName).arg(pid());
        return false;
    }
    if (!m_dir.isValid()) {
        m_errorString = QStringLiteral("cannot create a temp dir: %1").arg(m_dir.errorString());
        return false;
    }
    if (options.brokerUrl.isEmpty() || options.nodeName.isEmpty() || options.probeFrequencySeconds < 1) {
        m_errorString = QStringLiteral("CeleryWorker needs a broker URL, a node name and a probe frequency >= 1 s");
        return false;
    }
    if (!isAvailable(&m_errorString))
        return false;

    m_options = options;
    m_frozen = false;
    m_startupSeconds = 0;
    // A previous run's files (after kill()) must not pass for this run's.
    QFile::remove(livenessFile());
    QFile::remove(readinessFile());

    QProcessEnvironment env = appEnvironment(options.brokerUrl);
    env.insert(QStringLiteral("MKN_HEALTH_CHECKS_WORKER_EVENT_LOOP_LIVENESS_FILE"), livenessFile());
    env.insert(QStringLiteral("MKN_HEALTH_CHECKS_WORKER_READINESS_FILE"), readinessFile());
    env.insert(QStringLiteral("MKN_HEALTH_CHECKS_WORKER_EVENT_LOOP_PROBE_FREQUENCY_SECONDS"),
               QString::number(options.probeFrequencySeconds));
    env.insert(QStringLiteral("OKH_CELERY_REMOTE_CONTROL"),
               options.remoteControl ? QStringLiteral("1") : QStringLiteral("0"));

    const QStringList args{QStringLiteral("worker"),
                           QStringLiteral("-n"),
                           options.nodeName,
                           QStringLiteral("-P"),
                           options.pool == Pool::Solo ? QStringLiteral("solo") : QStringLiteral("prefork"),
                           QStringLiteral("-c"),
                           QStringLiteral("1"),
                           QStringLiteral("--without-mingle"),
                           QStringLiteral("--without-gossip"),
                           QStringLiteral("-l"),
                           QStringLiteral("info")};
    QElapsedTimer clock;
    clock.start();
    // A new log per start, so a restarted worker's "ready." is not the previous run's.
    m_process = startAppProcess(m_dir, QStringLiteral("worker"), env, args, &m_errorString);
    if (!m_process)
        return false;
    if (!waitUntilReady()) {
        kill();
        return false;
    }
    m_startupSeconds = double(clock.elapsed()) / 1000.0;
    qCDebug(lcStandin) << "celery worker" << options.nodeName << "pid" << pid() << "ready after" << m_startupSeconds
                       << "s";
    return true;
}

bool CeleryWorker::waitUntilReady()
{
    QDeadlineTimer deadline(kReadyTimeoutMs);
    const QByteArray readyLine = QStringLiteral("%1 ready.").arg(m_options.nodeName).toUtf8();
    bool ready = false;
    while (!deadline.hasExpired()) {
        if (!m_process->isRunning()) {
            m_errorString = QStringLiteral("celery worker exited during start (exit code %1); log:\n%2")
                                .arg(m_process->exitCode())
                                .arg(logTail());
            return false;
        }
        // worker_ready creates the file; the "ready." line is logged right after it
        // (celery/apps/worker.py, on_consumer_ready).
        if (QFileInfo::exists(readinessFile())) {
            QFile log(m_process->logPath());
            if (log.open(QIODevice::ReadOnly) && log.readAll().contains(readyLine)) {
                ready = true;
                break;
            }
        }
        QThread::msleep(kPollMs);
    }
    if (!ready) {
        m_errorString = QStringLiteral("celery worker %1 not ready within %2 ms; log:\n%3")
                            .arg(m_options.nodeName)
                            .arg(kReadyTimeoutMs)
                            .arg(logTail());
        return false;
    }
    if (!m_options.remoteControl)
        return true;

    // kombu's Redis poller sends the pidbox PSUBSCRIBE on the event loop's first tick
    // (kombu/transport/redis.py, MultiChannelPoller._register_LISTEN), which comes after
    // worker_ready; a request published before it is lost. Only a real pong proves that ping
    // works now (measured: the PSUBSCRIBE follows the readiness file within a few ms).
    const auto remaining = std::chrono::milliseconds(qMax<qint64>(1000, deadline.remainingTime()));
    const CommandResult pong = ping(m_options.brokerUrl, m_options.nodeName, std::chrono::seconds(1), remaining);
    if (!pong.succeeded()) {
        m_errorString = QStringLiteral("celery worker %1 ready but never answered ping: %2; log:\n%3")
                            .arg(m_options.nodeName, pong.describe(), logTail());
        return false;
    }
    return true;
}

bool CeleryWorker::stop(std::chrono::milliseconds grace)
{
    if (!m_process)
        return true;
    // A frozen pool process would block the warm shutdown, and ManagedProcess only continues
    // the main process. Children are looked up only while the worker runs: a dead worker's pid
    // may belong to someone else by now.
    const QList<ProcStat> children = isAlive() ? childProcesses(pid()) : QList<ProcStat>();
    if (m_frozen)
        thaw();
    const bool inGrace = m_process->stop(grace);
    // After a graceful stop the pool has been joined; after the SIGKILL escalation it may not
    // have been, and an orphan is re-parented, so it is found by the snapshot only.
    for (const ProcStat& child : children)
        signalIfSame(child, SIGKILL);
    m_frozen = false;
    return inGrace;
}

void CeleryWorker::kill()
{
    if (!m_process)
        return;
    // Collect the pool before the parent dies (orphans are re-parented and no longer found), and
    // only while it runs (a dead worker's pid may belong to someone else by now).
    const QList<ProcStat> children = isAlive() ? childProcesses(pid()) : QList<ProcStat>();
    m_process->sendSignal(SIGKILL);
    for (const ProcStat& child : children)
        signalIfSame(child, SIGKILL);
    m_process->waitForExit(std::chrono::seconds(5));
    m_process->stop(); // reaps; nothing is left to signal
    m_frozen = false;
}

bool CeleryWorker::freeze()
{
    if (!isAlive() || !m_process->sendSignal(SIGSTOP))
        return false;
    signalChildren(SIGSTOP);
    m_frozen = true;
    return waitForStopState(pid(), true);
}

bool CeleryWorker::thaw()
{
    if (!isAlive())
        return false;
    signalChildren(SIGCONT);
    if (!m_process->sendSignal(SIGCONT))
        return false;
    m_frozen = false;
    return waitForStopState(pid(), false);
}

void CeleryWorker::signalChildren(int signal) const
{
    for (const qint64 child : childPids())
        ::kill(pid_t(child), signal);
}

bool CeleryWorker::isAlive() const
{
    return m_process && m_process->isRunning();
}

qint64 CeleryWorker::pid() const
{
    return m_process ? m_process->pid() : 0;
}

QList<qint64> CeleryWorker::childPids() const
{
    return isAlive() ? childProcessIds(pid()) : QList<qint64>();
}

QString CeleryWorker::livenessFile() const
{
    return m_dir.filePath(QStringLiteral("celery_worker_event_loop.live"));
}

QString CeleryWorker::readinessFile() const
{
    return m_dir.filePath(QStringLiteral("celery_worker.ready"));
}

QString CeleryWorker::logTail(int maxLines) const
{
    return m_process ? m_process->logTail(maxLines) : QString();
}

} // namespace okh::standin
