#pragma once

#include "probes/ProbeTargets.h"
#include "transport/SshEndpoint.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <chrono>
#include <optional>

namespace okh {

// What an orchestrator would use the check for (docs/engine.md, "Verdicts"); info checks never
// decide the exit code or the service status.
enum class CheckRole { Liveness, Readiness, Startup, Info };

QString roleKey(CheckRole role);
std::optional<CheckRole> roleFromKey(const QString& key);
QStringList roleKeys(); // every role's key, in the documentation's order
// Service kinds as the file writes them: "web", "nginx", "redis", …, "other".
const QStringList& serviceKinds();

struct CheckSpec
{
    QString name;
    CheckRole role = CheckRole::Liveness;
    // Kubernetes defaults (docs/engine.md, "Verdicts"): period 10 s, timeout 1 s, thresholds 3/1.
    std::chrono::milliseconds interval{10'000};
    std::chrono::milliseconds timeout{1'000};
    int failureThreshold = 3;
    int successThreshold = 1;
    std::chrono::milliseconds startPeriod{0};
    std::chrono::milliseconds initialDelay{0};
    ProbeTarget target;

    QString typeKey() const; // config/CheckTypes.h: "http", "tcp", "redis", …
    friend bool operator==(const CheckSpec&, const CheckSpec&) = default;
};

struct ServiceSpec
{
    QString name;
    QString kind; // web, nginx, redis, postgresql, celery-worker, celery-flower, other
    QStringList dependsOn;
    QList<CheckSpec> checks;
    // Where the service's file and exec checks run unless a check names its own context; the
    // checks' targets carry the resolved context (docs/deployment-file.md, "Execution contexts").
    ExecContext exec;
    // Which service a failing django-health-check component (or "broker", for Celery checks)
    // stands for, so that a failure it names counts as that service's consequence
    // (engine/RootCause). "Cache backend" covers "Cache backend: <alias>".
    QHash<QString, QString> components;
    friend bool operator==(const ServiceSpec&, const ServiceSpec&) = default;
};

struct ConnectionSpec
{
    enum class Type { Direct, Ssh };
    Type type = Type::Direct;
    SshSpec ssh; // with Type::Ssh
    friend bool operator==(const ConnectionSpec&, const ConnectionSpec&) = default;
};

struct DeploymentSpec
{
    QString name;
    ConnectionSpec connection;
    QList<ServiceSpec> services; // a profile's already expanded
    friend bool operator==(const DeploymentSpec&, const DeploymentSpec&) = default;
};

} // namespace okh
