#pragma once

#include <QDateTime>

namespace okh {

// Where the scheduler and the history read the time, so that tests can use a fake clock
// (KeePassXC src/core/Clock.h, tests/mock/MockClock.h). Implementations must be safe to call
// from any thread: the history store reads its clock on its worker thread.
class Clock
{
public:
    virtual ~Clock() = default;
    // Wall clock in milliseconds since the Unix epoch, UTC: what stored timestamps are made of.
    virtual qint64 nowMs() const = 0;
};

class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }

    static const SystemClock& instance()
    {
        static const SystemClock clock;
        return clock;
    }
};

} // namespace okh
