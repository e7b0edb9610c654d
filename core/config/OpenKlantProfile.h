#pragma once

#include "config/DeploymentSpec.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <chrono>
#include <optional>

namespace okh {

// The built-in "openklant" profile: the services and health checks Open Klant's own
// documentation recommends (container health checks page, docker-compose.yml), with
// compose's timings. docs/deployment-file.md has the expansion table and the merge rules
// for a deployment's explicit services.
class OpenKlantProfile
{
public:
    static QString name(); // "openklant"

    // Profile service names, in expansion order: web, nginx, redis, db, celery, celery-flower.
    static QStringList serviceNames();

    // `docker compose exec celery`: where Open Klant's compose file runs the worker.
    static ExecContext defaultCeleryExec();

    struct HttpEndpoint
    {
        QString host;
        quint16 port = 0;
        QString hostHeader; // empty: the URL's host
    };

    // The worker as Open Klant's compose file runs it (bin/celery_worker.sh, settings of
    // maykin-common's worker-health-check; docs/deployment-file.md).
    struct CelerySettings
    {
        std::optional<RedisTarget> broker; // none: the Redis settings, which are Open Klant's broker
        // compose sets CELERY_WORKER_NAME=celery@docker; empty: broadcast ping, any worker answers
        QStringList workers{QStringLiteral("celery@docker")};
        ExecContext exec = defaultCeleryExec();
        QString livenessFile = QStringLiteral("/app/tmp/celery_worker_event_loop.live");
        QString readinessFile = QStringLiteral("/app/tmp/celery_worker.ready");
        // maykin-common's --max-age: the 60 s touch frequency plus 10 s.
        std::chrono::seconds maxAge{70};
    };

    struct FlowerSettings
    {
        QString host = QStringLiteral("celery-flower");
        quint16 port = 5555;
        QString user; // Flower's --basic-auth user:password, when set
        QString password;
    };

    // What a deployment file can override; defaults are compose's service names and ports.
    struct Settings
    {
        // Django answers 400 to hosts outside ALLOWED_HOSTS; Open Klant's documentation
        // asks for localhost to be in it for the health checks, so send that by default.
        HttpEndpoint web{QStringLiteral("web"), 8000, QStringLiteral("localhost")};
        HttpEndpoint nginx{QStringLiteral("nginx"), 8080, QString()};
        RedisTarget redis{QStringLiteral("redis"), 6379, QString(), QString(), 0, {}};
        PostgresTarget db{QStringLiteral("db"), 5432, QStringLiteral("openklant"), QStringLiteral("openklant")};
        CelerySettings celery;
        FlowerSettings flower;
        QStringList exclude; // profile service names to leave out
    };

    // The profile's services for these settings, minus the excluded ones; dependsOn entries
    // naming an excluded service are dropped too.
    static QList<ServiceSpec> expand(const Settings& settings);
};

} // namespace okh
