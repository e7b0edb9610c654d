#include "OpenKlantProfile.h"

#include <QUrl>
#include <chrono>

namespace okh {

using namespace std::chrono_literals;

namespace {

struct Timing
{
    std::chrono::milliseconds interval;
    std::chrono::milliseconds timeout;
    int failureThreshold;
    std::chrono::milliseconds startPeriod;
};

// Open Klant's docker-compose.yml healthcheck values (interval / timeout / retries /
// start_period; docs/deployment-file.md). Docker has no success threshold: one success
// makes a container healthy, hence successThreshold 1 everywhere.
constexpr Timing webTiming{30s, 5s, 5, 30s};
// Compose has no nginx; it fronts web, so it gets web's timings.
constexpr Timing nginxTiming = webTiming;
constexpr Timing redisTiming{30s, 1s, 3, 0s};
constexpr Timing dbTiming{10s, 5s, 5, 0s};

CheckSpec makeCheck(const QString& name, CheckRole role, const Timing& timing, ProbeTarget target)
{
    CheckSpec check;
    check.name = name;
    check.role = role;
    check.interval = timing.interval;
    check.timeout = timing.timeout;
    check.failureThreshold = timing.failureThreshold;
    check.successThreshold = 1;
    check.startPeriod = timing.startPeriod;
    check.target = std::move(target);
    return check;
}

// The three django-health-check endpoints, as the seed document assigns them to probes:
// /_healthz/ checks every dependency (startup), /_healthz/livez/ only that requests are
// handled (liveness), /_healthz/readyz/ adds the cache and the database (readiness).
// nginx answers the same paths itself (its documented location blocks).
QList<CheckSpec> healthEndpointChecks(const OpenKlantProfile::HttpEndpoint& endpoint, const Timing& timing)
{
    const auto target = [&endpoint](const QString& path) {
        QUrl url;
        url.setScheme(QStringLiteral("http"));
        url.setHost(endpoint.host);
        url.setPort(endpoint.port);
        url.setPath(path);
        HttpTarget http;
        http.url = url;
        http.hostHeader = endpoint.hostHeader;
        return http;
    };
    return {
        makeCheck(QStringLiteral("healthz"), CheckRole::Startup, timing, target(QStringLiteral("/_healthz/"))),
        makeCheck(QStringLiteral("livez"), CheckRole::Liveness, timing, target(QStringLiteral("/_healthz/livez/"))),
        makeCheck(QStringLiteral("readyz"), CheckRole::Readiness, timing, target(QStringLiteral("/_healthz/readyz/"))),
    };
}

ServiceSpec makeService(const QString& name, const QString& kind, const QStringList& dependsOn, QList<CheckSpec> checks)
{
    ServiceSpec service;
    service.name = name;
    service.kind = kind;
    service.dependsOn = dependsOn;
    service.checks = std::move(checks);
    return service;
}

} // namespace

QString OpenKlantProfile::name()
{
    return QStringLiteral("openklant");
}

QStringList OpenKlantProfile::serviceNames()
{
    return {QStringLiteral("web"), QStringLiteral("nginx"), QStringLiteral("redis"), QStringLiteral("db")};
}

QList<ServiceSpec> OpenKlantProfile::expand(const Settings& settings)
{
    // Docker's healthcheck gates depends_on: service_healthy, which is readiness; compose
    // never restarts an unhealthy redis or db, so their checks are not liveness checks.
    QList<ServiceSpec> services{
        makeService(QStringLiteral("web"), QStringLiteral("web"), {QStringLiteral("db"), QStringLiteral("redis")},
                    healthEndpointChecks(settings.web, webTiming)),
        makeService(QStringLiteral("nginx"), QStringLiteral("nginx"), {QStringLiteral("web")},
                    healthEndpointChecks(settings.nginx, nginxTiming)),
        makeService(QStringLiteral("redis"), QStringLiteral("redis"), {},
                    {makeCheck(QStringLiteral("ping"), CheckRole::Readiness, redisTiming, settings.redis)}),
        makeService(QStringLiteral("db"), QStringLiteral("postgresql"), {},
                    {makeCheck(QStringLiteral("pg_isready"), CheckRole::Readiness, dbTiming, settings.db)}),
        // Extension point: the Celery worker ("celery", kind celery-worker: control.ping over
        // the broker plus heartbeat age, 60s/5s/3, start period 10s) and Flower
        // ("celery-flower", kind celery-flower: HTTP on :5555/) join here when their probes
        // land. Add their endpoints to Settings, their keys to the profile's "services" object
        // in DeploymentFile.cpp and their rows to docs/deployment-file.md.
    };

    services.removeIf([&settings](const ServiceSpec& s) { return settings.exclude.contains(s.name); });
    for (ServiceSpec& service : services)
        service.dependsOn.removeIf([&settings](const QString& d) { return settings.exclude.contains(d); });
    return services;
}

} // namespace okh
