#include "RunReport.h"

namespace okh {

bool isGating(CheckRole role)
{
    return role != CheckRole::Info;
}

ProbeStatus ServiceOutcome::status() const
{
    ProbeStatus worst = ProbeStatus::Healthy;
    for (const auto& c : checks) {
        if (isGating(c.check.role))
            worst = worseStatus(worst, c.result.status);
    }
    return worst;
}

ProbeStatus RunReport::status() const
{
    ProbeStatus worst = ProbeStatus::Healthy;
    for (const auto& s : services) {
        worst = worseStatus(worst, s.status());
    }
    return worst;
}

bool RunReport::gatingChecksHealthy() const
{
    return countGating(ProbeStatus::Unhealthy) == 0 && countGating(ProbeStatus::Unknown) == 0;
}

int RunReport::checkCount() const
{
    int n = 0;
    for (const auto& s : services)
        n += int(s.checks.size());
    return n;
}

RootCause::Analysis RunReport::causes() const
{
    QList<RootCause::Service> evidence;
    for (const auto& s : services) {
        RootCause::Service e{s.name, s.dependsOn, s.components, false, false, {}};
        for (const auto& c : s.checks)
            e.add(c.check, c.result);
        evidence.append(e);
    }
    return RootCause::analyse(evidence);
}

QStringList RunReport::rootCauses() const
{
    return causes().roots();
}

QStringList RunReport::causedBy(const QString& service) const
{
    return causes().causedBy(service);
}

QList<const ServiceOutcome*> RunReport::rootCausesFirst(const RootCause::Analysis& causes) const
{
    const QStringList roots = causes.roots();
    QList<const ServiceOutcome*> ordered;
    for (const auto& s : services) {
        if (roots.contains(s.name))
            ordered.append(&s);
    }
    for (const auto& s : services) {
        if (!roots.contains(s.name))
            ordered.append(&s);
    }
    return ordered;
}

int RunReport::gatingCount() const
{
    return countGating(ProbeStatus::Healthy) + countGating(ProbeStatus::Unhealthy) + countGating(ProbeStatus::Unknown);
}

int RunReport::countInfoNotHealthy() const
{
    int n = 0;
    for (const auto& s : services) {
        for (const auto& c : s.checks) {
            if (!isGating(c.check.role) && c.result.status != ProbeStatus::Healthy)
                ++n;
        }
    }
    return n;
}

int RunReport::countGating(ProbeStatus status) const
{
    int n = 0;
    for (const auto& s : services) {
        for (const auto& c : s.checks) {
            if (isGating(c.check.role) && c.result.status == status)
                ++n;
        }
    }
    return n;
}

} // namespace okh
