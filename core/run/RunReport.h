#pragma once

#include "config/DeploymentSpec.h"
#include "engine/RootCause.h"
#include "probes/ProbeResult.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>

namespace okh {

struct CheckOutcome
{
    CheckSpec check;
    ProbeResult result;
};

struct ServiceOutcome
{
    QString name;
    QString kind;
    QStringList dependsOn;
    QHash<QString, QString> components; // ServiceSpec::components
    QList<CheckOutcome> checks;

    // Worst of the gating (non-info) checks: unhealthy beats unknown beats healthy.
    ProbeStatus status() const;
};

// One pass over every check of a deployment, as the CLI reports it.
struct RunReport
{
    QString deployment;
    QDateTime startedAt;
    double durationMs = 0.0;
    QList<ServiceOutcome> services;

    ProbeStatus status() const;
    // True when every liveness, readiness and startup check is healthy (the CLI's exit 0).
    bool gatingChecksHealthy() const;
    int checkCount() const;
    int countGating(ProbeStatus status) const;
    int gatingCount() const;
    // Info checks that are not healthy: shown, never decisive.
    int countInfoNotHealthy() const;
    // Unhealthy services that no failing dependency explains, and for the others, which ones do
    // (engine/RootCause.h): what the first line of a report names.
    RootCause::Analysis causes() const;
    QStringList rootCauses() const;
    QStringList causedBy(const QString& service) const;
    // The services as every report lists them: the root causes first, then the rest, each
    // group in file order.
    QList<const ServiceOutcome*> rootCausesFirst(const RootCause::Analysis& causes) const;
};

bool isGating(CheckRole role);

} // namespace okh

Q_DECLARE_METATYPE(okh::RunReport)
