#include "StallSampler.h"

#include <algorithm>

namespace okh::bench {

StallSampler::StallSampler(int periodMs, QObject* parent)
    : QObject(parent)
    , m_periodMs(periodMs)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(periodMs);
    connect(&m_timer, &QTimer::timeout, this, &StallSampler::tick);
}

void StallSampler::start()
{
    m_delaysMs.clear();
    m_clock.start();
    m_lastNs = 0;
    m_timer.start();
}

void StallSampler::stop()
{
    m_timer.stop();
}

void StallSampler::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const double gapMs = double(now - m_lastNs) / 1e6;
    m_lastNs = now;
    m_delaysMs.append(std::max(0.0, gapMs - m_periodMs));
}

double StallSampler::quantileMs(double q) const
{
    if (m_delaysMs.isEmpty())
        return 0;
    QList<double> sorted = m_delaysMs;
    std::sort(sorted.begin(), sorted.end());
    const qsizetype at = std::clamp<qsizetype>(qsizetype(q * double(sorted.size() - 1) + 0.5), 0, sorted.size() - 1);
    return sorted.at(at);
}

double StallSampler::maxMs() const
{
    return m_delaysMs.isEmpty() ? 0 : *std::max_element(m_delaysMs.begin(), m_delaysMs.end());
}

int StallSampler::countOver(double limitMs) const
{
    return int(std::count_if(m_delaysMs.begin(), m_delaysMs.end(), [limitMs](double d) { return d > limitMs; }));
}

} // namespace okh::bench
