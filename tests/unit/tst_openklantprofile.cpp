#include "ConfigSamples.h"
#include "config/DeploymentFile.h"
#include "config/OpenKlantProfile.h"

#include <QTest>
#include <variant>

using namespace std::chrono_literals;
using okh::CheckRole;
using okh::DeploymentFile;
using okh::OpenKlantProfile;

namespace {

const okh::ServiceSpec* service(const okh::DeploymentSpec& deployment, const QString& name)
{
    for (const auto& s : deployment.services) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

const okh::CheckSpec* check(const okh::ServiceSpec& service, const QString& name)
{
    for (const auto& c : service.checks) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

QStringList serviceNames(const QList<okh::ServiceSpec>& services)
{
    QStringList names;
    for (const auto& s : services)
        names << s.name;
    return names;
}

QStringList checkNames(const okh::ServiceSpec& service)
{
    QStringList names;
    for (const auto& c : service.checks)
        names << c.name;
    return names;
}

okh::HttpTarget http(const QString& url, const QString& hostHeader)
{
    okh::HttpTarget target;
    target.url = QUrl(url);
    target.hostHeader = hostHeader;
    return target;
}

okh::ExecContext composeService(const QString& name)
{
    okh::ExecContext context;
    context.kind = okh::ExecContext::Kind::Compose;
    context.service = name;
    return context;
}

okh::FileTarget fileTarget(const okh::ExecContext& context, const QString& path,
                           std::optional<std::chrono::seconds> maxAge)
{
    okh::FileTarget target;
    target.context = context;
    target.path = path;
    target.maxAge = maxAge;
    return target;
}

okh::CeleryPingTarget pingTarget(const okh::RedisTarget& broker, const QStringList& workers)
{
    okh::CeleryPingTarget target;
    target.broker = broker;
    target.workers = workers;
    return target;
}

QString errorText(const DeploymentFile::Result& result)
{
    if (const auto* error = std::get_if<okh::ConfigError>(&result))
        return error->toString();
    return QStringLiteral("(loaded without error)");
}

} // namespace

class TestOpenKlantProfile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serviceOrder()
    {
        const auto services = OpenKlantProfile::expand({});
        QCOMPARE(serviceNames(services), OpenKlantProfile::serviceNames());
        QCOMPARE(serviceNames(services),
                 (QStringList{QStringLiteral("web"), QStringLiteral("nginx"), QStringLiteral("redis"),
                              QStringLiteral("db"), QStringLiteral("celery"), QStringLiteral("celery-flower")}));
        QCOMPARE(OpenKlantProfile::name(), QStringLiteral("openklant"));
    }

    // The expansion table of docs/deployment-file.md, row by row: compose's service names
    // and ports, the seed's endpoints, compose's timings.
    void defaults_data()
    {
        QTest::addColumn<QString>("serviceName");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QStringList>("dependsOn");
        QTest::addColumn<QString>("checkName");
        QTest::addColumn<CheckRole>("role");
        QTest::addColumn<okh::ProbeTarget>("target");
        QTest::addColumn<qint64>("intervalMs");
        QTest::addColumn<qint64>("timeoutMs");
        QTest::addColumn<int>("failureThreshold");
        QTest::addColumn<qint64>("startPeriodMs");

        const QString web = QStringLiteral("web");
        const QString nginx = QStringLiteral("nginx");
        const QStringList webDeps{QStringLiteral("db"), QStringLiteral("redis")};
        const QStringList nginxDeps{web};
        const QString localhost = QStringLiteral("localhost");
        QTest::newRow("web healthz") << web << web << webDeps << QStringLiteral("healthz") << CheckRole::Startup
                                     << okh::ProbeTarget(http(QStringLiteral("http://web:8000/_healthz/"), localhost))
                                     << qint64(30'000) << qint64(5'000) << 5 << qint64(30'000);
        QTest::newRow("web livez") << web << web << webDeps << QStringLiteral("livez") << CheckRole::Liveness
                                   << okh::ProbeTarget(
                                          http(QStringLiteral("http://web:8000/_healthz/livez/"), localhost))
                                   << qint64(30'000) << qint64(5'000) << 5 << qint64(30'000);
        QTest::newRow("web readyz") << web << web << webDeps << QStringLiteral("readyz") << CheckRole::Readiness
                                    << okh::ProbeTarget(
                                           http(QStringLiteral("http://web:8000/_healthz/readyz/"), localhost))
                                    << qint64(30'000) << qint64(5'000) << 5 << qint64(30'000);
        QTest::newRow("nginx healthz") << nginx << nginx << nginxDeps << QStringLiteral("healthz") << CheckRole::Startup
                                       << okh::ProbeTarget(http(QStringLiteral("http://nginx:8080/_healthz/"), {}))
                                       << qint64(30'000) << qint64(5'000) << 5 << qint64(30'000);
        QTest::newRow("nginx livez") << nginx << nginx << nginxDeps << QStringLiteral("livez") << CheckRole::Liveness
                                     << okh::ProbeTarget(http(QStringLiteral("http://nginx:8080/_healthz/livez/"), {}))
                                     << qint64(30'000) << qint64(5'000) << 5 << qint64(30'000);
        QTest::newRow("nginx readyz") << nginx << nginx << nginxDeps << QStringLiteral("readyz") << CheckRole::Readiness
                                      << okh::ProbeTarget(
                                             http(QStringLiteral("http://nginx:8080/_healthz/readyz/"), {}))
                                      << qint64(30'000) << qint64(5'000) << 5 << qint64(30'000);
        QTest::newRow("redis ping") << QStringLiteral("redis") << QStringLiteral("redis") << QStringList{}
                                    << QStringLiteral("ping") << CheckRole::Readiness
                                    << okh::ProbeTarget(okh::RedisTarget{QStringLiteral("redis"), 6379, {}, {}, 0, {}})
                                    << qint64(30'000) << qint64(1'000) << 3 << qint64(0);
        QTest::newRow("db pg_isready") << QStringLiteral("db") << QStringLiteral("postgresql") << QStringList{}
                                       << QStringLiteral("pg_isready") << CheckRole::Readiness
                                       << okh::ProbeTarget(okh::PostgresTarget{QStringLiteral("db"), 5432,
                                                                               QStringLiteral("openklant"),
                                                                               QStringLiteral("openklant")})
                                       << qint64(10'000) << qint64(5'000) << 5 << qint64(0);

        // maykin-common worker-health-check's three parts, with compose's worker timings.
        const QString celery = QStringLiteral("celery");
        const QStringList celeryDeps{QStringLiteral("redis"), QStringLiteral("db")};
        const okh::ExecContext inCompose = composeService(celery);
        QTest::newRow("celery event-loop")
            << celery << QStringLiteral("celery-worker") << celeryDeps << QStringLiteral("event-loop")
            << CheckRole::Liveness
            << okh::ProbeTarget(fileTarget(inCompose, QStringLiteral("/app/tmp/celery_worker_event_loop.live"), 70s))
            << qint64(60'000) << qint64(5'000) << 3 << qint64(10'000);
        QTest::newRow("celery ping") << celery << QStringLiteral("celery-worker") << celeryDeps
                                     << QStringLiteral("ping") << CheckRole::Liveness
                                     << okh::ProbeTarget(
                                            pingTarget(okh::RedisTarget{QStringLiteral("redis"), 6379, {}, {}, 0, {}},
                                                       {QStringLiteral("celery@docker")}))
                                     << qint64(60'000) << qint64(5'000) << 3 << qint64(10'000);
        QTest::newRow("celery ready") << celery << QStringLiteral("celery-worker") << celeryDeps
                                      << QStringLiteral("ready") << CheckRole::Readiness
                                      << okh::ProbeTarget(fileTarget(
                                             inCompose, QStringLiteral("/app/tmp/celery_worker.ready"), std::nullopt))
                                      << qint64(60'000) << qint64(5'000) << 3 << qint64(10'000);
        QTest::newRow("celery-flower http")
            << QStringLiteral("celery-flower") << QStringLiteral("celery-flower")
            << QStringList{QStringLiteral("redis")} << QStringLiteral("http") << CheckRole::Liveness
            << okh::ProbeTarget(http(QStringLiteral("http://celery-flower:5555/"), {})) << qint64(30'000)
            << qint64(5'000) << 3 << qint64(0);
    }
    void defaults()
    {
        QFETCH(QString, serviceName);
        QFETCH(QString, kind);
        QFETCH(QStringList, dependsOn);
        QFETCH(QString, checkName);
        QFETCH(CheckRole, role);
        QFETCH(okh::ProbeTarget, target);
        QFETCH(qint64, intervalMs);
        QFETCH(qint64, timeoutMs);
        QFETCH(int, failureThreshold);
        QFETCH(qint64, startPeriodMs);

        const auto services = OpenKlantProfile::expand({});
        okh::DeploymentSpec deployment;
        deployment.services = services;
        const auto* s = service(deployment, serviceName);
        QVERIFY(s);
        QCOMPARE(s->kind, kind);
        QCOMPARE(s->dependsOn, dependsOn);
        const auto* c = check(*s, checkName);
        QVERIFY(c);
        QCOMPARE(c->role, role);
        QVERIFY(c->target == target);
        QCOMPARE(c->interval.count(), intervalMs);
        QCOMPARE(c->timeout.count(), timeoutMs);
        QCOMPARE(c->failureThreshold, failureThreshold);
        QCOMPARE(c->successThreshold, 1);
        QCOMPARE(c->startPeriod.count(), startPeriodMs);
        QCOMPARE(c->initialDelay.count(), qint64(0));
    }

    void checksPerService()
    {
        const auto services = OpenKlantProfile::expand({});
        const QStringList endpoints{QStringLiteral("healthz"), QStringLiteral("livez"), QStringLiteral("readyz")};
        QCOMPARE(checkNames(services.at(0)), endpoints);
        QCOMPARE(checkNames(services.at(1)), endpoints);
        QCOMPARE(checkNames(services.at(2)), QStringList{QStringLiteral("ping")});
        QCOMPARE(checkNames(services.at(3)), QStringList{QStringLiteral("pg_isready")});
        QCOMPARE(checkNames(services.at(4)),
                 (QStringList{QStringLiteral("event-loop"), QStringLiteral("ping"), QStringLiteral("ready")}));
        QCOMPARE(checkNames(services.at(5)), QStringList{QStringLiteral("http")});
    }

    // The worker's files live in its container: docker compose exec celery, as Open Klant's
    // compose file names the service. Other services need no context.
    void celeryExecContext()
    {
        const auto services = OpenKlantProfile::expand({});
        QVERIFY(OpenKlantProfile::defaultCeleryExec() == composeService(QStringLiteral("celery")));
        QVERIFY(services.at(4).exec == composeService(QStringLiteral("celery")));
        for (qsizetype i : {0, 1, 2, 3, 5})
            QCOMPARE(services.at(i).exec.kind, okh::ExecContext::Kind::Local);
        // The profile's ping fits its timeout: 3 s ping + 1 s broadcast after a silent worker.
        const auto& pingCheck = services.at(4).checks.at(1);
        QVERIFY(std::get<okh::CeleryPingTarget>(pingCheck.target).replyTimeout + 1s <= pingCheck.timeout);
    }

    // Settings change only the celery service's targets: the broker follows the Redis settings.
    void celerySettings()
    {
        OpenKlantProfile::Settings settings;
        settings.redis
            = okh::RedisTarget{QStringLiteral("cache"), 6380, QStringLiteral("u"), QStringLiteral("pw"), 4, {}};
        settings.celery.workers = {};
        settings.celery.maxAge = 90s;
        settings.flower.user = QStringLiteral("admin");
        settings.flower.password = QStringLiteral("secret");
        const auto services = OpenKlantProfile::expand(settings);
        QVERIFY(std::get<okh::CeleryPingTarget>(services.at(4).checks.at(1).target)
                == pingTarget(settings.redis, QStringList{}));
        QCOMPARE(std::get<okh::FileTarget>(services.at(4).checks.at(0).target).maxAge, 90s);
        const auto& flower = std::get<okh::HttpTarget>(services.at(5).checks.at(0).target);
        QCOMPARE(flower.user, QStringLiteral("admin"));
        QCOMPARE(flower.password, QStringLiteral("secret"));

        settings.celery.broker = okh::RedisTarget{QStringLiteral("broker"), 6379, {}, {}, 1, {}};
        QCOMPARE(std::get<okh::CeleryPingTarget>(OpenKlantProfile::expand(settings).at(4).checks.at(1).target).broker,
                 *settings.celery.broker);
    }

    void exclude_data()
    {
        QTest::addColumn<QStringList>("exclude");
        QTest::addColumn<QStringList>("services");
        QTest::addColumn<QStringList>("webDependsOn"); // when web remains
        QTest::addColumn<QStringList>("nginxDependsOn");
        QTest::addColumn<QStringList>("celeryDependsOn");
        const QString web = QStringLiteral("web");
        const QString nginx = QStringLiteral("nginx");
        const QString redis = QStringLiteral("redis");
        const QString db = QStringLiteral("db");
        const QString celery = QStringLiteral("celery");
        const QString flower = QStringLiteral("celery-flower");
        const QStringList bothDeps{db, redis};
        const QStringList webDep{web};
        const QStringList celeryDeps{redis, db};
        QTest::newRow("nothing") << QStringList{} << QStringList{web, nginx, redis, db, celery, flower} << bothDeps
                                 << webDep << celeryDeps;
        QTest::newRow("nginx") << QStringList{nginx} << QStringList{web, redis, db, celery, flower} << bothDeps
                               << QStringList{} << celeryDeps;
        // A managed database outside the monitor's reach: web and the worker no longer depend on it.
        QTest::newRow("db") << QStringList{db} << QStringList{web, nginx, redis, celery, flower} << QStringList{redis}
                            << webDep << QStringList{redis};
        QTest::newRow("web") << QStringList{web} << QStringList{nginx, redis, db, celery, flower} << QStringList{}
                             << QStringList{} << celeryDeps;
        // A deployment without Flower, or without Celery at all.
        QTest::newRow("celery-flower") << QStringList{flower} << QStringList{web, nginx, redis, db, celery} << bothDeps
                                       << webDep << celeryDeps;
        QTest::newRow("celery and flower")
            << QStringList{celery, flower} << QStringList{web, nginx, redis, db} << bothDeps << webDep << QStringList{};
        QTest::newRow("redis") << QStringList{redis} << QStringList{web, nginx, db, celery, flower} << QStringList{db}
                               << webDep << QStringList{db};
        QTest::newRow("all but redis") << QStringList{web, nginx, db, celery, flower} << QStringList{redis}
                                       << QStringList{} << QStringList{} << QStringList{};
    }
    void exclude()
    {
        QFETCH(QStringList, exclude);
        QFETCH(QStringList, services);
        QFETCH(QStringList, webDependsOn);
        QFETCH(QStringList, nginxDependsOn);
        QFETCH(QStringList, celeryDependsOn);
        OpenKlantProfile::Settings settings;
        settings.exclude = exclude;
        okh::DeploymentSpec deployment;
        deployment.services = OpenKlantProfile::expand(settings);
        QCOMPARE(serviceNames(deployment.services), services);
        if (const auto* web = service(deployment, QStringLiteral("web")))
            QCOMPARE(web->dependsOn, webDependsOn);
        if (const auto* nginx = service(deployment, QStringLiteral("nginx")))
            QCOMPARE(nginx->dependsOn, nginxDependsOn);
        if (const auto* celery = service(deployment, QStringLiteral("celery")))
            QCOMPARE(celery->dependsOn, celeryDependsOn);
        if (const auto* flower = service(deployment, QStringLiteral("celery-flower")))
            QCOMPARE(flower->dependsOn,
                     exclude.contains(QStringLiteral("redis")) ? QStringList{} : QStringList{QStringLiteral("redis")});
    }

    void overridesThroughTheFile()
    {
        const auto result = DeploymentFile::parse(
            okh::test::configFile(QStringLiteral("samples/profile-overrides.json")), QStringLiteral("o.json"), {});
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(errorText(result)));

        const auto* overrides = file->find(QStringLiteral("overrides"));
        QVERIFY(overrides);
        const auto* web = service(*overrides, QStringLiteral("web"));
        for (const auto& [name, path] : {std::pair{QStringLiteral("healthz"), QStringLiteral("/_healthz/")},
                                         std::pair{QStringLiteral("livez"), QStringLiteral("/_healthz/livez/")},
                                         std::pair{QStringLiteral("readyz"), QStringLiteral("/_healthz/readyz/")}}) {
            const auto& target = std::get<okh::HttpTarget>(check(*web, name)->target);
            QCOMPARE(target.url, QUrl(QStringLiteral("http://10.1.0.2:8001") + path));
            QCOMPARE(target.hostHeader, QStringLiteral("openklant.example.nl"));
        }
        const auto* nginx = service(*overrides, QStringLiteral("nginx"));
        const auto& nginxLivez = std::get<okh::HttpTarget>(check(*nginx, QStringLiteral("livez"))->target);
        QCOMPARE(nginxLivez.url, QUrl(QStringLiteral("http://[::1]:8443/_healthz/livez/")));
        QCOMPARE(nginxLivez.hostHeader, QStringLiteral("openklant.example.nl"));
        QCOMPARE(std::get<okh::RedisTarget>(service(*overrides, QStringLiteral("redis"))->checks.at(0).target),
                 (okh::RedisTarget{QStringLiteral("cache"), 6380, {}, QStringLiteral("s3cret"), 2, {}}));
        QCOMPARE(std::get<okh::PostgresTarget>(service(*overrides, QStringLiteral("db"))->checks.at(0).target),
                 (okh::PostgresTarget{QStringLiteral("pg.internal"), 5433, QStringLiteral("ok"),
                                      QStringLiteral("ok_prod")}));
        // Overrides change targets only, never the timings.
        QCOMPARE(check(*web, QStringLiteral("livez"))->interval, 30s);

        const auto* fields = file->find(QStringLiteral("redis-fields"));
        QVERIFY(fields);
        // Fields refine the profile's default redis target: the port stays 6379.
        QCOMPARE(std::get<okh::RedisTarget>(service(*fields, QStringLiteral("redis"))->checks.at(0).target),
                 (okh::RedisTarget{QStringLiteral("cache"), 6379, {}, QStringLiteral("pw"), 1, {}}));
        // An empty hostHeader means "the URL's host".
        QVERIFY(std::get<okh::HttpTarget>(service(*fields, QStringLiteral("web"))->checks.at(0).target)
                    .hostHeader.isEmpty());

        // "profile": "openklant" is the object form without options, which is the default expansion.
        const auto* shorthand = file->find(QStringLiteral("shorthand"));
        const auto* objectForm = file->find(QStringLiteral("object-form"));
        QVERIFY(shorthand && objectForm);
        const auto defaults = OpenKlantProfile::expand({});
        for (const auto* deployment : {shorthand, objectForm}) {
            QCOMPARE(serviceNames(deployment->services), serviceNames(defaults));
            for (qsizetype i = 0; i < defaults.size(); ++i) {
                QCOMPARE(deployment->services.at(i).dependsOn, defaults.at(i).dependsOn);
                QCOMPARE(checkNames(deployment->services.at(i)), checkNames(defaults.at(i)));
                for (qsizetype j = 0; j < defaults.at(i).checks.size(); ++j)
                    QVERIFY(deployment->services.at(i).checks.at(j).target == defaults.at(i).checks.at(j).target);
            }
        }

        QCOMPARE(serviceNames(file->find(QStringLiteral("no-nginx"))->services),
                 (QStringList{QStringLiteral("web"), QStringLiteral("redis"), QStringLiteral("db"),
                              QStringLiteral("celery"), QStringLiteral("celery-flower")}));
        QCOMPARE(service(*file->find(QStringLiteral("no-db")), QStringLiteral("web"))->dependsOn,
                 QStringList{QStringLiteral("redis")});
        QVERIFY(service(*file->find(QStringLiteral("no-web")), QStringLiteral("nginx"))->dependsOn.isEmpty());
        QCOMPARE(serviceNames(file->find(QStringLiteral("redis-only"))->services),
                 QStringList{QStringLiteral("redis")});
        QCOMPARE(serviceNames(file->find(QStringLiteral("no-flower"))->services),
                 (QStringList{QStringLiteral("web"), QStringLiteral("nginx"), QStringLiteral("redis"),
                              QStringLiteral("db"), QStringLiteral("celery")}));
        QCOMPARE(serviceNames(file->find(QStringLiteral("no-celery"))->services),
                 (QStringList{QStringLiteral("web"), QStringLiteral("nginx"), QStringLiteral("redis"),
                              QStringLiteral("db")}));

        // The worker's broker follows the Redis overrides, URL or fields.
        const auto brokerOf = [&file](const QString& deployment) {
            const auto* celery = service(*file->find(deployment), QStringLiteral("celery"));
            return std::get<okh::CeleryPingTarget>(check(*celery, QStringLiteral("ping"))->target);
        };
        QCOMPARE(brokerOf(QStringLiteral("overrides")).broker,
                 (okh::RedisTarget{QStringLiteral("cache"), 6380, {}, QStringLiteral("s3cret"), 2, {}}));
        QCOMPARE(brokerOf(QStringLiteral("redis-fields")).broker,
                 (okh::RedisTarget{QStringLiteral("cache"), 6379, {}, QStringLiteral("pw"), 1, {}}));
        QCOMPARE(brokerOf(QStringLiteral("shorthand")).broker,
                 (okh::RedisTarget{QStringLiteral("redis"), 6379, {}, {}, 0, {}}));

        // Every celery setting.
        const auto* celeryOverrides = file->find(QStringLiteral("celery-overrides"));
        QVERIFY(celeryOverrides);
        const auto* celery = service(*celeryOverrides, QStringLiteral("celery"));
        okh::ExecContext kubectl;
        kubectl.kind = okh::ExecContext::Kind::Kubectl;
        kubectl.pod = QStringLiteral("deploy/openklant-worker");
        kubectl.kubeNamespace = QStringLiteral("openklant");
        QVERIFY(celery->exec == kubectl);
        QVERIFY(check(*celery, QStringLiteral("event-loop"))->target
                == okh::ProbeTarget(fileTarget(kubectl, QStringLiteral("/tmp/celery_worker_event_loop_live"), 120s)));
        QVERIFY(check(*celery, QStringLiteral("ready"))->target
                == okh::ProbeTarget(fileTarget(kubectl, QStringLiteral("/tmp/celery_worker_ready"), std::nullopt)));
        QVERIFY(check(*celery, QStringLiteral("ping"))->target
                == okh::ProbeTarget(
                    pingTarget(okh::RedisTarget{QStringLiteral("cache"), 6380, {}, QStringLiteral("s3cret"), 2, {}},
                               {QStringLiteral("celery@openklant-worker-7d9f")})));
        // Settings never change timings.
        QCOMPARE(check(*celery, QStringLiteral("ping"))->interval, 60s);
        const auto* flower = service(*celeryOverrides, QStringLiteral("celery-flower"));
        const auto& flowerTarget = std::get<okh::HttpTarget>(flower->checks.at(0).target);
        QCOMPARE(flowerTarget.url, QUrl(QStringLiteral("http://127.0.0.1:5556/")));
        QCOMPARE(flowerTarget.user, QStringLiteral("admin"));
        QCOMPARE(flowerTarget.password, QStringLiteral("flower-pw"));

        // An explicit broker wins over the Redis settings; "workers" names several, [] none.
        QVERIFY(brokerOf(QStringLiteral("celery-broker"))
                == pingTarget(okh::RedisTarget{QStringLiteral("broker"), 6379, {}, {}, 5, {}},
                              {QStringLiteral("celery@a"), QStringLiteral("celery@b")}));
        QVERIFY(brokerOf(QStringLiteral("celery-broadcast")).workers.isEmpty());
    }

    void mergeWithExplicitServices()
    {
        const auto result = DeploymentFile::parse(okh::test::configFile(QStringLiteral("samples/profile-merge.json")),
                                                  QStringLiteral("m.json"), {});
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(errorText(result)));
        const auto& merged = file->deployments.at(0);
        // Profile services in profile order (nginx excluded), then new services in file order;
        // an explicit service named like an excluded one is simply a new service.
        QCOMPARE(
            serviceNames(merged.services),
            (QStringList{QStringLiteral("web"), QStringLiteral("redis"), QStringLiteral("db"), QStringLiteral("celery"),
                         QStringLiteral("celery-flower"), QStringLiteral("flower"), QStringLiteral("nginx")}));

        const auto* web = service(merged, QStringLiteral("web"));
        QCOMPARE(web->kind, QStringLiteral("web")); // kept
        QCOMPARE(web->dependsOn, QStringList{QStringLiteral("db")}); // replaced
        // Same-named checks are refined in place; new ones are appended.
        QCOMPARE(checkNames(*web),
                 (QStringList{QStringLiteral("healthz"), QStringLiteral("livez"), QStringLiteral("readyz"),
                              QStringLiteral("admin")}));

        const auto* livez = check(*web, QStringLiteral("livez"));
        QCOMPARE(livez->timeout, 10s);
        QCOMPARE(livez->failureThreshold, 2);
        QCOMPARE(livez->interval, 30s);
        QCOMPARE(livez->startPeriod, 30s);
        QCOMPARE(livez->role, CheckRole::Liveness);
        QVERIFY(
            livez->target
            == okh::ProbeTarget(http(QStringLiteral("http://web:8000/_healthz/livez/"), QStringLiteral("localhost"))));

        // A new type replaces the target; role and timings stay.
        const auto* readyz = check(*web, QStringLiteral("readyz"));
        QCOMPARE(readyz->role, CheckRole::Readiness);
        QCOMPARE(readyz->timeout, 5s);
        QCOMPARE(std::get<okh::TcpTarget>(readyz->target), (okh::TcpTarget{QStringLiteral("web"), 8000}));

        // Same type: target fields are refined one by one.
        const auto* healthz = check(*web, QStringLiteral("healthz"));
        QCOMPARE(healthz->role, CheckRole::Startup);
        const auto& healthzTarget = std::get<okh::HttpTarget>(healthz->target);
        QCOMPARE(healthzTarget.url, QUrl(QStringLiteral("http://web:8000/_healthz/?format=json")));
        QCOMPARE(healthzTarget.hostHeader, QStringLiteral("localhost"));
        QCOMPARE(healthzTarget.headers, (QList<QPair<QByteArray, QByteArray>>{{"Accept", "application/json"}}));

        const auto* admin = check(*web, QStringLiteral("admin"));
        QCOMPARE(admin->role, CheckRole::Info);
        QCOMPARE(std::get<okh::HttpTarget>(admin->target).expect, okh::HttpTarget::Expectation::Denied);

        const auto* redis = service(merged, QStringLiteral("redis"));
        QCOMPARE(redis->kind, QStringLiteral("other"));
        QCOMPARE(redis->checks.size(), 1);
        QCOMPARE(std::get<okh::RedisTarget>(redis->checks.at(0).target),
                 (okh::RedisTarget{QStringLiteral("redis"), 6379, {}, QStringLiteral("pw"), 0, {}}));
        QCOMPARE(redis->checks.at(0).timeout, 1s);

        const auto* flower = service(merged, QStringLiteral("flower"));
        QCOMPARE(flower->kind, QStringLiteral("celery-flower"));
        QCOMPARE(flower->dependsOn, QStringList{QStringLiteral("redis")});

        const auto* nginx = service(merged, QStringLiteral("nginx"));
        QCOMPARE(nginx->dependsOn, QStringList{});
        QCOMPARE(checkNames(*nginx), QStringList{QStringLiteral("livez")});
        QCOMPARE(std::get<okh::HttpTarget>(nginx->checks.at(0).target).url,
                 QUrl(QStringLiteral("http://edge/_healthz/livez/")));

        // A service-level "exec" moves the profile's file checks; a check may name its own;
        // a new exec check runs in the service's context.
        const auto* celery = service(merged, QStringLiteral("celery"));
        okh::ExecContext docker;
        docker.kind = okh::ExecContext::Kind::Docker;
        docker.container = QStringLiteral("openklant-celery-1");
        QVERIFY(celery->exec == docker);
        QCOMPARE(celery->kind, QStringLiteral("celery-worker"));
        QCOMPARE(checkNames(*celery),
                 (QStringList{QStringLiteral("event-loop"), QStringLiteral("ping"), QStringLiteral("ready"),
                              QStringLiteral("maykin")}));
        QVERIFY(check(*celery, QStringLiteral("event-loop"))->target
                == okh::ProbeTarget(fileTarget(docker, QStringLiteral("/app/tmp/celery_worker_event_loop.live"), 70s)));
        QVERIFY(check(*celery, QStringLiteral("ready"))->target
                == okh::ProbeTarget(fileTarget(composeService(QStringLiteral("worker")),
                                               QStringLiteral("/app/tmp/celery_worker.ready"), std::nullopt)));
        const auto* maykin = check(*celery, QStringLiteral("maykin"));
        QCOMPARE(maykin->role, CheckRole::Info);
        QVERIFY(std::get<okh::ExecTarget>(maykin->target)
                == (okh::ExecTarget{docker,
                                    {QStringLiteral("maykin-common"), QStringLiteral("worker-health-check"),
                                     QStringLiteral("--skip-ping")},
                                    {}}));
        // Refined ping: broadcast, longer timeout, the profile's broker and role.
        const auto* pingCheck = check(*celery, QStringLiteral("ping"));
        QCOMPARE(pingCheck->timeout, 6s);
        QCOMPARE(pingCheck->role, CheckRole::Liveness);
        QVERIFY(pingCheck->target
                == okh::ProbeTarget(pingTarget(okh::RedisTarget{QStringLiteral("redis"), 6379, {}, {}, 0, {}}, {})));

        const auto* celeryFlower = service(merged, QStringLiteral("celery-flower"));
        const auto& flowerHttp = std::get<okh::HttpTarget>(celeryFlower->checks.at(0).target);
        QCOMPARE(flowerHttp.url, QUrl(QStringLiteral("http://celery-flower:5555/")));
        QCOMPARE(flowerHttp.user, QStringLiteral("admin"));
        QCOMPARE(flowerHttp.password, QStringLiteral("pw"));
    }

    // docs/deployment-file.md's recipe for an nginx that denies everyone but itself: the
    // readiness check runs curl inside the container, keeping the profile's role and timings.
    void nginxCheckInsideTheContainer()
    {
        const auto result = DeploymentFile::parse(okh::test::configFile(QStringLiteral("samples/nginx-inside.json")),
                                                  QStringLiteral("n.json"), {});
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(errorText(result)));
        const auto* nginx = service(file->deployments.at(0), QStringLiteral("nginx"));
        QVERIFY(nginx);
        QCOMPARE(checkNames(*nginx),
                 (QStringList{QStringLiteral("healthz"), QStringLiteral("livez"), QStringLiteral("readyz")}));
        const auto* readyz = check(*nginx, QStringLiteral("readyz"));
        QCOMPARE(readyz->role, CheckRole::Readiness);
        QCOMPARE(readyz->interval, 30s);
        QCOMPARE(readyz->timeout, 5s);
        QCOMPARE(readyz->failureThreshold, 5);
        QVERIFY(
            std::get<okh::ExecTarget>(readyz->target)
            == (okh::ExecTarget{composeService(QStringLiteral("nginx")),
                                {QStringLiteral("curl"), QStringLiteral("-fsS"), QStringLiteral("-o"),
                                 QStringLiteral("/dev/null"), QStringLiteral("http://localhost:8080/_healthz/readyz/")},
                                {}}));
        // The other two stay HTTP checks from where the monitor stands.
        QVERIFY(std::holds_alternative<okh::HttpTarget>(check(*nginx, QStringLiteral("livez"))->target));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        okh::test::addErrorRows(QStringLiteral("profile-errors"));
    }
    // Every tests/data/config/profile-errors/NAME.json fails with the message in NAME.expected.
    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const auto result = DeploymentFile::parse(json, file, {});
        QVERIFY2(std::holds_alternative<okh::ConfigError>(result), "an invalid file loaded");
        QCOMPARE(std::get<okh::ConfigError>(result).toString(), expected);
    }
};

QTEST_GUILESS_MAIN(TestOpenKlantProfile)
#include "tst_openklantprofile.moc"
