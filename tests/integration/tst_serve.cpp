#include "TestSupport.h"
#include "standin/ManagedProcess.h"
#include "standin/NginxServer.h"
#include "standin/RedisServer.h"
#include "store/HistoryStore.h"
#include "util/Clock.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>
#include <csignal>
#include <memory>

using namespace okh;

// End to end: `okhealth-check serve` watches a real Redis and a real nginx, a real Prometheus
// (Debian's prometheus package) scrapes its /metrics every second, and the test asks Prometheus,
// through its HTTP API, what it has seen; /status is read directly. Every process is started
// here, on free loopback ports, and stopped by its fixture.

namespace {

const QString kDeployment = QStringLiteral("e2e");
// Goes into a Redis URL, an http basic-auth password and a command's argument: it must never
// come out of /status or /metrics.
const QString kSecret = QStringLiteral("s3cr3t-Pw-77");
constexpr int kStartTimeoutMs = 15000;

QProcessEnvironment childEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    env.remove(QStringLiteral("LANGUAGE"));
    for (const QString& key : env.keys()) {
        if (key.endsWith(QLatin1String("_proxy"), Qt::CaseInsensitive))
            env.remove(key);
    }
    return env;
}

struct HttpAnswer
{
    int status = 0;
    QByteArray body;
};

// One blocking HTTP/1.0 GET on 127.0.0.1 (the server closes after answering).
HttpAnswer httpGet(quint16 port, const QByteArray& pathAndQuery)
{
    const QByteArray raw = test::tcpExchange(
        port, "GET " + pathAndQuery + " HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n", 5000, 500);
    HttpAnswer answer;
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (!raw.startsWith("HTTP/1.") || end < 0)
        return answer;
    answer.status = raw.mid(9, 3).toInt();
    answer.body = raw.mid(end + 4);
    return answer;
}

QString describe(const QHash<QString, QString>& values)
{
    QStringList parts;
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        parts << it.key() + u'=' + it.value();
    parts.sort();
    return u'{' + parts.join(QStringLiteral(", ")) + u'}';
}

// Polls until `condition` holds or the time is up; the processes under test run on their own.
template<typename Condition> bool waitFor(Condition condition, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (condition())
            return true;
        QThread::msleep(250);
    }
    return condition();
}

} // namespace

class TestServe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void prometheusSeesHealthyChecks();
    void statusShowsHealthyDeployment();
    void endpointsKeepSecrets();
    void httpProtocol();
    void redisDownReachesPrometheus();
    void statusNamesRootCause();
    void secondWriterIsRefused();
    void shutdownFlushesHistory();
    void cleanupTestCase();

private:
    // The instant vector of a PromQL query: "service/check" → value text.
    QHash<QString, QString> query(const QString& promql, QString* error = nullptr) const;
    QJsonObject status() const;
    QJsonObject serviceOf(const QJsonObject& status, const QString& name) const;

    QTemporaryDir m_dir{QStringLiteral("/tmp/okh-serve-XXXXXX")};
    test::RedisServer m_redis;
    test::NginxServer m_nginx;
    std::unique_ptr<test::ManagedProcess> m_serve;
    std::unique_ptr<test::ManagedProcess> m_prometheus;
    quint16 m_servePort = 0;
    quint16 m_prometheusPort = 0;
};

void TestServe::initTestCase()
{
    const QString prometheus = QStringLiteral("/usr/bin/prometheus");
    if (!QFileInfo(prometheus).isExecutable())
        QSKIP("prometheus not installed (Debian package prometheus)");
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    QVERIFY2(m_redis.start(kSecret), qPrintable(m_redis.errorString()));
    test::NginxServer::Options nginxOptions;
    nginxOptions.proxyReadiness = false; // static readyz: no backend needed
    QVERIFY2(m_nginx.start(0, nginxOptions), qPrintable(m_nginx.errorString()));

    // Short intervals so that the whole test stays well under a minute.
    const auto check = [](const QString& name, const QString& type, const QString& role) {
        return QJsonObject{{QStringLiteral("name"), name},
                           {QStringLiteral("type"), type},
                           {QStringLiteral("role"), role},
                           {QStringLiteral("interval"), QStringLiteral("1s")},
                           {QStringLiteral("timeout"), QStringLiteral("1s")},
                           {QStringLiteral("failureThreshold"), 2}};
    };
    QJsonObject redisPing = check(QStringLiteral("ping"), QStringLiteral("redis"), QStringLiteral("liveness"));
    redisPing.insert(QStringLiteral("url"),
                     QStringLiteral("redis://:%1@127.0.0.1:%2/0").arg(kSecret).arg(m_redis.port()));
    // The worker's own view of its broker: the same Redis, a readiness check also named "ping".
    QJsonObject brokerPing = check(QStringLiteral("ping"), QStringLiteral("redis"), QStringLiteral("readiness"));
    brokerPing.insert(QStringLiteral("url"), redisPing.value(QStringLiteral("url")));
    QJsonObject livez = check(QStringLiteral("livez"), QStringLiteral("http"), QStringLiteral("liveness"));
    livez.insert(QStringLiteral("url"), QString(m_nginx.baseUrl() + QStringLiteral("/_healthz/livez/")));
    livez.insert(QStringLiteral("user"), QStringLiteral("monitor"));
    livez.insert(QStringLiteral("password"), kSecret);
    QJsonObject readyz = check(QStringLiteral("readyz"), QStringLiteral("http"), QStringLiteral("readiness"));
    readyz.insert(QStringLiteral("url"), QString(m_nginx.baseUrl() + QStringLiteral("/_healthz/readyz/")));
    QJsonObject command = check(QStringLiteral("command"), QStringLiteral("exec"), QStringLiteral("info"));
    command.insert(QStringLiteral("command"), QJsonArray{QStringLiteral("true"), kSecret});

    const QJsonObject file{
        {QStringLiteral("version"), 1},
        {QStringLiteral("deployments"),
         QJsonArray{QJsonObject{
             {QStringLiteral("name"), kDeployment},
             {QStringLiteral("connection"), QJsonObject{{QStringLiteral("type"), QStringLiteral("direct")}}},
             {QStringLiteral("services"),
              QJsonArray{
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("nginx")},
                              {QStringLiteral("kind"), QStringLiteral("nginx")},
                              {QStringLiteral("checks"), QJsonArray{livez, readyz, command}}},
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("worker")},
                              {QStringLiteral("kind"), QStringLiteral("celery-worker")},
                              {QStringLiteral("dependsOn"), QJsonArray{QStringLiteral("redis")}},
                              {QStringLiteral("checks"), QJsonArray{brokerPing}}},
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("redis")},
                              {QStringLiteral("kind"), QStringLiteral("redis")},
                              {QStringLiteral("checks"), QJsonArray{redisPing}}},
              }},
         }}},
    };
    const QString deploymentFile = m_dir.filePath(QStringLiteral("deployments.json"));
    QFile out(deploymentFile);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(file).toJson());
    out.close();

    m_servePort = test::freePort();
    m_serve = std::make_unique<test::ManagedProcess>(m_dir.filePath(QStringLiteral("serve.log")));
    m_serve->setEnvironment(childEnvironment());
    QVERIFY2(m_serve->start(QStringLiteral(OKHEALTH_CHECK_BINARY),
                            {QStringLiteral("serve"), deploymentFile, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:%1").arg(m_servePort), QStringLiteral("--db"),
                             m_dir.filePath(QStringLiteral("history.db"))}),
             qPrintable(m_serve->errorString()));
    QVERIFY2(waitFor([this] { return httpGet(m_servePort, "/metrics").status == 200; }, kStartTimeoutMs),
             qPrintable(m_serve->logTail()));

    m_prometheusPort = test::freePort();
    const QString config = m_dir.filePath(QStringLiteral("prometheus.yml"));
    QFile yml(config);
    QVERIFY(yml.open(QIODevice::WriteOnly));
    yml.write(QStringLiteral("global:\n"
                             "  scrape_interval: 1s\n"
                             "  scrape_timeout: 1s\n"
                             "  evaluation_interval: 1s\n"
                             "scrape_configs:\n"
                             "  - job_name: okhealth\n"
                             "    static_configs:\n"
                             "      - targets: ['127.0.0.1:%1']\n")
                  .arg(m_servePort)
                  .toUtf8());
    yml.close();
    m_prometheus = std::make_unique<test::ManagedProcess>(m_dir.filePath(QStringLiteral("prometheus.log")));
    m_prometheus->setEnvironment(childEnvironment());
    m_prometheus->setWorkingDirectory(m_dir.path());
    QVERIFY2(m_prometheus->start(prometheus,
                                 {QStringLiteral("--config.file=") + config,
                                  QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("tsdb")),
                                  QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_prometheusPort)}),
             qPrintable(m_prometheus->errorString()));
    QVERIFY2(waitFor([this] { return httpGet(m_prometheusPort, "/-/ready").status == 200; }, kStartTimeoutMs),
             qPrintable(m_prometheus->logTail()));
}

void TestServe::cleanupTestCase()
{
    // Newest first; each fixture signals only the process it started.
    m_prometheus.reset();
    m_serve.reset();
    m_nginx.stop();
    m_redis.stop();
}

QHash<QString, QString> TestServe::query(const QString& promql, QString* error) const
{
    const HttpAnswer answer = httpGet(m_prometheusPort, "/api/v1/query?query=" + QUrl::toPercentEncoding(promql));
    QHash<QString, QString> values;
    const QJsonObject root = QJsonDocument::fromJson(answer.body).object();
    if (answer.status != 200 || root.value(QStringLiteral("status")).toString() != QLatin1String("success")) {
        if (error)
            *error = QStringLiteral("HTTP %1: %2").arg(answer.status).arg(QString::fromUtf8(answer.body));
        return values;
    }
    for (const QJsonValue& v :
         root.value(QStringLiteral("data")).toObject().value(QStringLiteral("result")).toArray()) {
        const QJsonObject sample = v.toObject();
        const QJsonObject metric = sample.value(QStringLiteral("metric")).toObject();
        values.insert(metric.value(QStringLiteral("service")).toString() + u'/'
                          + metric.value(QStringLiteral("check")).toString(),
                      sample.value(QStringLiteral("value")).toArray().at(1).toString());
    }
    return values;
}

QJsonObject TestServe::status() const
{
    const HttpAnswer answer = httpGet(m_servePort, "/status");
    return answer.status == 200 ? QJsonDocument::fromJson(answer.body).object() : QJsonObject{};
}

QJsonObject TestServe::serviceOf(const QJsonObject& status, const QString& name) const
{
    const QJsonObject deployment = status.value(QStringLiteral("deployments")).toArray().at(0).toObject();
    for (const QJsonValue& s : deployment.value(QStringLiteral("services")).toArray()) {
        if (s.toObject().value(QStringLiteral("name")).toString() == name)
            return s.toObject();
    }
    return {};
}

void TestServe::prometheusSeesHealthyChecks()
{
    const QHash<QString, QString> healthy{{QStringLiteral("redis/ping"), QStringLiteral("1")},
                                          {QStringLiteral("worker/ping"), QStringLiteral("1")}};
    QString error;
    QHash<QString, QString> seen;
    const bool ok = waitFor(
        [&] {
            seen = query(QStringLiteral("probe_success{check=\"ping\"}"), &error);
            return seen == healthy;
        },
        20000);
    QVERIFY2(ok,
             qPrintable(QStringLiteral("seen: %1 %2\nserve: %3\nprometheus: %4")
                            .arg(describe(seen), error, m_serve->logTail(), m_prometheus->logTail())));
    QCOMPARE(query(QStringLiteral("probe_success{service=\"nginx\",role!=\"info\"}")),
             (QHash<QString, QString>{{QStringLiteral("nginx/livez"), QStringLiteral("1")},
                                      {QStringLiteral("nginx/readyz"), QStringLiteral("1")}}));
    QVERIFY(waitFor(
        [this] {
            return query(QStringLiteral("okhealth_check_state{check=\"readyz\",state=\"healthy\"}"))
                == QHash<QString, QString>{{QStringLiteral("nginx/readyz"), QStringLiteral("1")}};
        },
        5000));
    QCOMPARE(query(QStringLiteral("okhealth_deployment_reachable")).size(), 1);
    QVERIFY(query(QStringLiteral("okhealth_probes_total > 0")).size() == 1);
}

void TestServe::statusShowsHealthyDeployment()
{
    const QJsonObject s = status();
    const QJsonObject deployment = s.value(QStringLiteral("deployments")).toArray().at(0).toObject();
    QCOMPARE(deployment.value(QStringLiteral("name")).toString(), kDeployment);
    QCOMPARE(deployment.value(QStringLiteral("reachable")).toBool(), true);
    QCOMPARE(deployment.value(QStringLiteral("rootCauses")).toArray().size(), 0);
    const QJsonObject redis = serviceOf(s, QStringLiteral("redis"));
    QCOMPARE(redis.value(QStringLiteral("status")).toString(), QStringLiteral("healthy"));
    QCOMPARE(redis.value(QStringLiteral("conclusion")).toString(), QStringLiteral("serving"));
    const QJsonObject ping = redis.value(QStringLiteral("checks")).toArray().at(0).toObject();
    QCOMPARE(ping.value(QStringLiteral("name")).toString(), QStringLiteral("ping"));
    QCOMPARE(ping.value(QStringLiteral("state")).toString(), QStringLiteral("healthy"));
    QCOMPARE(ping.value(QStringLiteral("stateText")).toString(), QStringLiteral("healthy"));
    QCOMPARE(ping.value(QStringLiteral("target")).toString(),
             QStringLiteral("redis://:****@127.0.0.1:%1/0").arg(m_redis.port()));
    const QJsonObject latest = ping.value(QStringLiteral("latest")).toObject();
    QCOMPARE(latest.value(QStringLiteral("status")).toString(), QStringLiteral("healthy"));
    QVERIFY2(latest.value(QStringLiteral("summary")).toString().contains(QLatin1String("PONG")),
             qPrintable(latest.value(QStringLiteral("summary")).toString()));
    QVERIFY(latest.value(QStringLiteral("latencyMs")).isDouble());
    QVERIFY(latest.value(QStringLiteral("hint")).isNull());
    const QJsonObject nginx = serviceOf(s, QStringLiteral("nginx"));
    QCOMPARE(nginx.value(QStringLiteral("checks")).toArray().size(), 3);
    QCOMPARE(nginx.value(QStringLiteral("status")).toString(), QStringLiteral("healthy"));
}

void TestServe::endpointsKeepSecrets()
{
    const HttpAnswer metrics = httpGet(m_servePort, "/metrics");
    QCOMPARE(metrics.status, 200);
    const HttpAnswer statusAnswer = httpGet(m_servePort, "/status");
    QCOMPARE(statusAnswer.status, 200);
    QVERIFY(!metrics.body.contains(kSecret.toUtf8()));
    QVERIFY(!statusAnswer.body.contains(kSecret.toUtf8()));
    // Not even as the basic-auth header's value.
    QVERIFY(!statusAnswer.body.contains(QByteArray("monitor:" + kSecret.toUtf8()).toBase64()));
    QVERIFY(statusAnswer.body.contains("\"target\": \"this machine: true …\""));
    QCOMPARE(httpGet(m_servePort, "/").status, 404);
    QCOMPARE(httpGet(m_servePort, "/metrics/x").status, 404);
}

// The small server's rules (docs/cli.md, "Endpoints"), spoken to directly.
void TestServe::httpProtocol()
{
    const auto statusLines = [](const QByteArray& raw) {
        QList<int> codes;
        for (qsizetype at = raw.indexOf("HTTP/1.1 "); at >= 0; at = raw.indexOf("HTTP/1.1 ", at + 1))
            codes.append(raw.mid(at + 9, 3).toInt());
        return codes;
    };
    // Keep-alive and pipelining: three requests in one write, three answers in order, then close.
    QByteArray raw = test::tcpExchange(m_servePort,
                                       "GET /status HTTP/1.1\r\nHost: x\r\n\r\n"
                                       "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                                       "GET /nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                       5000, 1000);
    QCOMPARE(statusLines(raw), (QList<int>{200, 200, 404}));
    QVERIFY(raw.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
    QVERIFY(!raw.contains("# TYPE probe_success gauge")); // HEAD: no body
    // Other methods, a body, an oversized head, a bad request line.
    raw = test::tcpExchange(m_servePort, "POST /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QCOMPARE(statusLines(raw), QList<int>{405});
    QVERIFY(raw.contains("Allow: GET, HEAD\r\n"));
    raw = test::tcpExchange(m_servePort, "GET /metrics HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi");
    QCOMPARE(statusLines(raw), QList<int>{413});
    raw = test::tcpExchange(m_servePort, "GET /metrics HTTP/1.1\r\nX-Filler: " + QByteArray(20000, 'a') + "\r\n\r\n");
    QCOMPARE(statusLines(raw), QList<int>{431});
    raw = test::tcpExchange(m_servePort, "GET\r\n\r\n");
    QCOMPARE(statusLines(raw), QList<int>{400});
}

void TestServe::redisDownReachesPrometheus()
{
    m_redis.stop();
    const QHash<QString, QString> down{{QStringLiteral("redis/ping"), QStringLiteral("0")},
                                       {QStringLiteral("worker/ping"), QStringLiteral("0")}};
    QHash<QString, QString> seen;
    QVERIFY2(waitFor(
                 [&] {
                     seen = query(QStringLiteral("probe_success{check=\"ping\"}"));
                     return seen == down;
                 },
                 15000),
             qPrintable(describe(seen) + u'\n' + m_serve->logTail()));
    // Two failures in a row flip the verdict; the redis service is the root cause.
    QVERIFY2(waitFor(
                 [this] {
                     return query(QStringLiteral("okhealth_service_root_cause == 1"))
                         == QHash<QString, QString>{{QStringLiteral("redis/"), QStringLiteral("1")}};
                 },
                 10000),
             qPrintable(m_serve->logTail()));
    QCOMPARE(
        query(QStringLiteral("probe_success{service=\"nginx\",role!=\"info\"}")).value(QStringLiteral("nginx/readyz")),
        QStringLiteral("1"));
}

void TestServe::statusNamesRootCause()
{
    QJsonObject s;
    QVERIFY(waitFor(
        [&] {
            s = status();
            return serviceOf(s, QStringLiteral("worker")).value(QStringLiteral("status")).toString()
                == QLatin1String("unhealthy");
        },
        10000));
    const QJsonObject deployment = s.value(QStringLiteral("deployments")).toArray().at(0).toObject();
    QCOMPARE(deployment.value(QStringLiteral("rootCauses")).toArray(), QJsonArray{QStringLiteral("redis")});
    // Root causes first.
    const QJsonArray services = deployment.value(QStringLiteral("services")).toArray();
    QCOMPARE(services.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("redis"));
    const QJsonObject redis = serviceOf(s, QStringLiteral("redis"));
    QCOMPARE(redis.value(QStringLiteral("conclusion")).toString(), QStringLiteral("restart"));
    QCOMPARE(redis.value(QStringLiteral("rootCause")).toBool(), true);
    const QJsonObject ping = redis.value(QStringLiteral("checks")).toArray().at(0).toObject();
    QCOMPARE(ping.value(QStringLiteral("state")).toString(), QStringLiteral("unhealthy"));
    const QJsonObject latest = ping.value(QStringLiteral("latest")).toObject();
    QCOMPARE(latest.value(QStringLiteral("status")).toString(), QStringLiteral("unhealthy"));
    QVERIFY(!latest.value(QStringLiteral("summary")).toString().isEmpty());
    QVERIFY(!latest.value(QStringLiteral("hint")).toString().isEmpty());
    const QJsonObject worker = serviceOf(s, QStringLiteral("worker"));
    QCOMPARE(worker.value(QStringLiteral("conclusion")).toString(), QStringLiteral("out-of-rotation"));
    QCOMPARE(worker.value(QStringLiteral("causedBy")).toArray(), QJsonArray{QStringLiteral("redis")});
    QCOMPARE(worker.value(QStringLiteral("rootCause")).toBool(), false);
}

// Two writers on one history file would corrupt its incidents and rollups: the second serve
// names the first and stops, and the first keeps serving.
void TestServe::secondWriterIsRefused()
{
    const test::CommandResult second = test::runCommand(
        QStringLiteral(OKHEALTH_CHECK_BINARY),
        {QStringLiteral("serve"), m_dir.filePath(QStringLiteral("deployments.json")), QStringLiteral("--listen"),
         QStringLiteral("127.0.0.1:0"), QStringLiteral("--db"), m_dir.filePath(QStringLiteral("history.db"))},
        10000, childEnvironment());
    QVERIFY2(second.finished, "the second serve kept running");
    QCOMPARE(second.exitCode, 1);
    QVERIFY2(second.standardError.contains(
                 QByteArray("already written by another process (pid " + QByteArray::number(m_serve->pid()) + " ")),
             second.standardError.constData());
    QCOMPARE(httpGet(m_servePort, "/metrics").status, 200);
}

void TestServe::shutdownFlushesHistory()
{
    QVERIFY(m_serve->sendSignal(SIGTERM));
    QVERIFY2(m_serve->waitForExit(std::chrono::seconds(10)), qPrintable(m_serve->logTail()));
    QCOMPARE(m_serve->exitCode(), 0);
    QVERIFY2(m_serve->logTail().contains(QLatin1String("shutting down")), qPrintable(m_serve->logTail()));
    QVERIFY2(m_serve->logTail().contains(QStringLiteral("e2e/redis/ping: healthy → unhealthy")),
             qPrintable(m_serve->logTail()));

    // The results are in the history file: the latest of redis/ping is the failure.
    HistoryStore::Options options;
    options.path = m_dir.filePath(QStringLiteral("history.db"));
    HistoryStore store(options, SystemClock::instance());
    QFuture<QList<LatestResult>> latest = store.latestResults(CheckFilter{kDeployment, QStringLiteral("redis"), {}});
    QTRY_VERIFY_WITH_TIMEOUT(latest.isFinished(), 10000);
    const QList<LatestResult> rows = latest.result();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().check.check, QStringLiteral("ping"));
    QCOMPARE(rows.first().status, ProbeStatus::Unhealthy);
}

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
