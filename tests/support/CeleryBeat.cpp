#include "CeleryBeat.h"

#include "TestSupport.h"
#include "standin/CeleryWorker.h"
#include "standin/ProcessTree.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <csignal>

namespace okh::test {

namespace {
constexpr int kReadyTimeoutMs = 30000;
constexpr int kPollMs = 50;
} // namespace

CeleryBeat::CeleryBeat()
    : m_dir(QStringLiteral("/tmp/okh-celery-beat-XXXXXX"))
{ }

CeleryBeat::~CeleryBeat()
{
    stop();
}

bool CeleryBeat::start(const Options& options)
{
    if (isAlive()) {
        m_errorString = QStringLiteral("celery beat already running (pid %1)").arg(pid());
        return false;
    }
    if (!m_dir.isValid()) {
        m_errorString = QStringLiteral("cannot create a temp dir: %1").arg(m_dir.errorString());
        return false;
    }
    if (options.brokerUrl.isEmpty() || options.intervalSeconds < 1) {
        m_errorString = QStringLiteral("CeleryBeat needs a broker URL and an interval >= 1 s");
        return false;
    }
    if (!CeleryWorker::isAvailable(&m_errorString))
        return false;

    m_options = options;
    m_frozen = false;
    m_startupSeconds = 0;
    QFile::remove(livenessFile());

    QProcessEnvironment env = CeleryWorker::appEnvironment(options.brokerUrl);
    env.insert(QStringLiteral("MKN_HEALTH_CHECKS_BEAT_LIVENESS_FILE"), livenessFile());
    env.insert(QStringLiteral("OKH_CELERY_BEAT_INTERVAL_SECONDS"), QString::number(options.intervalSeconds));

    // An empty --pidfile: no celerybeat.pid, whose leftover would refuse the next start.
    const QStringList args{
        QStringLiteral("beat"),       QStringLiteral("-s"), m_dir.filePath(QStringLiteral("celerybeat-schedule")),
        QStringLiteral("--pidfile="), QStringLiteral("-l"), QStringLiteral("info")};
    QElapsedTimer clock;
    clock.start();
    m_process = CeleryWorker::startAppProcess(m_dir, QStringLiteral("beat"), env, args, &m_errorString);
    if (!m_process)
        return false;

    QDeadlineTimer deadline(kReadyTimeoutMs);
    while (!QFileInfo::exists(livenessFile())) {
        if (!m_process->isRunning()) {
            m_errorString = QStringLiteral("celery beat exited during start (exit code %1); log:\n%2")
                                .arg(m_process->exitCode())
                                .arg(logTail());
            return false;
        }
        if (deadline.hasExpired()) {
            m_errorString = QStringLiteral("celery beat published nothing within %1 ms; log:\n%2")
                                .arg(kReadyTimeoutMs)
                                .arg(logTail());
            kill();
            return false;
        }
        QThread::msleep(kPollMs);
    }
    m_startupSeconds = double(clock.elapsed()) / 1000.0;
    qCDebug(lcTestFixture) << "celery beat pid" << pid() << "published its first task after" << m_startupSeconds << "s";
    return true;
}

bool CeleryBeat::stop(std::chrono::milliseconds grace)
{
    if (!m_process)
        return true;
    m_frozen = false;
    return m_process->stop(grace); // continues a frozen beat first
}

void CeleryBeat::kill()
{
    if (!m_process)
        return;
    m_process->sendSignal(SIGKILL);
    m_process->waitForExit(std::chrono::seconds(5));
    m_process->stop(); // reaps
    m_frozen = false;
}

bool CeleryBeat::freeze()
{
    if (!isAlive() || !m_process->sendSignal(SIGSTOP))
        return false;
    m_frozen = true;
    return waitForStopState(pid(), true);
}

bool CeleryBeat::thaw()
{
    if (!isAlive() || !m_process->sendSignal(SIGCONT))
        return false;
    m_frozen = false;
    return waitForStopState(pid(), false);
}

bool CeleryBeat::isAlive() const
{
    return m_process && m_process->isRunning();
}

qint64 CeleryBeat::pid() const
{
    return m_process ? m_process->pid() : 0;
}

QString CeleryBeat::livenessFile() const
{
    return m_dir.filePath(QStringLiteral("celery_beat.live"));
}

QString CeleryBeat::logTail(int maxLines) const
{
    return m_process ? m_process->logTail(maxLines) : QString();
}

} // namespace okh::test
