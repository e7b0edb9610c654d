#pragma once

#include <QString>
#include <sys/types.h>

namespace okh::bench {

// What /proc says of a process (proc(5)): CPU time of all its threads, resident memory.
struct ProcessFigures
{
    double cpuSeconds = 0; // utime + stime
    double rssMiB = 0; // VmRSS
    double peakRssMiB = 0; // VmHWM

    static ProcessFigures of(pid_t pid); // 0: this process
    // Milliseconds from this process's start (as the kernel recorded it) until now.
    static double msSinceProcessStart();
};

// Lines in a file (nginx's access log: one per probe that reached it).
qint64 lineCount(const QString& path);

} // namespace okh::bench
