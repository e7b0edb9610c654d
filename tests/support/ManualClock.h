#pragma once

#include "util/Clock.h"

#include <QAtomicInteger>

namespace okh {

// A clock the test sets by hand; safe to read from any thread (the history worker reads it).
class ManualClock final : public Clock
{
public:
    qint64 nowMs() const override { return m_now.loadRelaxed(); }
    void set(qint64 ms) { m_now.storeRelaxed(ms); }
    void advance(qint64 ms) { m_now.fetchAndAddRelaxed(ms); }

private:
    QAtomicInteger<qint64> m_now;
};

} // namespace okh
