#include "ConfigSamples.h"
#include "TestSupport.h"
#include "config/DeploymentFile.h"
#include "config/SshConfigFile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <variant>

using namespace std::chrono_literals;
using okh::ConfigError;
using okh::DeploymentFile;
using okh::SshEndpoint;
using okh::SshSpec;
using Policy = okh::SshEndpoint::HostKeyPolicy;

Q_DECLARE_METATYPE(okh::SshSpec)

namespace {

// Where HOME points for rows that must not read any ssh config: a directory that does not exist.
const QString noHome = QStringLiteral("/okh-test-home");

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

// A connection object written with single quotes (moc misreads raw strings with quotes).
QByteArray connection(const char* text)
{
    return okh::test::inConnection(QByteArray(text).replace('\'', '"').constData());
}

SshEndpoint endpoint(const QString& host, quint16 port, const QString& user, const QStringList& identityFiles = {},
                     const QString& knownHostsFile = {}, Policy policy = Policy::Strict, bool useAgent = true)
{
    return SshEndpoint{host, port, user, identityFiles, useAgent, knownHostsFile, policy};
}

SshSpec sshSpec(const SshEndpoint& target, const QList<SshEndpoint>& jumps = {},
                std::chrono::seconds keepalive = std::chrono::seconds(15),
                std::chrono::seconds connectTimeout = std::chrono::seconds(10))
{
    return SshSpec{target, jumps, keepalive, connectTimeout};
}

QString describe(const SshEndpoint& e)
{
    return QStringLiteral("%1@%2:%3 keys=[%4] agent=%5 known_hosts=%6 policy=%7")
        .arg(e.user, e.host)
        .arg(e.port)
        .arg(e.identityFiles.join(QStringLiteral(", ")))
        .arg(e.useAgent)
        .arg(e.knownHostsFile)
        .arg(e.hostKeyPolicy == Policy::Strict ? QStringLiteral("strict") : QStringLiteral("accept-new"));
}

QString describe(const SshSpec& spec)
{
    QString out = describe(spec.target);
    for (const SshEndpoint& jump : spec.jumps)
        out += QStringLiteral("\n  via ") + describe(jump);
    return out
        + QStringLiteral("\n  keepalive %1 s, connect timeout %2 s")
              .arg(spec.keepalive.count())
              .arg(spec.connectTimeout.count());
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

// A user's ~/.ssh/config with the aliases the ssh connection rows use.
QByteArray userSshConfig()
{
    return QByteArrayLiteral("# OK Health's tests: aliases of a user's ssh config\n"
                             "Host prod\n"
                             "    HostName Prod.Example.ORG\n"
                             "    Port 2222\n"
                             "    User deploy\n"
                             "    IdentityFile ~/.ssh/id_%r@%h\n"
                             "    IdentityFile ~/.ssh/id_work\n"
                             "    UserKnownHostsFile ~/.ssh/known_hosts_prod ~/.ssh/known_hosts_other\n"
                             "    StrictHostKeyChecking accept-new\n"
                             "    ProxyJump bastion,ops@edge:2022\n"
                             "Host bastion\n"
                             "    HostName bastion.example.org\n"
                             "    User jump\n"
                             "    IdentityFile ~/.ssh/id_bastion\n"
                             "Host edge\n"
                             "    HostName 192.0.2.10\n"
                             "    Port 22\n"
                             "    StrictHostKeyChecking yes\n"
                             "Host deep\n"
                             "    HostName deep.internal\n"
                             "    ProxyJump inner\n"
                             "Host inner\n"
                             "    HostName inner.internal\n"
                             "    ProxyJump outer\n"
                             "Host outer\n"
                             "    HostName outer.example.org\n"
                             "    Port 2200\n"
                             "Host lab-*\n"
                             "    StrictHostKeyChecking no\n"
                             "Host asking\n"
                             "    StrictHostKeyChecking ask\n"
                             "Host nojump\n"
                             "    ProxyJump none\n"
                             "Host proxied\n"
                             "    ProxyCommand nc %h %p\n"
                             "Host short\n"
                             "    HostName %h.corp.example.org\n"
                             "Host *\n"
                             "    ServerAliveInterval 30\n");
}

} // namespace

class TestDeploymentFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // HOME for the ssh rows: an ssh config with aliases and key files; never the real one.
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QVERIFY(m_files.isValid());
        QVERIFY(writeFile(m_home.filePath(QStringLiteral(".ssh/config")), userSshConfig()));
        for (const char* key : {"id_ed25519", "id_work", "id_bastion"})
            QVERIFY(writeFile(m_home.filePath(QStringLiteral(".ssh/") + QLatin1String(key)), "not a real key\n"));
        QVERIFY(writeFile(m_files.filePath(QStringLiteral("keys/extra")), "not a real key\n"));
        QVERIFY(
            writeFile(m_files.filePath(QStringLiteral("other_config")), "Host prod\n    HostName other.example.org\n"));
    }

    void parsesCompleteFile()
    {
        const auto result = DeploymentFile::parse(okh::test::configFile(QStringLiteral("samples/complete.json")),
                                                  QStringLiteral("complete.json"), {});
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        QCOMPARE(file->names(), (QStringList{QStringLiteral("staging"), QStringLiteral("second")}));
        QVERIFY(!file->find(QStringLiteral("nope")));
        const okh::DeploymentSpec* staging = file->find(QStringLiteral("staging"));
        QVERIFY(staging);
        QCOMPARE(staging, &file->deployments.at(0));
        QCOMPARE(staging->connection.type, okh::ConnectionSpec::Type::Direct);
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
                 (okh::RedisTarget{QStringLiteral("cache.internal"), 6380, {}, QStringLiteral("s3cr@t"), 2, {}}));
        const auto* cache2 = service(*staging, QStringLiteral("cache2"));
        QVERIFY(cache2);
        QCOMPARE(std::get<okh::RedisTarget>(cache2->checks.at(0).target),
                 (okh::RedisTarget{
                     QStringLiteral("10.0.0.5"), 6381, QStringLiteral("monitor"), QStringLiteral("pw"), 1, {}}));

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
        QCOMPARE(second->services.size(), 6);
    }

    void parsesCeleryFileAndExecChecks()
    {
        const auto result = DeploymentFile::parse(okh::test::configFile(QStringLiteral("samples/celery.json")),
                                                  QStringLiteral("celery.json"),
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
            = okh::RedisTarget{QStringLiteral("broker.internal"), 6380, {}, QStringLiteral("s3cr@t"), 2, {}};
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
        QCOMPARE(any.broker, (okh::RedisTarget{QStringLiteral("broker.internal"), 6379, {}, {}, 0, {}}));

        const auto* heartbeat = check(*worker, QStringLiteral("heartbeat"));
        QVERIFY(heartbeat);
        QCOMPARE(heartbeat->typeKey(), QStringLiteral("celery-heartbeat"));
        okh::HeartbeatTarget expectedHeartbeat;
        expectedHeartbeat.broker = okh::RedisTarget{QStringLiteral("broker.internal"), 6379, {}, {}, 2, {}};
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
                                     QStringLiteral("--broker"), QStringLiteral("redis://redis:6379/0")},
                                    {}}));
        okh::ExecContext kubectl;
        kubectl.kind = okh::ExecContext::Kind::Kubectl;
        kubectl.pod = QStringLiteral("deploy/openklant-worker");
        kubectl.kubeNamespace = QStringLiteral("openklant");
        kubectl.kubeContext = QStringLiteral("prod");
        kubectl.container = QStringLiteral("worker");
        QVERIFY(std::get<okh::ExecTarget>(check(*worker, QStringLiteral("in-kube"))->target)
                == (okh::ExecTarget{kubectl, {QStringLiteral("true")}, {}}));
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
                                     QStringLiteral("ping")},
                                    {}}));

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
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        okh::test::addErrorRows(QStringLiteral("errors"));
    }
    // Every tests/data/config/errors/NAME.json fails with the message in NAME.expected.
    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, env);
        QFETCH(QString, file);
        QFETCH(QString, expected);
        QProcessEnvironment e = environment(env);
        if (!e.contains(QStringLiteral("HOME")))
            e.insert(QStringLiteral("HOME"), noHome);
        const auto result = DeploymentFile::parse(json, file, e);
        const auto* error = std::get_if<ConfigError>(&result);
        QVERIFY2(error, "an invalid file loaded");
        QCOMPARE(error->toString(), expected);
        QCOMPARE(error->file, file);
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
        const QByteArray json = okh::test::configFile(QStringLiteral("samples/environment.json"));
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
                 (okh::RedisTarget{QStringLiteral("localhost"), 6379, {}, QStringLiteral("p@ss/w:rd"), 3, {}}));
        const auto* viaFields = check(*cache, QStringLiteral("fields"));
        QVERIFY(viaFields);
        QCOMPARE(std::get<okh::RedisTarget>(viaFields->target),
                 (okh::RedisTarget{QStringLiteral("127.0.0.1"), 6390, {}, QStringLiteral("p@ss/w:rd"), 0, {}}));
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
        const auto result = DeploymentFile::parse(
            json, QStringLiteral("s.json"),
            environment({QStringLiteral("OKH_SECRET=hunter2"), QStringLiteral("OKH_SLASHED=hun/ter2"),
                         QStringLiteral("OKH_DATABASE_URL=postgres://openklant:hunter2@db:5432/openklant"),
                         QStringLiteral("HOME=") + noHome}));
        const auto* error = std::get_if<ConfigError>(&result);
        QVERIFY2(error, "an invalid file loaded");
        QCOMPARE(error->keyPath, keyPath);
        QVERIFY2(!error->toString().contains(QStringLiteral("ter2")), qPrintable(error->toString()));
        QVERIFY2(!error->toString().contains(QStringLiteral("hunter2")), qPrintable(error->toString()));
    }

    // An '@' after a real port is part of the path or query (Flower's API takes worker names),
    // not a broken password: such URLs load as written.
    void httpUrlWithAtAfterThePortLoads_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("query");
        QTest::newRow("worker name in the query")
            << okh::test::inCheck("{\"name\": \"x\", \"type\": \"http\", \"role\": \"info\", "
                                  "\"url\": \"http://flower:5555/api/workers?workername=celery@docker\"}")
            << QStringLiteral("workername=celery@docker");
        QTest::newRow("IPv6 host") << okh::test::inCheck(
            "{\"name\": \"x\", \"type\": \"http\", \"role\": \"info\", "
            "\"url\": \"http://[::1]:5555/api/workers?workername=celery@docker\"}")
                                   << QStringLiteral("workername=celery@docker");
    }
    void httpUrlWithAtAfterThePortLoads()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, query);
        const auto result = DeploymentFile::parse(json, QStringLiteral("t.json"), {});
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        const auto& target = std::get<okh::HttpTarget>(file->deployments.at(0).services.at(0).checks.at(0).target);
        QCOMPARE(target.url.query(), query);
    }

    void nothingHalfLoaded()
    {
        const QByteArray json = okh::test::configFile(QStringLiteral("half-broken.json"));
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
        goodFile.write(okh::test::configFile(QStringLiteral("samples/profile-only.json")));
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
        const okh::RedisTarget redis{QStringLiteral("127.0.0.1"), 6379, {}, {}, 0, {}};
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
        const okh::RedisTarget broker{QStringLiteral("127.0.0.1"), 6379, {}, QStringLiteral("r3dis"), 0, {}};
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

    // Every key of an ssh connection, the defaults, ${VAR}, and Host aliases of the ssh config
    // (HOME/.ssh/config is userSshConfig()).
    void parsesSshConnection_data()
    {
        using namespace std::chrono_literals;
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<SshSpec>("expected");
        const QString home = m_home.path();
        const QString files = m_files.path();
        const QString me = okh::SshConfigFile::localUserName();
        const QString ssh = home + QStringLiteral("/.ssh/");
        const SshEndpoint bastion = endpoint(QStringLiteral("bastion.example.org"), 22, QStringLiteral("jump"),
                                             {ssh + QStringLiteral("id_bastion")});

        QTest::newRow("minimal, without an ssh config")
            << connection("{'type': 'ssh', 'host': 'ok.example.org', 'sshConfig': 'none'}") << QStringList{}
            << sshSpec(endpoint(QStringLiteral("ok.example.org"), 22, me));
        QTest::newRow("a host the ssh config does not name: ssh's defaults")
            << connection("{'type': 'ssh', 'host': 'unlisted.example.org'}") << QStringList{}
            << sshSpec(endpoint(QStringLiteral("unlisted.example.org"), 22, me));
        QTest::newRow("every key")
            << connection(
                   "{'type': 'ssh', 'host': 'Web.Example.org', 'port': 2200, 'user': 'deploy', "
                   "'identityFiles': ['~/.ssh/id_ed25519', '${OKH_DIR}/keys/extra'], 'useAgent': false, "
                   "'knownHostsFile': '~/.ssh/known_hosts_okh', 'hostKeyPolicy': 'accept-new', "
                   "'jump': {'host': '192.0.2.1', 'port': 23, 'user': 'ops', 'identityFiles': ['~/.ssh/id_work'], "
                   "'useAgent': true, 'knownHostsFile': '/etc/okh/known_hosts', 'hostKeyPolicy': 'strict'}, "
                   "'keepalive': '30s', 'connectTimeout': 5, 'sshConfig': 'none'}")
            << QStringList{QStringLiteral("OKH_DIR=") + files}
            << sshSpec(
                   endpoint(QStringLiteral("web.example.org"), 2200, QStringLiteral("deploy"),
                            {ssh + QStringLiteral("id_ed25519"), files + QStringLiteral("/keys/extra")},
                            ssh + QStringLiteral("known_hosts_okh"), Policy::AcceptNew, false),
                   {endpoint(QStringLiteral("192.0.2.1"), 23, QStringLiteral("ops"), {ssh + QStringLiteral("id_work")},
                             QStringLiteral("/etc/okh/known_hosts"), Policy::Strict, true)},
                   30s, 5s);
        QTest::newRow("a chain of jump hosts, the first reached directly")
            << connection("{'type': 'ssh', 'host': 't', 'jumps': [{'host': 'a'}, {'host': 'b', 'port': 23, "
                          "'user': 'u'}], 'sshConfig': 'none'}")
            << QStringList{}
            << sshSpec(endpoint(QStringLiteral("t"), 22, me),
                       {endpoint(QStringLiteral("a"), 22, me), endpoint(QStringLiteral("b"), 23, QStringLiteral("u"))});
        QTest::newRow("environment variables")
            << connection("{'type': 'ssh', 'host': '${OKH_SSH_HOST}', 'port': '${OKH_SSH_PORT}', "
                          "'user': '${OKH_SSH_USER:-deploy}', 'useAgent': '${OKH_AGENT}', "
                          "'keepalive': '${OKH_KEEPALIVE:-20s}', 'knownHostsFile': '${OKH_DIR}/known_hosts', "
                          "'sshConfig': '${OKH_SSH_CONFIG:-none}'}")
            << QStringList{QStringLiteral("OKH_SSH_HOST=10.1.2.3"), QStringLiteral("OKH_SSH_PORT=2022"),
                           QStringLiteral("OKH_AGENT=false"), QStringLiteral("OKH_DIR=") + files}
            << sshSpec(endpoint(QStringLiteral("10.1.2.3"), 2022, QStringLiteral("deploy"), {},
                                files + QStringLiteral("/known_hosts"), Policy::Strict, false),
                       {}, 20s);
        QTest::newRow("a Host alias of ~/.ssh/config, with its ProxyJump chain")
            << connection("{'type': 'ssh', 'host': 'prod'}") << QStringList{}
            << sshSpec(endpoint(QStringLiteral("prod.example.org"), 2222, QStringLiteral("deploy"),
                                {ssh + QStringLiteral("id_deploy@prod.example.org"), ssh + QStringLiteral("id_work")},
                                ssh + QStringLiteral("known_hosts_prod"), Policy::AcceptNew),
                       {bastion, endpoint(QStringLiteral("192.0.2.10"), 2022, QStringLiteral("ops"))});
        QTest::newRow("the deployment file's keys win over the alias's")
            << connection(
                   "{'type': 'ssh', 'host': 'prod', 'port': 22, 'user': 'admin', "
                   "'identityFiles': ['~/.ssh/id_ed25519'], 'knownHostsFile': '~/kh', 'hostKeyPolicy': 'strict', "
                   "'jumps': []}")
            << QStringList{}
            << sshSpec(endpoint(QStringLiteral("prod.example.org"), 22, QStringLiteral("admin"),
                                {ssh + QStringLiteral("id_ed25519")}, home + QStringLiteral("/kh"), Policy::Strict));
        QTest::newRow("the first jump host's own ProxyJump comes before it")
            << connection("{'type': 'ssh', 'host': 'deep'}") << QStringList{}
            << sshSpec(endpoint(QStringLiteral("deep.internal"), 22, me),
                       {endpoint(QStringLiteral("outer.example.org"), 2200, me),
                        endpoint(QStringLiteral("inner.internal"), 22, me)});
        QTest::newRow("a jump host of the deployment file is looked up too")
            << connection("{'type': 'ssh', 'host': 'x.example.org', 'jump': {'host': 'bastion'}}") << QStringList{}
            << sshSpec(endpoint(QStringLiteral("x.example.org"), 22, me), {bastion});
        QTest::newRow("StrictHostKeyChecking no of the ssh config, overridden")
            << connection("{'type': 'ssh', 'host': 'lab-1', 'hostKeyPolicy': 'strict'}") << QStringList{}
            << sshSpec(endpoint(QStringLiteral("lab-1"), 22, me));
        QTest::newRow("StrictHostKeyChecking ask is strict")
            << connection("{'type': 'ssh', 'host': 'asking'}") << QStringList{}
            << sshSpec(endpoint(QStringLiteral("asking"), 22, me));
        QTest::newRow("ProxyJump none") << connection("{'type': 'ssh', 'host': 'nojump'}") << QStringList{}
                                        << sshSpec(endpoint(QStringLiteral("nojump"), 22, me));
        QTest::newRow("a ProxyCommand gives way to the deployment file's jump hosts")
            << connection("{'type': 'ssh', 'host': 'proxied', 'jumps': [{'host': 'bastion'}]}") << QStringList{}
            << sshSpec(endpoint(QStringLiteral("proxied"), 22, me), {bastion});
        QTest::newRow("HostName with %h") << connection("{'type': 'ssh', 'host': 'short'}") << QStringList{}
                                          << sshSpec(endpoint(QStringLiteral("short.corp.example.org"), 22, me));
        QTest::newRow("Host patterns match case-sensitively")
            << connection("{'type': 'ssh', 'host': 'PROD'}") << QStringList{}
            << sshSpec(endpoint(QStringLiteral("prod"), 22, me));
        QTest::newRow("sshConfig names another file")
            << connection("{'type': 'ssh', 'host': 'prod', 'sshConfig': '${OKH_DIR}/other_config'}")
            << QStringList{QStringLiteral("OKH_DIR=") + files}
            << sshSpec(endpoint(QStringLiteral("other.example.org"), 22, me));
        QTest::newRow("sshConfig none: the alias is a plain name")
            << connection("{'type': 'ssh', 'host': 'prod', 'sshConfig': 'none'}") << QStringList{}
            << sshSpec(endpoint(QStringLiteral("prod"), 22, me));
        QTest::newRow("IPv6 in brackets") << connection("{'type': 'ssh', 'host': '[::1]', 'sshConfig': 'none'}")
                                          << QStringList{} << sshSpec(endpoint(QStringLiteral("::1"), 22, me));
    }
    void parsesSshConnection()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, env);
        QFETCH(SshSpec, expected);
        QProcessEnvironment e = environment(env);
        e.insert(QStringLiteral("HOME"), m_home.path());
        const auto result = DeploymentFile::parse(json, QStringLiteral("ssh.json"), e);
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        const okh::ConnectionSpec& connection = file->deployments.at(0).connection;
        QCOMPARE(connection.type, okh::ConnectionSpec::Type::Ssh);
        QVERIFY2(connection.ssh == expected,
                 qPrintable(QStringLiteral("\n   Actual: ") + describe(connection.ssh) + QStringLiteral("\n Expected: ")
                            + describe(expected)));
    }

    // Problems that come from the ssh config: reported at the key that led to it, with the ssh
    // config's file and line. The config is HOME/.ssh/config, also named by ${OKH_SSH_CONFIG}.
    void sshConfigErrors_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected"); // {config} is the ssh config's path
        const QString refused = QStringLiteral(
            " is refused: OK Health always verifies host keys, so that a changed key (a reinstalled server, or someone "
            "in between) is never accepted; set \"hostKeyPolicy\": \"accept-new\" to add unknown keys on first "
            "contact, "
            "or \"strict\"");
        QTest::newRow("StrictHostKeyChecking no for the host")
            << QByteArrayLiteral("Host lab\n  StrictHostKeyChecking no\n")
            << connection("{'type': 'ssh', 'host': 'lab'}")
            << QStringLiteral("test.json:2:25: deployments[0].connection.host: StrictHostKeyChecking no (ssh config "
                              "{config}:2)")
                + refused;
        QTest::newRow("StrictHostKeyChecking off for an explicit jump host")
            << QByteArrayLiteral("Host *\n  StrictHostKeyChecking off\n")
            << connection("{'type': 'ssh', 'host': 'h', 'hostKeyPolicy': 'strict', 'jump': {'host': 'lab'}}")
            << QStringLiteral("test.json:2:74: deployments[0].connection.jump.host: StrictHostKeyChecking off (ssh "
                              "config {config}:2)")
                + refused;
        QTest::newRow("StrictHostKeyChecking false for a ProxyJump host")
            << QByteArrayLiteral("Host t\n  ProxyJump j\nHost j\n  StrictHostKeyChecking false\n")
            << connection("{'type': 'ssh', 'host': 't'}")
            << QStringLiteral(
                   "test.json:2:25: deployments[0].connection.host: jump host \"j\" (ProxyJump in ssh config "
                   "{config}:2): StrictHostKeyChecking false (ssh config {config}:4)")
                + refused;
        QTest::newRow("a bad line anywhere spoils the file")
            << QByteArrayLiteral("Host other\n  Port 0\n") << connection("{'type': 'ssh', 'host': 'h'}")
            << QStringLiteral("test.json:2:1: deployments[0].connection: in the ssh config: {config}:2:8: Port: "
                              "expected a port from 1 to 65535 or a service name, got \"0\"");
        QTest::newRow("a bad line of the file sshConfig names")
            << QByteArrayLiteral("Host x\n  User \"a\n")
            << connection("{'type': 'ssh', 'host': 'h', 'sshConfig': '${OKH_SSH_CONFIG}'}")
            << QStringLiteral("test.json:2:43: deployments[0].connection.sshConfig: in the ssh config: {config}:2:8: "
                              "invalid quotes: a quote is not closed");
        QTest::newRow("ProxyCommand")
            << QByteArrayLiteral("Host p\n  ProxyCommand nc %h %p\n") << connection("{'type': 'ssh', 'host': 'p'}")
            << QStringLiteral("test.json:2:25: deployments[0].connection.host: the ssh config gives \"p\" a "
                              "ProxyCommand ({config}:2), which OK Health cannot run; use ProxyJump there, or give "
                              "\"jump\" or \"jumps\" here");
        QTest::newRow("ProxyCommand of the first jump host")
            << QByteArrayLiteral("Host t\n  ProxyJump j\nHost j\n  ProxyCommand nc %h %p\n")
            << connection("{'type': 'ssh', 'host': 't'}")
            << QStringLiteral("test.json:2:25: deployments[0].connection.host: the ssh config gives jump host \"j\" a "
                              "ProxyCommand ({config}:4), which OK Health cannot run; use ProxyJump there");
        QTest::newRow("a ProxyJump loop")
            << QByteArrayLiteral("Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n")
            << connection("{'type': 'ssh', 'host': 'a'}")
            << QStringLiteral("test.json:2:25: deployments[0].connection.host: the ssh config's ProxyJump lines form "
                              "a loop: a → b → a");
        QTest::newRow("HostName not a host name")
            << QByteArrayLiteral("Host x\n  HostName \"bad host\"\n") << connection("{'type': 'ssh', 'host': 'x'}")
            << QStringLiteral("test.json:2:25: deployments[0].connection.host: HostName \"bad host\" (ssh config "
                              "{config}:2) is not a host name or IP address");
        QTest::newRow("HostName with another token")
            << QByteArrayLiteral("Host x\n  HostName %p.example.org\n") << connection("{'type': 'ssh', 'host': 'x'}")
            << QStringLiteral("test.json:2:25: deployments[0].connection.host: HostName \"%p.example.org\" (ssh config "
                              "{config}:2): only %h and %% may be used there");
        QTest::newRow("an unsupported token in IdentityFile")
            << QByteArrayLiteral("Host x\n  IdentityFile ~/.ssh/%C\n") << connection("{'type': 'ssh', 'host': 'x'}")
            << QStringLiteral("test.json:2:25: deployments[0].connection.host: IdentityFile (ssh config {config}:2): "
                              "unsupported token %C in \"~/.ssh/%C\" (supported: %%, %d, %h, %i, %k, %L, %l, %n, %p, "
                              "%r, %u, %j)");
        // Host keys must be checked: a known_hosts file that can hold nothing is refused.
        QTest::newRow("UserKnownHostsFile none")
            << QByteArrayLiteral("Host x\n  UserKnownHostsFile none\n") << connection("{'type': 'ssh', 'host': 'x'}")
            << QStringLiteral("test.json:2:25: deployments[0].connection.host: UserKnownHostsFile none (ssh config "
                              "{config}:2) is refused: OK Health always checks host keys against a known_hosts "
                              "file; give one with \"knownHostsFile\"");
        QTest::newRow("UserKnownHostsFile /dev/null")
            << QByteArrayLiteral("Host x\n  UserKnownHostsFile /dev/null\n")
            << connection("{'type': 'ssh', 'host': 'x', 'hostKeyPolicy': 'accept-new'}")
            << QStringLiteral("test.json:2:25: deployments[0].connection.host: UserKnownHostsFile /dev/null (ssh "
                              "config {config}:2): /dev/null is not a regular file: no host key could ever be found "
                              "in it, and with accept-new every key would be accepted; give a real known_hosts file");
        QTest::newRow("knownHostsFile /dev/null")
            << QByteArray() << connection("{'type': 'ssh', 'host': 'x', 'knownHostsFile': '/dev/null'}")
            << QStringLiteral("test.json:2:48: deployments[0].connection.knownHostsFile: /dev/null is not a regular "
                              "file: no host key could ever be found in it, and with accept-new every key would be "
                              "accepted; give a real known_hosts file");
        QTest::newRow("an unset variable in UserKnownHostsFile")
            << QByteArrayLiteral("UserKnownHostsFile ${OKH_UNSET}/kh\n") << connection("{'type': 'ssh', 'host': 'x'}")
            << QStringLiteral("test.json:2:25: deployments[0].connection.host: UserKnownHostsFile (ssh config "
                              "{config}:1): environment variable OKH_UNSET is not set");
    }
    void sshConfigErrors()
    {
        QFETCH(QByteArray, config);
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString path = home.filePath(QStringLiteral(".ssh/config"));
        QVERIFY(writeFile(path, config));
        const auto result = DeploymentFile::parse(
            json, QStringLiteral("test.json"),
            environment({QStringLiteral("HOME=") + home.path(), QStringLiteral("OKH_SSH_CONFIG=") + path}));
        QCOMPARE(describe(result), QString(expected).replace(QLatin1String("{config}"), path));
    }

    // The default user: the ssh config's User, else the local account (getpwuid, as ssh).
    void sshUserDefaults()
    {
        QProcessEnvironment e;
        e.insert(QStringLiteral("HOME"), m_home.path());
        const auto result
            = DeploymentFile::parse(connection("{'type': 'ssh', 'host': 'bastion', 'jump': {'host': 'unlisted'}}"),
                                    QStringLiteral("u.json"), e);
        const auto* file = std::get_if<DeploymentFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        const SshSpec& spec = file->deployments.at(0).connection.ssh;
        QCOMPARE(spec.target.user, QStringLiteral("jump"));
        QCOMPARE(spec.jumps.at(0).user, okh::SshConfigFile::localUserName());
        QVERIFY(!spec.jumps.at(0).user.isEmpty());
    }

private:
    QTemporaryDir m_home;
    QTemporaryDir m_files;
};

QTEST_GUILESS_MAIN(TestDeploymentFile)
#include "tst_deploymentfile.moc"
