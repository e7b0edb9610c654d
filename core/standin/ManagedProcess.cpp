#include "ManagedProcess.h"

#include "ServerTools.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace okh::standin {

ManagedProcess::ManagedProcess(QString logPath)
    : m_logPath(std::move(logPath))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

ManagedProcess::~ManagedProcess()
{
    stop();
}

void ManagedProcess::setEnvironment(const QProcessEnvironment& environment)
{
    m_process.setProcessEnvironment(environment);
}

void ManagedProcess::setWorkingDirectory(const QString& directory)
{
    m_process.setWorkingDirectory(directory);
}

void ManagedProcess::setRunAsUser(const QString& userName)
{
    m_runAsUser = userName;
}

void ManagedProcess::setKeepStdinOpen(bool keepOpen)
{
    m_keepStdinOpen = keepOpen;
}

void ManagedProcess::setStopSignal(int signal)
{
    m_stopSignal = signal;
}

bool ManagedProcess::start(const QString& program, const QStringList& arguments)
{
    if (m_pid != 0) {
        m_errorString = QStringLiteral("%1: already started").arg(program);
        return false;
    }
    m_errorString.clear();
    m_process.setStandardOutputFile(m_logPath, QIODevice::Append);
    if (!m_keepStdinOpen)
        m_process.setStandardInputFile(QProcess::nullDevice());

    uid_t uid = 0;
    gid_t gid = 0;
    const bool dropPrivileges = !m_runAsUser.isEmpty();
    if (dropPrivileges) {
        // getpwnam is not async-signal-safe: resolve here, only set ids in the forked child.
        const passwd* account = ::getpwnam(m_runAsUser.toLocal8Bit().constData());
        if (account == nullptr) {
            m_errorString = QStringLiteral("no such user account: %1").arg(m_runAsUser);
            return false;
        }
        uid = account->pw_uid;
        gid = account->pw_gid;
    }
    const pid_t parent = ::getpid();
    m_process.setChildProcessModifier([dropPrivileges, uid, gid, parent] {
        if (dropPrivileges && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)) {
            static const char message[] = "ManagedProcess: cannot drop privileges\n";
            [[maybe_unused]] const auto ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
            ::_exit(126);
        }
        // A server must not outlive whoever started it, even when that is killed (a test that
        // crashes, the app ended by a signal): SIGTERM when the starting thread ends. Set after
        // setuid, which clears it; the getppid() check covers a parent gone before the prctl.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(125);
    });

    m_process.start(program, arguments);
    if (!m_process.waitForStarted(5000)) {
        m_errorString = QStringLiteral("cannot start %1: %2").arg(commandLine(), m_process.errorString());
        return false;
    }
    m_pid = m_process.processId();
    m_stopped = false;
    return true;
}

bool ManagedProcess::isRunning()
{
    if (m_pid == 0 || m_stopped)
        return false;
    // Lets QProcess reap the child and update its state without an event loop.
    m_process.waitForFinished(0);
    return m_process.state() != QProcess::NotRunning;
}

qint64 ManagedProcess::pid() const
{
    return m_pid;
}

bool ManagedProcess::sendSignal(int signal)
{
    if (!isRunning())
        return false;
    return ::kill(pid_t(m_pid), signal) == 0;
}

bool ManagedProcess::stop(std::chrono::milliseconds grace)
{
    if (m_pid == 0 || m_stopped)
        return true;
    bool inGrace = true;
    if (isRunning()) {
        // A stopped (SIGSTOP) process would hold the stop signal pending until continued.
        ::kill(pid_t(m_pid), SIGCONT);
        ::kill(pid_t(m_pid), m_stopSignal);
        if (!m_process.waitForFinished(int(grace.count()))) {
            inGrace = false;
            qCWarning(lcStandin) << "did not stop within" << grace.count() << "ms, killing pid" << m_pid
                                 << commandLine();
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    m_stopped = true;
    return inGrace;
}

bool ManagedProcess::waitForExit(std::chrono::milliseconds timeout)
{
    if (!isRunning())
        return true;
    return m_process.waitForFinished(int(timeout.count()));
}

int ManagedProcess::exitCode() const
{
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

qint64 ManagedProcess::writeStdin(const QByteArray& data)
{
    const qint64 written = m_process.write(data);
    m_process.waitForBytesWritten(2000);
    return written;
}

void ManagedProcess::closeStdin()
{
    m_process.closeWriteChannel();
}

QString ManagedProcess::logTail(int maxLines) const
{
    return fileTail(m_logPath, maxLines);
}

bool ManagedProcess::waitUntilReady(const QString& name, quint16 port, const QString& what, int timeoutMs, int pollMs,
                                    const std::function<bool()>& ready, bool* portTaken, QString* error,
                                    const std::function<QString()>& log)
{
    const auto tail = [&] { return log ? log() : logTail(); };
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (!isRunning()) {
            const QString text = tail();
            *portTaken = text.contains(QLatin1String("in use"));
            *error
                = QStringLiteral("%1 exited during start (exit code %2); log:\n%3").arg(name).arg(exitCode()).arg(text);
            return false;
        }
        if (ready())
            return true;
        QThread::msleep(ulong(pollMs));
    }
    *error = QStringLiteral("%1 on port %2 did not answer %3 within %4 ms; log:\n%5")
                 .arg(name)
                 .arg(port)
                 .arg(what)
                 .arg(timeoutMs)
                 .arg(tail());
    return false;
}

QString ManagedProcess::commandLine() const
{
    return (QStringList{m_process.program()} + m_process.arguments()).join(QLatin1Char(' '));
}

bool startWithPortRetry(const std::function<bool(bool* portTaken)>& startOnce, int attempts)
{
    for (int attempt = 0; attempt < attempts; ++attempt) {
        bool portTaken = false;
        if (startOnce(&portTaken))
            return true;
        if (!portTaken)
            return false;
    }
    return false;
}

} // namespace okh::standin
