#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <chrono>
#include <csignal>
#include <functional>

namespace okh::standin {

// One child process owned by a test fixture. Its stdout and stderr go, merged, to a log file
// (in the fixture's temp dir) so a failed start can quote the server's own words. The
// destructor stops it: the stop signal, a grace period, then SIGKILL, and always a wait.
// Only the pid this object started is ever signalled.
class ManagedProcess
{
public:
    explicit ManagedProcess(QString logPath);
    ~ManagedProcess();
    ManagedProcess(const ManagedProcess&) = delete;
    ManagedProcess& operator=(const ManagedProcess&) = delete;

    void setEnvironment(const QProcessEnvironment& environment);
    void setWorkingDirectory(const QString& directory);
    // Drops root to this account in the child before exec (the postgres binaries refuse root).
    // The pid stays the server's own pid, unlike with runuser, which forks.
    void setRunAsUser(const QString& userName);
    // Keeps the child's stdin a pipe that stays open (e.g. an idle psql session); by default
    // stdin is /dev/null.
    void setKeepStdinOpen(bool keepOpen);
    // The signal stop() sends first; SIGTERM by default (postgres: SIGINT, its fast shutdown).
    void setStopSignal(int signal);

    bool start(const QString& program, const QStringList& arguments);
    bool isRunning();
    qint64 pid() const; // 0 when never started
    bool sendSignal(int signal);
    // Sends the stop signal, waits up to grace, then SIGKILL; returns true when it ended in grace.
    bool stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
    // Waits for the process to end on its own; true when it ended within timeout.
    bool waitForExit(std::chrono::milliseconds timeout);
    int exitCode() const;

    qint64 writeStdin(const QByteArray& data);
    void closeStdin();

    QString logPath() const { return m_logPath; }
    QString logTail(int maxLines = 30) const;

    // What every server fixture does after start(): poll `ready` every `pollMs` until it says
    // yes, the process exits, or `timeoutMs` passes. On failure `*error` names `name`, the
    // process's end or what it did not answer (`what`, e.g. "PING"), and the tail of `log`
    // (default: this process's log); `*portTaken` says whether the log blames a port in use.
    bool waitUntilReady(const QString& name, quint16 port, const QString& what, int timeoutMs, int pollMs,
                        const std::function<bool()>& ready, bool* portTaken, QString* error,
                        const std::function<QString()>& log = {});
    QString errorString() const { return m_errorString; }
    QString commandLine() const;

private:
    QString m_logPath;
    QProcess m_process;
    QString m_errorString;
    QString m_runAsUser;
    bool m_keepStdinOpen = false;
    int m_stopSignal = SIGTERM;
    qint64 m_pid = 0;
    bool m_stopped = false;
};

// A port from freePort() can be taken by someone else before the server binds it. Calls
// startOnce (which picks a fresh port each time) until it succeeds, fails for another reason
// (*portTaken false), or `attempts` starts have all found their port taken.
bool startWithPortRetry(const std::function<bool(bool* portTaken)>& startOnce, int attempts = 3);

} // namespace okh::standin
