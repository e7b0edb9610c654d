// The integration fixtures of tests/support, checked with the real client tools: redis-cli,
// pg_isready, psql and curl. If a fixture cannot start, the test is skipped with the
// fixture's own explanation (missing package, server log tail).

#include "GarbagePeer.h"
#include "SilentPeer.h"
#include "TestSupport.h"
#include "standin/DjangoServer.h"
#include "standin/NginxServer.h"
#include "standin/PostgresServer.h"
#include "standin/RedisServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>
#include <csignal>

using namespace okh::test;

namespace {

struct HttpResult
{
    bool completed = false;
    int status = 0;
    QByteArray body;
    QString failure;
};

// One GET through curl (not our own client), returning status and body.
HttpResult curlGet(const QString& url, const QStringList& headers = {}, int maxSeconds = 10)
{
    QStringList args{QStringLiteral("-s"),         QStringLiteral("-S"),
                     QStringLiteral("--noproxy"),  QStringLiteral("*"),
                     QStringLiteral("--max-time"), QString::number(maxSeconds),
                     QStringLiteral("-w"),         QStringLiteral("\n%{http_code}")};
    for (const QString& header : headers)
        args << QStringLiteral("-H") << header;
    args << url;
    const CommandResult result = runCommand(QStringLiteral("curl"), args, (maxSeconds + 5) * 1000);
    HttpResult http;
    if (!result.succeeded()) {
        http.failure = result.describe();
        return http;
    }
    const qsizetype split = result.standardOutput.lastIndexOf('\n');
    http.completed = true;
    http.status = result.standardOutput.mid(split + 1).toInt();
    http.body = result.standardOutput.left(split);
    return http;
}

const QString kAcceptJson = QStringLiteral("Accept: application/json");

CommandResult redisCli(quint16 port, const QString& password, const QStringList& command)
{
    QStringList args{QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(port)};
    if (!password.isEmpty())
        args << QStringLiteral("--no-auth-warning") << QStringLiteral("-a") << password;
    return runCommand(QStringLiteral("redis-cli"), args + command, 5000);
}

QString pgTool(const QString& name)
{
    return QStringLiteral("/usr/lib/postgresql/15/bin/") + name;
}

CommandResult pgIsReady(quint16 port)
{
    return runCommand(pgTool(QStringLiteral("pg_isready")),
                      {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(port),
                       QStringLiteral("-t"), QStringLiteral("3")},
                      10000);
}

CommandResult psql(quint16 port, const QString& database, const QString& sql)
{
    return runCommand(pgTool(QStringLiteral("psql")),
                      {QStringLiteral("-X"), QStringLiteral("-A"), QStringLiteral("-t"), QStringLiteral("-h"),
                       QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(port), QStringLiteral("-U"),
                       QStringLiteral("postgres"), QStringLiteral("-d"), database, QStringLiteral("-c"), sql},
                      10000);
}

// Alive and not a zombie: after a fixture's stop() its pids must be gone for good.
bool pidAlive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype afterName = line.lastIndexOf(')');
    return afterName < 0 || line.mid(afterName + 2, 1) != "Z";
}

QList<qint64> childPids(qint64 pid)
{
    const CommandResult result
        = runCommand(QStringLiteral("ps"),
                     {QStringLiteral("-o"), QStringLiteral("pid="), QStringLiteral("--ppid"), QString::number(pid)});
    QList<qint64> pids;
    for (const QByteArray& line : result.standardOutput.split('\n')) {
        if (!line.trimmed().isEmpty())
            pids << line.trimmed().toLongLong();
    }
    return pids;
}

QJsonObject jsonObject(const QByteArray& body)
{
    return QJsonDocument::fromJson(body).object();
}

} // namespace

class TestFixtures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void silentPeerAcceptsAndNeverAnswers();
    void garbagePeerSendsOnlyItsBanner_data();
    void garbagePeerSendsOnlyItsBanner();
    void garbagePeerConfusesRedisCli();

    void redisAnswersRedisCli_data();
    void redisAnswersRedisCli();
    void redisPauseHoldsRepliesUntilResume();

    void postgresExitCodes_data();
    void postgresExitCodes();

    void nginxLocations_data();
    void nginxLocations();

    void djangoHealthEndpoints();
    void djangoAllowedHosts_data();
    void djangoAllowedHosts();

private:
    bool m_haveDjango = false;
    QString m_noDjangoReason;
};

void TestFixtures::initTestCase()
{
    for (const QString& tool : {QStringLiteral("redis-cli"), QStringLiteral("curl"), QStringLiteral("ps")})
        QVERIFY2(!QStandardPaths::findExecutable(tool).isEmpty(), qPrintable(tool + QStringLiteral(" not on PATH")));
    m_haveDjango = DjangoServer::isAvailable(&m_noDjangoReason);
}

void TestFixtures::silentPeerAcceptsAndNeverAnswers()
{
    SilentPeer peer;
    QVERIFY2(peer.start(), qPrintable(peer.errorString()));
    QVERIFY(peer.port() != 0);

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, peer.port());
    QVERIFY(socket.waitForConnected(2000));
    QTRY_COMPARE(peer.acceptedConnections(), 1);
    socket.write("PING\r\n");
    QVERIFY(!socket.waitForReadyRead(500));
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);

    // curl gives up at its own deadline: the peer neither answers nor closes.
    const CommandResult curl = runCommand(QStringLiteral("curl"),
                                          {QStringLiteral("-s"), QStringLiteral("--noproxy"), QStringLiteral("*"),
                                           QStringLiteral("--max-time"), QStringLiteral("1"),
                                           QStringLiteral("http://127.0.0.1:%1/").arg(peer.port())});
    QCOMPARE(curl.exitCode, 28); // CURLE_OPERATION_TIMEDOUT

    peer.stop();
    QVERIFY(socket.waitForDisconnected(2000) || socket.state() == QAbstractSocket::UnconnectedState);
}

void TestFixtures::garbagePeerSendsOnlyItsBanner_data()
{
    QTest::addColumn<QByteArray>("banner");
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("ssh banner, client silent") << GarbagePeer::sshBanner() << QByteArray();
    QTest::newRow("ssh banner, redis PING") << GarbagePeer::sshBanner() << QByteArrayLiteral("PING\r\n");
    QTest::newRow("http 400, redis PING") << GarbagePeer::httpBadRequest() << QByteArrayLiteral("PING\r\n");
}

void TestFixtures::garbagePeerSendsOnlyItsBanner()
{
    QFETCH(QByteArray, banner);
    QFETCH(QByteArray, request);
    GarbagePeer peer(banner);
    QVERIFY2(peer.start(), qPrintable(peer.errorString()));
    QCOMPARE(tcpExchange(peer.port(), request, 1000), banner);
}

void TestFixtures::garbagePeerConfusesRedisCli()
{
    GarbagePeer peer(GarbagePeer::sshBanner());
    QVERIFY2(peer.start(), qPrintable(peer.errorString()));
    const CommandResult result = redisCli(peer.port(), {}, {QStringLiteral("ping")});
    QVERIFY2(result.finished, qPrintable(result.describe()));
    QVERIFY2(result.exitCode != 0, qPrintable(result.describe()));
    QVERIFY2(result.allOutput().contains("Protocol error"), qPrintable(result.describe()));
}

void TestFixtures::redisAnswersRedisCli_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("cliPassword");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QString>("url");
    // redis-cli 7 exits 0 whenever the server replied, even with an error reply (NOAUTH,
    // WRONGPASS): its exit code tells "connected" from "not connected", not "healthy".
    QTest::newRow("no password") << QString() << QString() << 0 << QByteArrayLiteral("PONG")
                                 << QStringLiteral("redis://127.0.0.1:%1/0");
    QTest::newRow("password, right -a") << QStringLiteral("s3cret") << QStringLiteral("s3cret") << 0
                                        << QByteArrayLiteral("PONG")
                                        << QStringLiteral("redis://:s3cret@127.0.0.1:%1/0");
    QTest::newRow("password, no -a") << QStringLiteral("s3cret") << QString() << 0
                                     << QByteArrayLiteral("NOAUTH Authentication required")
                                     << QStringLiteral("redis://:s3cret@127.0.0.1:%1/0");
    QTest::newRow("password, wrong -a") << QStringLiteral("s3cret") << QStringLiteral("wrong") << 0
                                        << QByteArrayLiteral("WRONGPASS")
                                        << QStringLiteral("redis://:s3cret@127.0.0.1:%1/0");
    QTest::newRow("password needing URL encoding")
        << QStringLiteral("s3cr@t pw") << QStringLiteral("s3cr@t pw") << 0 << QByteArrayLiteral("PONG")
        << QStringLiteral("redis://:s3cr%40t%20pw@127.0.0.1:%1/0");
}

void TestFixtures::redisAnswersRedisCli()
{
    QFETCH(QString, password);
    QFETCH(QString, cliPassword);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, output);
    QFETCH(QString, url);

    RedisServer redis;
    if (!redis.start(password))
        QSKIP(qPrintable(redis.errorString()));
    QCOMPARE(redis.url(), url.arg(redis.port()));
    const qint64 pid = redis.pid();
    QVERIFY(pidAlive(pid));

    const CommandResult result = redisCli(redis.port(), cliPassword, {QStringLiteral("ping")});
    QVERIFY2(result.finished, qPrintable(result.describe()));
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.allOutput().contains(output), qPrintable(result.describe()));

    redis.stop();
    QVERIFY(!pidAlive(pid));
    const CommandResult refused = redisCli(redis.port(), cliPassword, {QStringLiteral("ping")});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.allOutput().contains("Connection refused"), qPrintable(refused.describe()));
}

void TestFixtures::redisPauseHoldsRepliesUntilResume()
{
    RedisServer redis;
    if (!redis.start())
        QSKIP(qPrintable(redis.errorString()));
    QVERIFY(redis.pause());
    QVERIFY(redis.isPaused());
    // The kernel completes the handshake; the stopped server never replies.
    QCOMPARE(tcpExchange(redis.port(), QByteArrayLiteral("PING\r\n"), 700), QByteArray());
    QVERIFY(redis.resume());
    const CommandResult result = redisCli(redis.port(), {}, {QStringLiteral("ping")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.standardOutput.trimmed(), QByteArrayLiteral("PONG"));

    // Stopping a paused server works too (the fixture continues it before SIGTERM).
    QVERIFY(redis.pause());
    const qint64 pid = redis.pid();
    QElapsedTimer timer;
    timer.start();
    redis.stop();
    QVERIFY(!pidAlive(pid));
    QVERIFY2(timer.elapsed() < 4000, qPrintable(QString::number(timer.elapsed())));
}

void TestFixtures::postgresExitCodes_data()
{
    QTest::addColumn<bool>("viaSmartShutdown");
    QTest::newRow("fast stop") << false;
    QTest::newRow("pending smart shutdown, then released") << true;
}

void TestFixtures::postgresExitCodes()
{
    QFETCH(bool, viaSmartShutdown);

    PostgresServer pg;
    if (!pg.start())
        QSKIP(qPrintable(pg.errorString()));
    const qint64 postmaster = pg.pid();
    QCOMPARE(pg.postmasterPidFromFile(), postmaster);

    CommandResult ready = pgIsReady(pg.port());
    QVERIFY2(ready.exitCode == 0, qPrintable(ready.describe()));
    QVERIFY(ready.standardOutput.contains("accepting connections"));

    QVERIFY2(pg.createDatabase(QStringLiteral("okh_db")), qPrintable(pg.errorString()));
    const CommandResult select = psql(pg.port(), QStringLiteral("okh_db"), QStringLiteral("SELECT 40 + 2"));
    QVERIFY2(select.succeeded(), qPrintable(select.describe()));
    QCOMPARE(select.standardOutput.trimmed(), QByteArrayLiteral("42"));
    const QList<qint64> children = childPids(postmaster);
    QVERIFY(!children.isEmpty()); // checkpointer, walwriter, ...

    if (viaSmartShutdown) {
        QVERIFY2(pg.beginSmartShutdown(), qPrintable(pg.errorString()));
        QVERIFY(pg.isShuttingDown());
        ready = pgIsReady(pg.port());
        QVERIFY2(ready.exitCode == 1, qPrintable(ready.describe()));
        QVERIFY(ready.standardOutput.contains("rejecting connections"));
        // SQLSTATE 57P03, as libpq reports it to any new client.
        const CommandResult refused = psql(pg.port(), QStringLiteral("postgres"), QStringLiteral("SELECT 1"));
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.standardError.contains("the database system is shutting down"),
                 qPrintable(refused.describe()));
        QVERIFY(pg.isRunning());
        QVERIFY2(pg.endSmartShutdown(), qPrintable(pg.errorString()));
    } else {
        pg.stop();
    }

    QVERIFY(!pg.isRunning());
    ready = pgIsReady(pg.port());
    QVERIFY2(ready.exitCode == 2, qPrintable(ready.describe()));
    QVERIFY(ready.standardOutput.contains("no response"));
    QVERIFY(!pidAlive(postmaster));
    for (qint64 child : children)
        QVERIFY2(!pidAlive(child), qPrintable(QString::number(child)));
}

void TestFixtures::nginxLocations_data()
{
    using Access = NginxServer::HealthAccess;
    QTest::addColumn<Access>("access");
    QTest::addColumn<bool>("proxyReadiness");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body"); // empty: not compared

    const QByteArray ok = QByteArrayLiteral("ok\n");
    const QString healthz = QStringLiteral("/_healthz/");
    const QString livez = QStringLiteral("/_healthz/livez/");
    const QString readyz = QStringLiteral("/_healthz/readyz/");
    QTest::newRow("livez") << Access::LoopbackAllowed << true << livez << 200 << ok;
    QTest::newRow("healthz") << Access::LoopbackAllowed << true << healthz << 200 << ok;
    QTest::newRow("readyz static") << Access::LoopbackAllowed << false << readyz << 200 << ok;
    QTest::newRow("readyz proxied, backend down") << Access::LoopbackAllowed << true << readyz << 502 << QByteArray();
    QTest::newRow("denied") << Access::LoopbackAllowed << true << QStringLiteral("/denied/") << 403 << QByteArray();
    QTest::newRow("unknown path") << Access::LoopbackAllowed << true << QStringLiteral("/nothing/") << 404
                                  << QByteArray();
    // The documented allow/deny cannot stop a `return 200`: rewrite phase before access phase.
    QTest::newRow("livez, other allowed only") << Access::OtherAllowedOnly << true << livez << 200 << ok;
    QTest::newRow("healthz, other allowed only") << Access::OtherAllowedOnly << true << healthz << 200 << ok;
    QTest::newRow("readyz static, other allowed only") << Access::OtherAllowedOnly << false << readyz << 200 << ok;
    QTest::newRow("readyz proxied, other allowed only")
        << Access::OtherAllowedOnly << true << readyz << 403 << QByteArray();
    QTest::newRow("livez, loopback rejected") << Access::LoopbackRejected << true << livez << 403 << QByteArray();
    QTest::newRow("healthz, loopback rejected") << Access::LoopbackRejected << true << healthz << 403 << QByteArray();
    QTest::newRow("readyz static, loopback rejected")
        << Access::LoopbackRejected << false << readyz << 403 << QByteArray();
    QTest::newRow("readyz proxied, loopback rejected")
        << Access::LoopbackRejected << true << readyz << 403 << QByteArray();
}

void TestFixtures::nginxLocations()
{
    QFETCH(NginxServer::HealthAccess, access);
    QFETCH(bool, proxyReadiness);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, body);

    NginxServer nginx;
    NginxServer::Options options;
    options.healthAccess = access;
    options.proxyReadiness = proxyReadiness;
    const quint16 deadBackend = freePort();
    if (!nginx.start(deadBackend, options))
        QSKIP(qPrintable(nginx.errorString()));
    const qint64 master = nginx.pid();
    const QList<qint64> workers = childPids(master);
    QCOMPARE(workers.size(), 1);

    const HttpResult http = curlGet(nginx.baseUrl() + path);
    QVERIFY2(http.completed, qPrintable(http.failure));
    QCOMPARE(http.status, status);
    if (!body.isEmpty())
        QCOMPARE(http.body, body);

    nginx.stop();
    QVERIFY(!pidAlive(master));
    QVERIFY(!pidAlive(workers.first()));
}

void TestFixtures::djangoHealthEndpoints()
{
    if (!m_haveDjango)
        QSKIP(qPrintable(m_noDjangoReason));
    PostgresServer pg;
    if (!pg.start())
        QSKIP(qPrintable(pg.errorString()));
    QVERIFY2(pg.createDatabase(QStringLiteral("okhealth")), qPrintable(pg.errorString()));
    RedisServer redis;
    if (!redis.start(QStringLiteral("s3cret")))
        QSKIP(qPrintable(redis.errorString()));

    DjangoServer django;
    DjangoServer::Options options;
    options.postgresPort = pg.port();
    options.redisUrl = redis.url();
    QVERIFY2(django.start(options), qPrintable(django.errorString()));
    const qint64 djangoPid = django.pid();

    HttpResult http = curlGet(django.baseUrl() + QStringLiteral("/_healthz/livez/"), {kAcceptJson});
    QVERIFY2(http.completed, qPrintable(http.failure));
    QCOMPARE(http.status, 200);
    QCOMPARE(http.body, QByteArrayLiteral("{}"));

    http = curlGet(django.baseUrl() + QStringLiteral("/_healthz/readyz/"), {kAcceptJson});
    qCInfo(lcTestFixture) << "readyz, healthy:" << http.status << http.body;
    QCOMPARE(http.status, 200);
    QJsonObject checks = jsonObject(http.body);
    QCOMPARE(checks.keys(), (QStringList{QStringLiteral("Cache backend: default"), QStringLiteral("DatabaseBackend")}));
    QCOMPARE(checks.value(QStringLiteral("Cache backend: default")).toString(), QStringLiteral("working"));
    QCOMPARE(checks.value(QStringLiteral("DatabaseBackend")).toString(), QStringLiteral("working"));

    http = curlGet(django.baseUrl() + QStringLiteral("/_healthz/"), {kAcceptJson});
    qCInfo(lcTestFixture) << "healthz, healthy:" << http.status << http.body;
    QCOMPARE(http.status, 200);
    QCOMPARE(jsonObject(http.body).keys(),
             (QStringList{QStringLiteral("Cache backend: default"), QStringLiteral("DatabaseBackend"),
                          QStringLiteral("MigrationsHealthCheck")}));

    // Without Accept: application/json, django-health-check renders its HTML page.
    http = curlGet(django.baseUrl() + QStringLiteral("/_healthz/readyz/"));
    QCOMPARE(http.status, 200);
    QVERIFY(http.body.contains("<html"));

    // nginx's "smart readiness probe" in front of Django reaches the same endpoint.
    NginxServer nginx;
    if (!nginx.start(django.port()))
        QSKIP(qPrintable(nginx.errorString()));
    http = curlGet(nginx.baseUrl() + QStringLiteral("/_healthz/readyz/"), {kAcceptJson});
    QCOMPARE(http.status, 200);
    QCOMPARE(jsonObject(http.body), checks);

    // Database down: readyz fails, quickly, and names the database check.
    pg.stop();
    QElapsedTimer timer;
    timer.start();
    http = curlGet(django.baseUrl() + QStringLiteral("/_healthz/readyz/"), {kAcceptJson});
    qCInfo(lcTestFixture) << "readyz, database down:" << http.status << http.body << timer.elapsed() << "ms";
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(http.status, 500);
    checks = jsonObject(http.body);
    QCOMPARE(checks.value(QStringLiteral("DatabaseBackend")).toString(), QStringLiteral("unavailable: Database error"));
    QCOMPARE(checks.value(QStringLiteral("Cache backend: default")).toString(), QStringLiteral("working"));
    http = curlGet(nginx.baseUrl() + QStringLiteral("/_healthz/readyz/"), {kAcceptJson});
    QCOMPARE(http.status, 500);
    http = curlGet(django.baseUrl() + QStringLiteral("/_healthz/"), {kAcceptJson});
    qCInfo(lcTestFixture) << "healthz, database down:" << http.status << http.body;
    QCOMPARE(http.status, 500);
    http = curlGet(django.baseUrl() + QStringLiteral("/_healthz/livez/"), {kAcceptJson});
    QCOMPARE(http.status, 200);

    // Cache down as well: django-redis raises its own ConnectionInterrupted, which 3.17's
    // CacheBackend does not catch, so Django answers its generic HTML 500 page, not JSON.
    redis.stop();
    timer.restart();
    http = curlGet(django.baseUrl() + QStringLiteral("/_healthz/readyz/"), {kAcceptJson});
    qCInfo(lcTestFixture) << "readyz, database and cache down:" << http.status << http.body << timer.elapsed() << "ms";
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(http.status, 500);

    django.stop();
    QVERIFY(!pidAlive(djangoPid));
}

void TestFixtures::djangoAllowedHosts_data()
{
    QTest::addColumn<QString>("allowedHosts");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("status");
    QTest::newRow("default, Host: localhost")
        << QStringLiteral("localhost,127.0.0.1") << QStringLiteral("localhost") << 200;
    QTest::newRow("example.org, Host: localhost")
        << QStringLiteral("example.org") << QStringLiteral("localhost") << 400;
    QTest::newRow("example.org, Host: example.org")
        << QStringLiteral("example.org") << QStringLiteral("example.org") << 200;
}

void TestFixtures::djangoAllowedHosts()
{
    QFETCH(QString, allowedHosts);
    QFETCH(QString, host);
    QFETCH(int, status);
    if (!m_haveDjango)
        QSKIP(qPrintable(m_noDjangoReason));

    // livez runs no checks: neither a database nor a cache is needed.
    DjangoServer django;
    DjangoServer::Options options;
    options.postgresPort = freePort();
    options.redisUrl = QStringLiteral("redis://127.0.0.1:%1/0").arg(freePort());
    options.allowedHosts = allowedHosts;
    options.migrate = false;
    QVERIFY2(django.start(options), qPrintable(django.errorString()));

    const HttpResult http = curlGet(django.baseUrl() + QStringLiteral("/_healthz/livez/"),
                                    {kAcceptJson, QStringLiteral("Host: ") + host});
    QVERIFY2(http.completed, qPrintable(http.failure));
    QCOMPARE(http.status, status);
}

QTEST_GUILESS_MAIN(TestFixtures)
#include "tst_fixtures.moc"
