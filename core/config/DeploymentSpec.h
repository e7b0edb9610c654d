#pragma once

#include "probes/ProbeTargets.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <chrono>
#include <optional>

namespace okh {

// What an orchestrator would use the check for (probe-semantics.md); info checks never
// decide the exit code or the service status.
enum class CheckRole { Liveness, Readiness, Startup, Info };

QString roleKey(CheckRole role);
std::optional<CheckRole> roleFromKey(const QString& key);

struct CheckSpec
{
    QString name;
    CheckRole role = CheckRole::Liveness;
    // Kubernetes defaults (probe-semantics.md): period 10 s, timeout 1 s, thresholds 3/1.
    std::chrono::milliseconds interval{10'000};
    std::chrono::milliseconds timeout{1'000};
    int failureThreshold = 3;
    int successThreshold = 1;
    std::chrono::milliseconds startPeriod{0};
    std::chrono::milliseconds initialDelay{0};
    ProbeTarget target;

    QString typeKey() const; // "http", "tcp", "redis", "postgres"
};

struct ServiceSpec
{
    QString name;
    QString kind; // web, nginx, redis, postgresql, celery-worker, celery-flower, other
    QStringList dependsOn;
    QList<CheckSpec> checks;
};

struct ConnectionSpec
{
    // "direct" today; "ssh" adds its own fields next to type when it lands.
    enum class Type { Direct };
    Type type = Type::Direct;
};

struct DeploymentSpec
{
    QString name;
    ConnectionSpec connection;
    QString profile; // the built-in profile the services were expanded from ("openklant"), or empty
    QList<ServiceSpec> services;
};

} // namespace okh
