#include "ConfigSamples.h"
#include "TestSupport.h"
#include "config/DeploymentFile.h"

#include <QTemporaryDir>
#include <QTest>
#include <variant>

using namespace std::chrono_literals;
using okh::ConfigError;
using okh::DeploymentFile;

namespace {

QProcessEnvironment environment(const QStringList& assignments)
{
    QProcessEnvironment env;
    for (const QString& assignment : assignments) {
        const qsizetype equals = assignment.indexOf(u'=');
        env.insert(assignment.left(equals), assignment.mid(equals + 1));
    }
    return env;
}

QString describe(const DeploymentFile::Result& result)
{
    if (const auto* error = std::get_if<ConfigError>(&result))
        return error->toString();
    return QStringLiteral("(loaded without error)");
}

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

} // namespace

class TestDeploymentFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesCompleteFile()
    {
        const auto result
            = DeploymentFile::parse(okh::test::completeDeploymentFile(), QStringLiteral("complete.json"), {});
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        QCOMPARE(file->names(), (QStringList{QStringLiteral("staging"), QStringLiteral("second")}));
        QVERIFY(!file->find(QStringLiteral("nope")));
        const okh::DeploymentSpec* staging = file->find(QStringLiteral("staging"));
        QVERIFY(staging);
        QCOMPARE(staging, &file->deployments.at(0));
        QCOMPARE(staging->connection.type, okh::ConnectionSpec::Type::Direct);
        QVERIFY(staging->profile.isEmpty());
        QCOMPARE(staging->services.size(), 5);

        const auto* web = service(*staging, QStringLiteral("web"));
        QVERIFY(web);
        QCOMPARE(web->kind, QStringLiteral("web"));
        QCOMPARE(web->dependsOn, (QStringList{QStringLiteral("db"), QStringLiteral("cache")}));
        QCOMPARE(web->checks.size(), 2);
        const okh::CheckSpec& livez = web->checks.at(0);
        QCOMPARE(livez.name, QStringLiteral("livez"));
        QCOMPARE(livez.role, okh::CheckRole::Liveness);
        QCOMPARE(livez.interval, 10s);
        QCOMPARE(livez.timeout, 2500ms);
        QCOMPARE(livez.failureThreshold, 4);
        QCOMPARE(livez.successThreshold, 1);
        QCOMPARE(livez.startPeriod, 90s);
        QCOMPARE(livez.initialDelay, 500ms);
        QCOMPARE(livez.typeKey(), QStringLiteral("http"));
        const auto& http = std::get<okh::HttpTarget>(livez.target);
        QCOMPARE(http.url, QUrl(QStringLiteral("https://ok.example.org/_healthz/livez/")));
        QCOMPARE(http.hostHeader, QStringLiteral("localhost"));
        QCOMPARE(http.expect, okh::HttpTarget::Expectation::Success);
        // File order, not QJsonObject's alphabetical order.
        const QList<QPair<QByteArray, QByteArray>> headers{{"X-Probe", "okhealth"}, {"Authorization", "Bearer t0ken"}};
        QCOMPARE(http.headers, headers);

        const okh::CheckSpec& exposed = web->checks.at(1);
        QCOMPARE(exposed.role, okh::CheckRole::Info);
        QCOMPARE(std::get<okh::HttpTarget>(exposed.target).expect, okh::HttpTarget::Expectation::Denied);
        // Kubernetes defaults where nothing is given.
        QCOMPARE(exposed.interval, 10s);
        QCOMPARE(exposed.timeout, 1s);
        QCOMPARE(exposed.failureThreshold, 3);
        QCOMPARE(exposed.successThreshold, 1);
        QCOMPARE(exposed.startPeriod, 0ms);
        QCOMPARE(exposed.initialDelay, 0ms);

        const auto* cache = service(*staging, QStringLiteral("cache"));
        QVERIFY(cache);
        QCOMPARE(cache->checks.at(0).successThreshold, 2);
        QCOMPARE(std::get<okh::RedisTarget>(cache->checks.at(0).target),
                 (okh::RedisTarget{QStringLiteral("cache.internal"), 6380, {}, QStringLiteral("s3cr@t"), 2}));
        const auto* cache2 = service(*staging, QStringLiteral("cache2"));
        QVERIFY(cache2);
        QCOMPARE(
            std::get<okh::RedisTarget>(cache2->checks.at(0).target),
            (okh::RedisTarget{QStringLiteral("10.0.0.5"), 6381, QStringLiteral("monitor"), QStringLiteral("pw"), 1}));

        const auto* db = service(*staging, QStringLiteral("db"));
        QVERIFY(db);
        QCOMPARE(db->kind, QStringLiteral("postgresql"));
        QCOMPARE(std::get<okh::PostgresTarget>(db->checks.at(0).target),
                 (okh::PostgresTarget{QStringLiteral("::1"), 5433, QStringLiteral("openklant"), QStringLiteral("ok")}));

        const auto* sshPort = service(*staging, QStringLiteral("ssh-port"));
        QVERIFY(sshPort);
        QCOMPARE(sshPort->kind, QStringLiteral("other"));
        QVERIFY(sshPort->dependsOn.isEmpty());
        QCOMPARE(sshPort->checks.at(0).role, okh::CheckRole::Startup);
        // The URL form of an IPv6 address is stored bare.
        QCOMPARE(std::get<okh::TcpTarget>(sshPort->checks.at(0).target),
                 (okh::TcpTarget{QStringLiteral("fe80::1"), 22}));

        const okh::DeploymentSpec* second = file->find(QStringLiteral("second"));
        QVERIFY(second);
        QCOMPARE(second->profile, QStringLiteral("openklant"));
        QCOMPARE(second->services.size(), 6);
    }

    void parsesCeleryFileAndExecChecks()
    {
        const auto result = DeploymentFile::parse(okh::test::celeryDeploymentFile(), QStringLiteral("celery.json"),
                                                  environment({QStringLiteral("OKH_BROKER_PASSWORD=s3cr%40t"),
                                                               QStringLiteral("OKH_FLOWER_PASSWORD=fl0wer")}));
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        const okh::DeploymentSpec& deployment = file->deployments.at(0);

        okh::ExecContext docker;
        docker.kind = okh::ExecContext::Kind::Docker;
        docker.container = QStringLiteral("ok-celery-1");
        const auto* worker = service(deployment, QStringLiteral("worker"));
        QVERIFY(worker);
        QCOMPARE(worker->kind, QStringLiteral("celery-worker"));
        QVERIFY(worker->exec == docker);

        const auto* ping = check(*worker, QStringLiteral("ping"));
        QVERIFY(ping);
        QCOMPARE(ping->typeKey(), QStringLiteral("celery-ping"));
        QCOMPARE(ping->timeout, 5s);
        okh::CeleryPingTarget expectedPing;
        expectedPing.broker
            = okh::RedisTarget{QStringLiteral("broker.internal"), 6380, {}, QStringLiteral("s3cr@t"), 2};
        expectedPing.workers = QStringList{QStringLiteral("celery@docker"), QStringLiteral("celery@spare")};
        expectedPing.replyTimeout = 2500ms;
        expectedPing.controlExchange = QStringLiteral("ok");
        expectedPing.keyPrefix = QStringLiteral("ok:");
        QVERIFY(std::get<okh::CeleryPingTarget>(ping->target) == expectedPing);

        // Defaults: broadcast, maykin-common's 3 s ping timeout, Celery's exchange, no prefix.
        const auto& any = std::get<okh::CeleryPingTarget>(check(*worker, QStringLiteral("any"))->target);
        QVERIFY(any.workers.isEmpty());
        QCOMPARE(any.replyTimeout, 3s);
        QCOMPARE(any.controlExchange, QStringLiteral("celery"));
        QVERIFY(any.keyPrefix.isEmpty());
        QCOMPARE(any.broker, (okh::RedisTarget{QStringLiteral("broker.internal"), 6379, {}, {}, 0}));

        const auto* heartbeat = check(*worker, QStringLiteral("heartbeat"));
        QVERIFY(heartbeat);
        QCOMPARE(heartbeat->typeKey(), QStringLiteral("celery-heartbeat"));
        okh::HeartbeatTarget expectedHeartbeat;
        expectedHeartbeat.broker = okh::RedisTarget{QStringLiteral("broker.internal"), 6379, {}, {}, 2};
        expectedHeartbeat.workers = QStringList{QStringLiteral("celery@docker")};
        expectedHeartbeat.listen = 6s;
        expectedHeartbeat.keyPrefix = QStringLiteral("ok:");
        expectedHeartbeat.eventExchange = QStringLiteral("okev");
        QVERIFY(std::get<okh::HeartbeatTarget>(heartbeat->target) == expectedHeartbeat);
        const auto& heard = std::get<okh::HeartbeatTarget>(check(*worker, QStringLiteral("heard"))->target);
        QCOMPARE(heard.listen, 5s);
        QCOMPARE(heard.eventExchange, QStringLiteral("celeryev"));
        QVERIFY(heard.workers.isEmpty());

        // File and exec checks run in the service's context unless they name their own.
        const auto* eventLoop = check(*worker, QStringLiteral("event-loop"));
        QVERIFY(eventLoop);
        QCOMPARE(eventLoop->typeKey(), QStringLiteral("file"));
        QVERIFY(std::get<okh::FileTarget>(eventLoop->target)
                == (okh::FileTarget{docker, QStringLiteral("/app/tmp/celery_worker_event_loop.live"), 70s}));
        QVERIFY(std::get<okh::FileTarget>(check(*worker, QStringLiteral("ready"))->target)
                == (okh::FileTarget{docker, QStringLiteral("/app/tmp/celery_worker.ready"), std::nullopt}));
        const auto* maykin = check(*worker, QStringLiteral("maykin"));
        QVERIFY(maykin);
        QCOMPARE(maykin->typeKey(), QStringLiteral("exec"));
        QVERIFY(std::get<okh::ExecTarget>(maykin->target)
                == (okh::ExecTarget{docker,
                                    {QStringLiteral("maykin-common"), QStringLiteral("worker-health-check"),
                                     QStringLiteral("--broker"), QStringLiteral("redis://redis:6379/0")}}));
        okh::ExecContext kubectl;
        kubectl.kind = okh::ExecContext::Kind::Kubectl;
        kubectl.pod = QStringLiteral("deploy/openklant-worker");
        kubectl.kubeNamespace = QStringLiteral("openklant");
        kubectl.kubeContext = QStringLiteral("prod");
        kubectl.container = QStringLiteral("worker");
        QVERIFY(std::get<okh::ExecTarget>(check(*worker, QStringLiteral("in-kube"))->target)
                == (okh::ExecTarget{kubectl, {QStringLiteral("true")}}));
        QVERIFY(std::get<okh::FileTarget>(check(*worker, QStringLiteral("local-file"))->target).context
                == okh::ExecContext{});

        const auto* compose = service(deployment, QStringLiteral("compose"));
        QVERIFY(compose);
        okh::ExecContext composeContext;
        composeContext.kind = okh::ExecContext::Kind::Compose;
        composeContext.service = QStringLiteral("celery");
        composeContext.projectDirectory = QStringLiteral("/srv/openklant");
        composeContext.composeFiles
            = QStringList{QStringLiteral("docker-compose.yml"), QStringLiteral("docker-compose.override.yml")};
        QVERIFY(compose->exec == composeContext);
        QVERIFY(std::get<okh::ExecTarget>(compose->checks.at(0).target)
                == (okh::ExecTarget{composeContext,
                                    {QStringLiteral("redis-cli"), QStringLiteral("-h"), QStringLiteral("redis"),
                                     QStringLiteral("ping")}}));

        const auto& flower
            = std::get<okh::HttpTarget>(service(deployment, QStringLiteral("flower"))->checks.at(0).target);
        QCOMPARE(flower.user, QStringLiteral("admin"));
        QCOMPARE(flower.password, QStringLiteral("fl0wer"));

        // No "exec" anywhere: this machine.
        const auto* host = service(deployment, QStringLiteral("host"));
        QVERIFY(host);
        QCOMPARE(host->exec.kind, okh::ExecContext::Kind::Local);
        QCOMPARE(std::get<okh::FileTarget>(host->checks.at(0).target).context.kind, okh::ExecContext::Kind::Local);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("expected");
        okh::test::addDeploymentFileErrorRows();
        okh::test::addCeleryAndExecErrorRows();
    }
    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, env);
        QFETCH(QString, expected);
        const auto result = DeploymentFile::parse(json, QStringLiteral("test.json"), environment(env));
        const auto* error = std::get_if<ConfigError>(&result);
        QVERIFY2(error, "an invalid file loaded");
        QCOMPARE(error->toString(), expected);
        QCOMPARE(error->file, QStringLiteral("test.json"));
    }

    void errorFormat_data()
    {
        QTest::addColumn<ConfigError>("error");
        QTest::addColumn<QString>("text");
        const QString file = QStringLiteral("d.json");
        const QString path = QStringLiteral("deployments[0].name");
        const QString message = QStringLiteral("boom");
        QTest::newRow("position and path")
            << ConfigError{file, 3, 7, path, message} << QStringLiteral("d.json:3:7: deployments[0].name: boom");
        QTest::newRow("path only") << ConfigError{file, 0, 0, path, message}
                                   << QStringLiteral("d.json: deployments[0].name: boom");
        QTest::newRow("position only") << ConfigError{file, 1, 2, {}, message} << QStringLiteral("d.json:1:2: boom");
        QTest::newRow("neither") << ConfigError{file, 0, 0, {}, message} << QStringLiteral("d.json: boom");
    }
    void errorFormat()
    {
        QFETCH(ConfigError, error);
        QFETCH(QString, text);
        QCOMPARE(error.toString(), text);
    }

    void environmentExpansion()
    {
        const QByteArray json = okh::test::environmentDeploymentFile();
        const QProcessEnvironment env = environment({
            QStringLiteral("OKH_DEPLOYMENT=prod"),
            QStringLiteral("OKH_REDIS_PASSWORD_ENCODED=p%40ss%2Fw%3Ard"),
            QStringLiteral("OKH_REDIS_PASSWORD=p@ss/w:rd"),
            QStringLiteral("OKH_REDIS_DB=3"),
            QStringLiteral("OKH_REDIS_PORT=6390"),
            QStringLiteral("OKH_EMPTY="),
        });
        const auto result = DeploymentFile::parse(json, QStringLiteral("env.json"), env);
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        const okh::DeploymentSpec* prod = file->find(QStringLiteral("prod"));
        QVERIFY(prod);
        const auto* cache = service(*prod, QStringLiteral("cache"));
        QVERIFY(cache);
        const auto* viaUrl = check(*cache, QStringLiteral("url"));
        QVERIFY(viaUrl);
        QCOMPARE(viaUrl->timeout, 3s);
        QCOMPARE(std::get<okh::RedisTarget>(viaUrl->target),
                 (okh::RedisTarget{QStringLiteral("localhost"), 6379, {}, QStringLiteral("p@ss/w:rd"), 3}));
        const auto* viaFields = check(*cache, QStringLiteral("fields"));
        QVERIFY(viaFields);
        QCOMPARE(std::get<okh::RedisTarget>(viaFields->target),
                 (okh::RedisTarget{QStringLiteral("127.0.0.1"), 6390, {}, QStringLiteral("p@ss/w:rd"), 0}));
        const auto* web = service(*prod, QStringLiteral("web"));
        QVERIFY(web);
        const QList<QPair<QByteArray, QByteArray>> headers{
            {"X-Literal", "${NOT_EXPANDED} costs $5"}, {"X-Empty", ""}, {"X-Default", "fallback"}};
        QCOMPARE(std::get<okh::HttpTarget>(web->checks.at(0).target).headers, headers);
    }

    // Passwords come from the environment; no error message may repeat one.
    void secretsStayOutOfErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("keyPath");
        okh::test::addSecretRows();
    }
    void secretsStayOutOfErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, keyPath);
        const auto result = DeploymentFile::parse(json, QStringLiteral("s.json"),
                                                  environment({QStringLiteral("OKH_SECRET=hunter2")}));
        const auto* error = std::get_if<ConfigError>(&result);
        QVERIFY2(error, "an invalid file loaded");
        QCOMPARE(error->keyPath, keyPath);
        QVERIFY2(!error->toString().contains(QStringLiteral("hunter2")), qPrintable(error->toString()));
    }

    void nothingHalfLoaded()
    {
        const QByteArray json = okh::test::halfBrokenDeploymentFile();
        const auto result = DeploymentFile::parse(json, QStringLiteral("t.json"), {});
        QVERIFY(!std::holds_alternative<DeploymentFile>(result));
        const auto& error = std::get<ConfigError>(result);
        QCOMPARE(error.keyPath, QStringLiteral("deployments[1].services[0].checks[0].timeout"));
        QCOMPARE(error.line, 3);
    }

    void byteOrderMark()
    {
        const QByteArray json = QByteArrayLiteral("\xEF\xBB\xBF{\"version\": 2, \"deployments\": []}");
        const auto result = DeploymentFile::parse(json, QStringLiteral("bom.json"), {});
        QCOMPARE(describe(result),
                 QStringLiteral("bom.json:1:13: version: unsupported version 2; this OK Health reads version 1 files"));
    }

    void loadFromDisk()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString good = dir.filePath(QStringLiteral("good.json"));
        const QString bad = dir.filePath(QStringLiteral("bad.json"));
        QFile goodFile(good);
        QVERIFY(goodFile.open(QIODevice::WriteOnly));
        goodFile.write(okh::test::profileOnlyFile());
        goodFile.close();
        QFile badFile(bad);
        QVERIFY(badFile.open(QIODevice::WriteOnly));
        badFile.write("{\"version\": 1,\n \"deployments\": 7}");
        badFile.close();

        const auto loaded = DeploymentFile::load(good, {});
        QVERIFY2(std::holds_alternative<DeploymentFile>(loaded), qPrintable(describe(loaded)));
        QVERIFY(std::get<DeploymentFile>(loaded).find(QStringLiteral("d")));

        const auto failed = DeploymentFile::load(bad, {});
        QCOMPARE(describe(failed), bad + QStringLiteral(":2:17: deployments: expected an array, got 7"));

        const QString absent = dir.filePath(QStringLiteral("absent.json"));
        const auto missing = DeploymentFile::load(absent, {});
        const auto* error = std::get_if<ConfigError>(&missing);
        QVERIFY(error);
        QCOMPARE(error->file, absent);
        QCOMPARE(error->line, 0);
        QVERIFY2(error->message.startsWith(QStringLiteral("cannot read the file: ")), qPrintable(error->message));
    }

    // resources/examples/openklant-local.json is documentation: it has to keep loading.
    void loadsShippedExample()
    {
        const QString path = okh::test::sourceDir() + QStringLiteral("/resources/examples/openklant-local.json");
        const auto result = DeploymentFile::load(path, {});
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        QCOMPARE(file->deployments.size(), 1);
        const okh::DeploymentSpec& local = file->deployments.at(0);
        QCOMPARE(local.profile, QStringLiteral("openklant"));
        QStringList names;
        for (const auto& s : local.services)
            names << s.name;
        QCOMPARE(names,
                 (QStringList{QStringLiteral("web"), QStringLiteral("nginx"), QStringLiteral("redis"),
                              QStringLiteral("db"), QStringLiteral("celery"), QStringLiteral("celery-flower")}));
        const auto* web = service(local, QStringLiteral("web"));
        const auto* livez = check(*web, QStringLiteral("livez"));
        QVERIFY(livez);
        QCOMPARE(std::get<okh::HttpTarget>(livez->target).url,
                 QUrl(QStringLiteral("http://127.0.0.1:8000/_healthz/livez/")));
        QCOMPARE(std::get<okh::HttpTarget>(livez->target).hostHeader, QStringLiteral("localhost"));
        // The example refines one profile check.
        QCOMPARE(check(*web, QStringLiteral("healthz"))->timeout, 10s);
        const auto* nginx = service(local, QStringLiteral("nginx"));
        QCOMPARE(std::get<okh::HttpTarget>(check(*nginx, QStringLiteral("readyz"))->target).url,
                 QUrl(QStringLiteral("http://127.0.0.1:8080/_healthz/readyz/")));
        const okh::RedisTarget redis{QStringLiteral("127.0.0.1"), 6379, {}, {}, 0};
        QCOMPARE(std::get<okh::RedisTarget>(service(local, QStringLiteral("redis"))->checks.at(0).target), redis);
        QCOMPARE(std::get<okh::PostgresTarget>(service(local, QStringLiteral("db"))->checks.at(0).target),
                 (okh::PostgresTarget{QStringLiteral("127.0.0.1"), 5432, QStringLiteral("openklant"),
                                      QStringLiteral("openklant")}));
        // The worker: files through docker compose exec, the ping through the published Redis.
        const auto* celery = service(local, QStringLiteral("celery"));
        QVERIFY(celery);
        QCOMPARE(celery->exec.kind, okh::ExecContext::Kind::Compose);
        QCOMPARE(celery->exec.service, QStringLiteral("celery"));
        QCOMPARE(std::get<okh::FileTarget>(check(*celery, QStringLiteral("event-loop"))->target).context, celery->exec);
        const auto& ping = std::get<okh::CeleryPingTarget>(check(*celery, QStringLiteral("ping"))->target);
        QCOMPARE(ping.broker, redis);
        QCOMPARE(ping.workers, QStringList{QStringLiteral("celery@docker")});
        // Flower: the profile's check plus the custom exposure check.
        const auto* flower = service(local, QStringLiteral("celery-flower"));
        QVERIFY(flower);
        QCOMPARE(flower->kind, QStringLiteral("celery-flower"));
        QCOMPARE(std::get<okh::HttpTarget>(check(*flower, QStringLiteral("http"))->target).url,
                 QUrl(QStringLiteral("http://127.0.0.1:5555/")));
        const auto* anonymous = check(*flower, QStringLiteral("no-anonymous-access"));
        QVERIFY(anonymous);
        QCOMPARE(anonymous->role, okh::CheckRole::Info);
        QCOMPARE(std::get<okh::HttpTarget>(anonymous->target).expect, okh::HttpTarget::Expectation::Denied);
    }

    void loadsShippedKubernetesExample()
    {
        const QString path = okh::test::sourceDir() + QStringLiteral("/resources/examples/openklant-kubernetes.json");
        // The passwords come from the environment; the example does not load without them.
        const auto unset = DeploymentFile::load(path, {});
        QVERIFY(std::holds_alternative<ConfigError>(unset));
        QVERIFY2(std::get<ConfigError>(unset).message.contains(QStringLiteral("OPENKLANT_REDIS_PASSWORD")),
                 qPrintable(describe(unset)));

        const auto result = DeploymentFile::load(path,
                                                 environment({QStringLiteral("OPENKLANT_REDIS_PASSWORD=r3dis"),
                                                              QStringLiteral("OPENKLANT_FLOWER_PASSWORD=fl0wer")}));
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        const okh::DeploymentSpec& acceptance = file->deployments.at(0);
        QStringList names;
        for (const auto& s : acceptance.services)
            names << s.name;
        QCOMPARE(names,
                 (QStringList{QStringLiteral("web"), QStringLiteral("redis"), QStringLiteral("celery"),
                              QStringLiteral("celery-flower")}));
        const auto* celery = service(acceptance, QStringLiteral("celery"));
        QCOMPARE(celery->dependsOn, QStringList{QStringLiteral("redis")}); // db is excluded
        QCOMPARE(celery->exec.kind, okh::ExecContext::Kind::Kubectl);
        QCOMPARE(celery->exec.wrap({QStringLiteral("true")}),
                 (QStringList{QStringLiteral("kubectl"), QStringLiteral("--context"), QStringLiteral("acceptance"),
                              QStringLiteral("-n"), QStringLiteral("openklant"), QStringLiteral("exec"),
                              QStringLiteral("deploy/openklant-worker"), QStringLiteral("-c"), QStringLiteral("worker"),
                              QStringLiteral("--"), QStringLiteral("true")}));
        const okh::RedisTarget broker{QStringLiteral("127.0.0.1"), 6379, {}, QStringLiteral("r3dis"), 0};
        const auto& ping = std::get<okh::CeleryPingTarget>(check(*celery, QStringLiteral("ping"))->target);
        QCOMPARE(ping.broker, broker);
        QVERIFY(ping.workers.isEmpty()); // pod names change with every rollout
        const auto& heartbeat = std::get<okh::HeartbeatTarget>(check(*celery, QStringLiteral("heartbeat"))->target);
        QCOMPARE(heartbeat.broker, broker);
        const auto* redis = service(acceptance, QStringLiteral("redis"));
        const auto& cli = std::get<okh::ExecTarget>(check(*redis, QStringLiteral("redis-cli"))->target);
        QCOMPARE(cli.context.pod, QStringLiteral("openklant-redis-master-0"));
        // $REDIS_PASSWORD without braces is for the container's shell.
        QVERIFY(cli.command.at(2).contains(QStringLiteral("\"$REDIS_PASSWORD\"")));
        const auto& flower
            = std::get<okh::HttpTarget>(service(acceptance, QStringLiteral("celery-flower"))->checks.at(0).target);
        QCOMPARE(flower.user, QStringLiteral("admin"));
        QCOMPARE(flower.password, QStringLiteral("fl0wer"));
    }
};

QTEST_GUILESS_MAIN(TestDeploymentFile)
#include "tst_deploymentfile.moc"
