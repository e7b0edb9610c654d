#include "ProcessTree.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QThread>
#include <csignal>

namespace okh::standin {

// The command name in parentheses may itself hold spaces or parentheses, so the fields are
// counted after the last ')' (proc(5): state is field 3, ppid 4, starttime 22).
bool readProcStat(qint64 pid, ProcStat* stat)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = file.readAll();
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return false;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 20 || fields.at(0).isEmpty())
        return false;
    stat->pid = pid;
    stat->state = fields.at(0).at(0);
    stat->parentPid = fields.at(1).toLongLong();
    stat->startTime = fields.at(19).toLongLong();
    return true;
}

bool isGoneOrZombie(char state)
{
    return state == 'Z' || state == 'X';
}

QList<ProcStat> allProcesses()
{
    QList<ProcStat> processes;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        ProcStat stat;
        if (isPid && readProcStat(pid, &stat))
            processes << stat;
    }
    return processes;
}

QList<ProcStat> childProcesses(qint64 pid)
{
    QList<ProcStat> children;
    if (pid <= 0)
        return children;
    for (const ProcStat& process : allProcesses()) {
        if (process.parentPid == pid && !isGoneOrZombie(process.state))
            children << process;
    }
    return children;
}

QList<qint64> childProcessIds(qint64 pid)
{
    QList<qint64> pids;
    for (const ProcStat& child : childProcesses(pid))
        pids << child.pid;
    return pids;
}

bool isSameAndAlive(const ProcStat& known)
{
    ProcStat now;
    return readProcStat(known.pid, &now) && now.startTime == known.startTime && !isGoneOrZombie(now.state);
}

void signalIfSame(const ProcStat& known, int signal)
{
    if (isSameAndAlive(known))
        ::kill(pid_t(known.pid), signal);
}

bool waitForStopState(qint64 pid, bool stopped, std::chrono::milliseconds timeout)
{
    QDeadlineTimer deadline(timeout);
    for (;;) {
        ProcStat stat;
        if (!readProcStat(pid, &stat) || isGoneOrZombie(stat.state))
            return false;
        // 'T' is the job-control stop SIGSTOP gives; 't' a tracing stop.
        if ((stat.state == 'T' || stat.state == 't') == stopped)
            return true;
        if (deadline.hasExpired())
            return false;
        QThread::msleep(10);
    }
}

} // namespace okh::standin
