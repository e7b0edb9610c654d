#include "Probe.h"

#include "util/Durations.h"

namespace okh {

Probe::Probe(std::chrono::milliseconds timeout, QObject* parent)
    : QObject(parent)
    , m_timeout(timeout)
{
    m_deadline.setSingleShot(true);
    // PreciseTimer: the timeout must be honoured within a few milliseconds, not 5 %.
    m_deadline.setTimerType(Qt::PreciseTimer);
    connect(&m_deadline, &QTimer::timeout, this, &Probe::onTimeout);
}

void Probe::start()
{
    if (m_started)
        return;
    m_started = true;
    m_clock.start();
    m_deadline.start(m_timeout);
    begin();
}

ProbeResult Probe::timedOutResult() const
{
    return ProbeResult::unhealthy(
               tr("no answer within %1").arg(formatDuration(m_timeout)),
               tr("The service accepted the connection or is unreachable but did not answer in time; "
                  "it may be overloaded, frozen or behind a firewall that drops packets."))
        .because(FailureKind::NoAnswer);
}

void Probe::finish(ProbeResult result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline.stop();
    result.latencyMs = elapsedMs();
    Q_EMIT finished(result);
}

double Probe::elapsedMs() const
{
    return m_clock.isValid() ? double(m_clock.nsecsElapsed()) / 1e6 : 0.0;
}

void Probe::onTimeout()
{
    if (m_finished)
        return;
    abort();
    finish(timedOutResult());
}

} // namespace okh
