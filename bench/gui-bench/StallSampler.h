#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

namespace okh::bench {

// Measures the GUI thread's event loop from inside: a precise timer asks to run every
// `periodMs`; how late each tick comes is how long the loop was busy with something else
// (batches, painting, layout). Percentiles of those delays are the stalls an operator feels.
class StallSampler : public QObject
{
    Q_OBJECT
public:
    explicit StallSampler(int periodMs = 5, QObject* parent = nullptr);

    void start();
    void stop();
    int samples() const { return int(m_delaysMs.size()); }
    // Delay in ms at quantile q (0..1), over the ticks since start().
    double quantileMs(double q) const;
    double maxMs() const;
    // Ticks delayed by more than limitMs.
    int countOver(double limitMs) const;

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    int m_periodMs;
    QList<double> m_delaysMs;
};

} // namespace okh::bench
