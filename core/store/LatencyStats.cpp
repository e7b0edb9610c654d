#include "LatencyStats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace okh {

LatencyStats LatencyStats::of(QList<qint32>& values)
{
    Q_ASSERT(!values.isEmpty());
    std::sort(values.begin(), values.end());
    return {percentile(values, 50), percentile(values, 95), values.last()};
}

qint32 LatencyStats::percentile(const QList<qint32>& sorted, int percent)
{
    Q_ASSERT(!sorted.isEmpty());
    const qint64 n = sorted.size();
    const qint64 rank = std::clamp<qint64>((qint64(percent) * n + 99) / 100, 1, n);
    return sorted.at(rank - 1);
}

qint32 latencyToTenths(double ms)
{
    if (!(ms > 0.0)) // also NaN
        return 0;
    const double tenths = std::round(ms * 10.0);
    if (tenths >= double(std::numeric_limits<qint32>::max()))
        return std::numeric_limits<qint32>::max();
    return qint32(tenths);
}

double latencyFromTenths(qint64 tenths)
{
    return double(tenths) / 10.0;
}

} // namespace okh
