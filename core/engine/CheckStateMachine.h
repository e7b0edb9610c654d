#pragma once

#include "config/DeploymentSpec.h"
#include "probes/ProbeResult.h"

#include <QCoreApplication>

namespace okh {

// What an orchestrator concludes about one check from its stream of results
// (docs/engine.md, "Verdicts"): Kubernetes' consecutive failure/success thresholds and
// Docker's start period. Results the monitor could not produce (unknown) are not results of
// the service: they neither count nor break a streak.
class CheckStateMachine
{
    Q_DECLARE_TR_FUNCTIONS(okh::CheckStateMachine)
public:
    struct State
    {
        // The concluded status: unknown until enough results agree (and while only unknown
        // results have come in).
        ProbeStatus verdict = ProbeStatus::Unknown;
        int consecutiveFailures = 0;
        int consecutiveSuccesses = 0;
        bool everSucceeded = false;
        bool inStartPeriod = false; // Docker: failures do not count yet
        ProbeResult last; // the latest result, counted or not
        qint64 lastResultMs = 0;
        qint64 verdictSinceMs = 0;
        int runs = 0;
    };

    CheckStateMachine(const CheckSpec& spec, qint64 startedMs);

    // Applies one result; true when the verdict changed.
    bool apply(const ProbeResult& result, qint64 nowMs);
    const State& state() const { return m_state; }

    // A startup check that has passed: kubelet never runs it again (until the container
    // restarts), so neither does the monitor, and it cannot fail any more.
    bool isRetired() const;

    // "healthy", "failing 2/3", "recovering 1/2", "starting", "no result yet", "monitor cannot
    // run it", "passed; not run again" — the pending state an operator wants to see before a flip.
    QString describe() const;

private:
    CheckRole m_role;
    int m_failureThreshold;
    int m_successThreshold;
    qint64 m_startPeriodEndMs;
    State m_state;
};

} // namespace okh
