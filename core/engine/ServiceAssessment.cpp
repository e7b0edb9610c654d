#include "ServiceAssessment.h"

namespace okh {

bool ServiceAssessment::startupPassed(const ServiceSpec& spec, const QList<CheckStateMachine::State>& states)
{
    for (int i = 0; i < spec.checks.size() && i < states.size(); ++i) {
        if (spec.checks.at(i).role == CheckRole::Startup && !states.at(i).everSucceeded)
            return false;
    }
    return true;
}

QString ServiceAssessment::conclusionKey(Conclusion conclusion)
{
    switch (conclusion) {
    case Conclusion::Serving:
        return QStringLiteral("serving");
    case Conclusion::Starting:
        return QStringLiteral("starting");
    case Conclusion::WouldRestart:
        return QStringLiteral("restart");
    case Conclusion::OutOfRotation:
        return QStringLiteral("out-of-rotation");
    case Conclusion::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

ServiceAssessment ServiceAssessment::assess(const ServiceSpec& spec, const QList<CheckStateMachine::State>& states)
{
    ServiceAssessment a;
    a.service = spec.name;
    a.kind = spec.kind;
    a.dependsOn = spec.dependsOn;
    QStringList restart;
    QStringList rotation;
    QStringList startupFailed;
    bool unknown = false;
    bool anyGating = false;
    for (int i = 0; i < spec.checks.size() && i < states.size(); ++i) {
        const CheckSpec& check = spec.checks.at(i);
        const CheckStateMachine::State& s = states.at(i);
        if (check.role == CheckRole::Info)
            continue;
        anyGating = true;
        if (s.verdict == ProbeStatus::Unknown)
            unknown = true;
        if (s.verdict != ProbeStatus::Unhealthy)
            continue;
        if (check.role == CheckRole::Liveness)
            restart.append(check.name);
        else if (check.role == CheckRole::Readiness)
            rotation.append(check.name);
        else
            startupFailed.append(check.name);
    }
    const bool started = startupPassed(spec, states);
    if (!startupFailed.isEmpty()) {
        a.status = ProbeStatus::Unhealthy;
        a.conclusion = Conclusion::WouldRestart;
        a.conclusionText = tr("would be restarted: startup check %1 did not pass in time")
                               .arg(startupFailed.join(QStringLiteral(", ")));
    } else if (!started) {
        a.status = ProbeStatus::Unknown;
        a.conclusion = Conclusion::Starting;
        a.conclusionText = tr("starting: waiting for the startup check to pass");
    } else if (!restart.isEmpty()) {
        a.status = ProbeStatus::Unhealthy;
        a.conclusion = Conclusion::WouldRestart;
        a.conclusionText
            = tr("would be restarted: liveness check %1 is failing").arg(restart.join(QStringLiteral(", ")));
    } else if (!rotation.isEmpty()) {
        a.status = ProbeStatus::Unhealthy;
        a.conclusion = Conclusion::OutOfRotation;
        a.conclusionText
            = tr("out of rotation: readiness check %1 is failing").arg(rotation.join(QStringLiteral(", ")));
    } else if (unknown || !anyGating) {
        a.status = ProbeStatus::Unknown;
        a.conclusion = Conclusion::Unknown;
        a.conclusionText = tr("not known yet");
    } else {
        a.status = ProbeStatus::Healthy;
        a.conclusion = Conclusion::Serving;
        a.conclusionText = tr("serving");
    }
    return a;
}

} // namespace okh
