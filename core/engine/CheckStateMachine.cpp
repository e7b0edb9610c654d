#include "CheckStateMachine.h"

namespace okh {

CheckStateMachine::CheckStateMachine(const CheckSpec& spec, qint64 startedMs)
    : m_role(spec.role)
    , m_failureThreshold(std::max(1, spec.failureThreshold))
    // Kubernetes requires 1 for liveness and startup; the file format enforces it too.
    , m_successThreshold(std::max(1, spec.successThreshold))
    , m_startPeriodEndMs(startedMs + spec.startPeriod.count())
{
    m_state.verdictSinceMs = startedMs;
    m_state.inStartPeriod = spec.startPeriod.count() > 0;
}

bool CheckStateMachine::apply(const ProbeResult& result, qint64 nowMs)
{
    m_state.last = result;
    m_state.lastResultMs = nowMs;
    ++m_state.runs;
    // Docker: the start period shields failures until the first success, never after it.
    m_state.inStartPeriod = !m_state.everSucceeded && nowMs < m_startPeriodEndMs;
    const ProbeStatus before = m_state.verdict;
    switch (result.status) {
    case ProbeStatus::Unknown:
        return false;
    case ProbeStatus::Healthy:
        m_state.everSucceeded = true;
        m_state.inStartPeriod = false;
        m_state.consecutiveFailures = 0;
        ++m_state.consecutiveSuccesses;
        if (m_state.consecutiveSuccesses >= m_successThreshold)
            m_state.verdict = ProbeStatus::Healthy;
        break;
    case ProbeStatus::Unhealthy:
        m_state.consecutiveSuccesses = 0;
        if (m_state.inStartPeriod)
            break;
        ++m_state.consecutiveFailures;
        if (m_state.consecutiveFailures >= m_failureThreshold)
            m_state.verdict = ProbeStatus::Unhealthy;
        break;
    }
    if (m_state.verdict != before) {
        m_state.verdictSinceMs = nowMs;
        return true;
    }
    return false;
}

bool CheckStateMachine::isRetired() const
{
    return m_role == CheckRole::Startup && m_state.everSucceeded;
}

QString CheckStateMachine::describe() const
{
    const State& s = m_state;
    if (s.runs == 0)
        return tr("no result yet");
    if (isRetired())
        return tr("passed; not run again");
    if (s.last.status == ProbeStatus::Unknown)
        return tr("monitor cannot run it");
    if (s.inStartPeriod && s.last.status == ProbeStatus::Unhealthy)
        return tr("starting (failures do not count yet)");
    if (s.verdict != ProbeStatus::Unhealthy && s.consecutiveFailures > 0)
        return tr("failing %1/%2").arg(s.consecutiveFailures).arg(m_failureThreshold);
    if (s.verdict != ProbeStatus::Healthy && s.consecutiveSuccesses > 0)
        return tr("recovering %1/%2").arg(s.consecutiveSuccesses).arg(m_successThreshold);
    return statusText(s.verdict);
}

} // namespace okh
