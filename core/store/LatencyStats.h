#pragma once

#include <QList>
#include <QtGlobal>

namespace okh {

// Latency figures of a bucket, in the store's unit: tenths of a millisecond.
struct LatencyStats
{
    qint32 p50 = 0;
    qint32 p95 = 0;
    qint32 max = 0;

    // Nearest-rank percentiles (the smallest value with at least p % of the values at or below
    // it). Sorts values in place; values must not be empty.
    static LatencyStats of(QList<qint32>& values);
    // The nearest-rank percentile of sorted, non-empty values.
    static qint32 percentile(const QList<qint32>& sorted, int percent);

    friend bool operator==(const LatencyStats&, const LatencyStats&) = default;
};

// Stored latency unit: milliseconds → tenths of a millisecond, clamped to [0, 2^31).
qint32 latencyToTenths(double ms);
double latencyFromTenths(qint64 tenths);

} // namespace okh
