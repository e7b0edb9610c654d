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
// compose's worker-health-check: interval 60s, timeout 5s, retries 3, start_period 10s. The
// timeout leaves room for the 3 s ping plus the 1 s broadcast after a silent worker.
constexpr Timing celeryTiming{60s, 5s, 3, 10s};
// Compose gives Flower's healthcheck Docker's defaults (30s / 30s / 3 / 0s); a Flower that
// takes 30 s to serve its start page is not healthy, so the timeout is 5 s.
constexpr Timing flowerTiming{30s, 5s, 3, 0s};

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

// maykin-common worker-health-check, split into its three parts so each is reported on its
// own: the event-loop liveness file (touched every 60 s from the worker's timer), the
// control.ping through the broker, and the readiness file (present while the worker accepts
// tasks; worker-health-check skips it by default, here it is the readiness check).
QList<CheckSpec> celeryChecks(const OpenKlantProfile::Settings& settings)
{
    const OpenKlantProfile::CelerySettings& celery = settings.celery;
    FileTarget eventLoop;
    eventLoop.context = celery.exec;
    eventLoop.path = celery.livenessFile;
    eventLoop.maxAge = celery.maxAge;

    CeleryPingTarget ping;
    ping.broker = celery.broker.value_or(settings.redis);
    ping.workers = celery.workers;
    ping.replyTimeout = 3s; // maykin-common's --ping-timeout default

    FileTarget ready;
    ready.context = celery.exec;
    ready.path = celery.readinessFile;

    return {
        makeCheck(QStringLiteral("event-loop"), CheckRole::Liveness, celeryTiming, eventLoop),
        makeCheck(QStringLiteral("ping"), CheckRole::Liveness, celeryTiming, ping),
        makeCheck(QStringLiteral("ready"), CheckRole::Readiness, celeryTiming, ready),
    };
}

// Flower's start page, as compose's `maykin-common health-check --endpoint=http://localhost:5555/`.
CheckSpec flowerCheck(const OpenKlantProfile::FlowerSettings& flower)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(flower.host);
    url.setPort(flower.port);
    url.setPath(QStringLiteral("/"));
    HttpTarget http;
    http.url = url;
    http.user = flower.user;
    http.password = flower.password;
    return makeCheck(QStringLiteral("http"), CheckRole::Liveness, flowerTiming, http);
}

ServiceSpec makeService(const QString& name, const QString& kind, const QStringList& dependsOn, QList<CheckSpec> checks,
                        const ExecContext& exec = {})
{
    ServiceSpec service;
    service.exec = exec;
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
    return {QStringLiteral("web"), QStringLiteral("nginx"),  QStringLiteral("redis"),
            QStringLiteral("db"),  QStringLiteral("celery"), QStringLiteral("celery-flower")};
}

ExecContext OpenKlantProfile::defaultCeleryExec()
{
    ExecContext context;
    context.kind = ExecContext::Kind::Compose;
    context.service = QStringLiteral("celery");
    return context;
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
        // The worker needs the broker, and the database for its tasks; Flower only the broker.
        makeService(QStringLiteral("celery"), QStringLiteral("celery-worker"),
                    {QStringLiteral("redis"), QStringLiteral("db")}, celeryChecks(settings), settings.celery.exec),
        makeService(QStringLiteral("celery-flower"), QStringLiteral("celery-flower"), {QStringLiteral("redis")},
                    {flowerCheck(settings.flower)}),
    };

    // django-health-check's component names (health_check.db, .cache, .contrib.migrations,
    // .contrib.redis) and the Celery broker, mapped to the profile's services.
    const QString db = QStringLiteral("db");
    const QString redis = QStringLiteral("redis");
    services[0].components
        = {{QStringLiteral("DatabaseBackend"), db},       {QStringLiteral("DatabaseHeartBeatCheck"), db},
           {QStringLiteral("MigrationsHealthCheck"), db}, {QStringLiteral("Cache backend"), redis},
           {QStringLiteral("CacheBackend"), redis},       {QStringLiteral("RedisHealthCheck"), redis}};
    services[4].components = {{QStringLiteral("broker"), redis}};
    services[5].components = {{QStringLiteral("broker"), redis}};

    services.removeIf([&settings](const ServiceSpec& s) { return settings.exclude.contains(s.name); });
    for (ServiceSpec& service : services) {
        service.dependsOn.removeIf([&settings](const QString& d) { return settings.exclude.contains(d); });
        service.components.removeIf([&settings](const auto& c) { return settings.exclude.contains(c.value()); });
    }
    return services;
}

} // namespace okh
