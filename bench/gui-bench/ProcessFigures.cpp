#include "ProcessFigures.h"

#include <QFile>
#include <QStringList>
#include <ctime>
#include <unistd.h>

namespace okh::bench {

namespace {

QByteArray readProc(pid_t pid, const char* name)
{
    QFile file(pid == 0 ? QStringLiteral("/proc/self/%1").arg(QLatin1String(name))
                        : QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The fields of /proc/PID/stat after the command name (which may hold spaces): field 3 first.
QList<QByteArray> statFields(pid_t pid)
{
    const QByteArray stat = readProc(pid, "stat");
    const qsizetype close = stat.lastIndexOf(')');
    return close < 0 ? QList<QByteArray>() : stat.mid(close + 2).split(' ');
}

double statusKiB(const QByteArray& status, const QByteArray& key)
{
    for (const QByteArray& line : status.split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').first().toDouble();
    }
    return 0;
}

} // namespace

ProcessFigures ProcessFigures::of(pid_t pid)
{
    ProcessFigures figures;
    const QList<QByteArray> fields = statFields(pid);
    const double ticks = double(::sysconf(_SC_CLK_TCK));
    if (fields.size() > 14) // utime is field 14, stime 15: indexes 11 and 12 from field 3
        figures.cpuSeconds = (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;
    const QByteArray status = readProc(pid, "status");
    figures.rssMiB = statusKiB(status, "VmRSS:") / 1024.0;
    figures.peakRssMiB = statusKiB(status, "VmHWM:") / 1024.0;
    return figures;
}

double ProcessFigures::msSinceProcessStart()
{
    const QList<QByteArray> fields = statFields(0);
    if (fields.size() < 20)
        return -1;
    // starttime (field 22) is in clock ticks after boot, on CLOCK_BOOTTIME.
    const double startSeconds = fields.at(19).toDouble() / double(::sysconf(_SC_CLK_TCK));
    timespec now{};
    ::clock_gettime(CLOCK_BOOTTIME, &now);
    return (double(now.tv_sec) + double(now.tv_nsec) / 1e9 - startSeconds) * 1000.0;
}

qint64 lineCount(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().count('\n');
}

} // namespace okh::bench
