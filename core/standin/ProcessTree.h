#pragma once

#include <QList>
#include <chrono>

namespace okh::standin {

// Processes as /proc describes them (proc(5)), for fixtures that must find and signal the
// children of a server they started (Celery's pool, sshd's per-connection processes) without
// ever hitting an unrelated process that has reused a pid.

// One /proc/<pid>/stat.
struct ProcStat
{
    qint64 pid = 0;
    qint64 parentPid = 0;
    qint64 startTime = 0; // clock ticks after boot: tells a process from a later one with its pid
    char state = 0; // 'R', 'S', 'T' stopped, 't' traced, 'Z' zombie, 'X' dead, ...
};

bool readProcStat(qint64 pid, ProcStat* stat);
bool isGoneOrZombie(char state);
// Every process in /proc that could be read.
QList<ProcStat> allProcesses();
// The direct children of pid that have not exited.
QList<ProcStat> childProcesses(qint64 pid);
// The same, their pids only (the prefork pool processes of a Celery worker).
QList<qint64> childProcessIds(qint64 pid);

// True while the process recorded in `known` still exists as that process (same start time)
// and has not exited.
bool isSameAndAlive(const ProcStat& known);
// Sends signal to known.pid only while isSameAndAlive(known).
void signalIfSame(const ProcStat& known, int signal);

// Waits until pid is in the stopped state (after SIGSTOP) or running again (after SIGCONT),
// as /proc/<pid>/stat reports; false at the deadline or when the process is gone.
bool waitForStopState(qint64 pid, bool stopped, std::chrono::milliseconds timeout = std::chrono::seconds(2));

} // namespace okh::standin
