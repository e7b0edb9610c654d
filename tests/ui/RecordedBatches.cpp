#include "RecordedBatches.h"

using namespace std::chrono_literals;

namespace okh::test {

namespace {

CheckSpec check(const QString& name, CheckRole role, ProbeTarget target)
{
    CheckSpec c;
    c.name = name;
    c.role = role;
    c.interval = 10s;
    c.timeout = 3s;
    c.target = std::move(target);
    return c;
}

HttpTarget http(const QString& url)
{
    HttpTarget t;
    t.url = QUrl(url);
    return t;
}

ServiceAssessment assessment(const QString& service, const QString& kind, ProbeStatus status,
                             ServiceAssessment::Conclusion conclusion, const QString& text)
{
    ServiceAssessment a;
    a.service = service;
    a.kind = kind;
    a.status = status;
    a.conclusion = conclusion;
    a.conclusionText = text;
    return a;
}

CheckSnapshot snapshot(const QString& service, const QString& name, CheckRole role, const QString& type,
                       ProbeStatus verdict, ProbeStatus latest, const QString& stateText, const QString& summary,
                       qint64 nowMs)
{
    CheckSnapshot c;
    c.key = {QStringLiteral("acceptance"), service, name};
    c.role = role;
    c.type = type;
    c.state.verdict = verdict;
    c.state.last.status = latest;
    c.state.last.summary = summary;
    c.state.last.latencyMs = latest == ProbeStatus::Healthy ? 4.2 : 1.1;
    c.state.lastResultMs = nowMs - 3000;
    c.state.verdictSinceMs = nowMs - (verdict == ProbeStatus::Healthy ? 3'600'000 : 95'000);
    c.state.runs = 30;
    c.stateText = stateText;
    for (int i = 0; i < 30; ++i) {
        const bool failing = latest != ProbeStatus::Healthy && i >= 27;
        c.recent.append(
            {nowMs - (30 - i) * 10'000, failing ? latest : ProbeStatus::Healthy, float(3.0 + (i % 7) * 0.8 + (i % 3))});
    }
    return c;
}

} // namespace

DeploymentSpec recordedDeployment()
{
    DeploymentSpec d;
    d.name = QStringLiteral("acceptance");
    RedisTarget redis;
    redis.port = 6379;
    redis.password = QStringLiteral("s3cret-redis"); // never shown
    PostgresTarget pg;
    pg.port = 5432;
    CeleryPingTarget ping;
    d.services = {
        ServiceSpec{QStringLiteral("nginx"),
                    QStringLiteral("nginx"),
                    {QStringLiteral("web")},
                    {check(QStringLiteral("readyz"), CheckRole::Readiness,
                           http(QStringLiteral("http://127.0.0.1:8080/_healthz/readyz/")))},
                    {},
                    {}},
        ServiceSpec{QStringLiteral("web"),
                    QStringLiteral("web"),
                    {QStringLiteral("db"), QStringLiteral("redis")},
                    {check(QStringLiteral("livez"), CheckRole::Liveness,
                           http(QStringLiteral("http://127.0.0.1:8000/_healthz/livez/"))),
                     check(QStringLiteral("readyz"), CheckRole::Readiness,
                           http(QStringLiteral("http://127.0.0.1:8000/_healthz/readyz/"))),
                     check(QStringLiteral("healthz"), CheckRole::Startup,
                           http(QStringLiteral("http://127.0.0.1:8000/_healthz/")))},
                    {},
                    {}},
        ServiceSpec{QStringLiteral("redis"),
                    QStringLiteral("redis"),
                    {},
                    {check(QStringLiteral("ping"), CheckRole::Readiness, redis)},
                    {},
                    {}},
        ServiceSpec{QStringLiteral("db"),
                    QStringLiteral("db"),
                    {},
                    {check(QStringLiteral("pg_isready"), CheckRole::Readiness, pg)},
                    {},
                    {}},
        ServiceSpec{QStringLiteral("celery"),
                    QStringLiteral("celery"),
                    {QStringLiteral("redis"), QStringLiteral("db")},
                    {check(QStringLiteral("ping"), CheckRole::Liveness, ping)},
                    {},
                    {}},
    };
    return d;
}

MonitorBatch healthyBatch(qint64 nowMs)
{
    using C = ServiceAssessment::Conclusion;
    const auto ok = ProbeStatus::Healthy;
    MonitorBatch b;
    const QString healthy = QStringLiteral("healthy");
    b.checks = {
        snapshot(QStringLiteral("nginx"), QStringLiteral("readyz"), CheckRole::Readiness, QStringLiteral("http"), ok,
                 ok, healthy, QStringLiteral("HTTP 200 OK"), nowMs),
        snapshot(QStringLiteral("web"), QStringLiteral("livez"), CheckRole::Liveness, QStringLiteral("http"), ok, ok,
                 healthy, QStringLiteral("HTTP 200 OK"), nowMs),
        snapshot(QStringLiteral("web"), QStringLiteral("readyz"), CheckRole::Readiness, QStringLiteral("http"), ok, ok,
                 healthy, QStringLiteral("HTTP 200 OK"), nowMs),
        snapshot(QStringLiteral("web"), QStringLiteral("healthz"), CheckRole::Startup, QStringLiteral("http"), ok, ok,
                 QStringLiteral("passed; not run again"), QStringLiteral("HTTP 200 OK"), nowMs),
        snapshot(QStringLiteral("redis"), QStringLiteral("ping"), CheckRole::Readiness, QStringLiteral("redis"), ok, ok,
                 healthy, QStringLiteral("PONG"), nowMs),
        snapshot(QStringLiteral("db"), QStringLiteral("pg_isready"), CheckRole::Readiness, QStringLiteral("postgres"),
                 ok, ok, healthy, QStringLiteral("accepting connections"), nowMs),
        snapshot(QStringLiteral("celery"), QStringLiteral("ping"), CheckRole::Liveness, QStringLiteral("celery-ping"),
                 ok, ok, healthy, QStringLiteral("celery@worker answered pong"), nowMs),
    };
    DeploymentSnapshot d;
    d.name = QStringLiteral("acceptance");
    for (const QString& s : {QStringLiteral("nginx"), QStringLiteral("web"), QStringLiteral("redis"),
                             QStringLiteral("db"), QStringLiteral("celery")})
        d.services.append(assessment(s, s, ok, C::Serving, QStringLiteral("serving")));
    b.deployments = {d};
    b.results = int(b.checks.size());
    return b;
}

MonitorBatch redisDownBatch(qint64 nowMs)
{
    using C = ServiceAssessment::Conclusion;
    const auto ok = ProbeStatus::Healthy;
    const auto bad = ProbeStatus::Unhealthy;
    MonitorBatch b;
    b.checks = {
        snapshot(QStringLiteral("web"), QStringLiteral("readyz"), CheckRole::Readiness, QStringLiteral("http"), bad,
                 bad, QStringLiteral("unhealthy"), QStringLiteral("HTTP 500 Internal Server Error"), nowMs),
        snapshot(QStringLiteral("redis"), QStringLiteral("ping"), CheckRole::Readiness, QStringLiteral("redis"), bad,
                 bad, QStringLiteral("unhealthy"), QStringLiteral("connection refused by Redis at 127.0.0.1:6379"),
                 nowMs),
        snapshot(QStringLiteral("celery"), QStringLiteral("ping"), CheckRole::Liveness, QStringLiteral("celery-ping"),
                 ok, bad, QStringLiteral("failing 1/3"), QStringLiteral("cannot reach the broker"), nowMs),
    };
    // What django-health-check and redis said, as the probes record it.
    ProbeResult& readyz = b.checks[0].state.last;
    readyz.failure = FailureKind::Answered;
    readyz.summary = QStringLiteral("HTTP 500 Internal Server Error: Cache backend: default (unavailable: Redis "
                                    "connection refused) failing");
    readyz.hint = QStringLiteral("The application answers, but a dependency check fails: Cache backend: default "
                                 "(unavailable: Redis connection refused).");
    readyz.details = {
        {QStringLiteral("status"), QStringLiteral("500")},
        {QStringLiteral("component: Cache backend: default"), QStringLiteral("unavailable: Redis connection refused")},
        {QStringLiteral("component: DatabaseBackend"), QStringLiteral("working")},
        {QStringLiteral("component: MigrationsHealthCheck"), QStringLiteral("working")},
        {QStringLiteral("header: Content-Type"), QStringLiteral("application/json")},
        {QStringLiteral("header: X-Frame-Options"), QStringLiteral("DENY")},
        {QStringLiteral("header: Content-Length"), QStringLiteral("128")}};
    b.checks[0].lastProblem = readyz;
    b.checks[0].lastProblemMs = b.checks[0].state.lastResultMs;
    ProbeResult& ping = b.checks[1].state.last;
    ping.failure = FailureKind::Refused;
    ping.hint = QStringLiteral("Nothing listens on 127.0.0.1:6379: is redis-server running?");
    ping.details = {{QStringLiteral("error"), QStringLiteral("Connection refused")}};

    DeploymentSnapshot d;
    d.name = QStringLiteral("acceptance");
    ServiceAssessment nginx
        = assessment(QStringLiteral("nginx"), QStringLiteral("nginx"), ok, C::Serving, QStringLiteral("serving"));
    ServiceAssessment web = assessment(QStringLiteral("web"), QStringLiteral("web"), bad, C::OutOfRotation,
                                       QStringLiteral("out of rotation: readiness check readyz is failing"));
    web.causedBy = {QStringLiteral("redis")};
    web.causeReason = QStringLiteral("readyz: HTTP 500");
    ServiceAssessment redis = assessment(QStringLiteral("redis"), QStringLiteral("redis"), bad, C::OutOfRotation,
                                         QStringLiteral("out of rotation: readiness check ping is failing"));
    redis.rootCause = true;
    redis.causeReason = QStringLiteral("not answering on 127.0.0.1:6379");
    ServiceAssessment db
        = assessment(QStringLiteral("db"), QStringLiteral("db"), ok, C::Serving, QStringLiteral("serving"));
    ServiceAssessment celery
        = assessment(QStringLiteral("celery"), QStringLiteral("celery"), ok, C::Serving, QStringLiteral("serving"));
    celery.causedBy = {QStringLiteral("redis")};
    celery.causeReason = QStringLiteral("ping cannot reach the broker at 127.0.0.1:6379");
    d.services = {redis, web, nginx, db, celery};
    d.rootCauses = {QStringLiteral("redis")};
    b.deployments = {d};
    b.results = int(b.checks.size());
    return b;
}

} // namespace okh::test
