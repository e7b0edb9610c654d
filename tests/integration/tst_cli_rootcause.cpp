#include "TestSupport.h"
#include "standin/CeleryWorker.h"
#include "standin/DjangoServer.h"
#include "standin/NginxServer.h"
#include "standin/PostgresServer.h"
#include "standin/RedisServer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace okh;

namespace {

// What `okhealth-check run --format=json` concluded about root causes (docs/cli.md).
struct Causes
{
    QString error;
    QStringList roots; // sorted
    QStringList consequences; // "service<-cause,cause", sorted
    QHash<QString, QString> reasons; // service → causeReason
    QString deploymentCause;
    QString text; // the whole report, for failure messages
};

Causes causesOf(const test::CommandResult& run)
{
    Causes c;
    c.text = QString::fromUtf8(run.standardOutput);
    const QJsonDocument doc = QJsonDocument::fromJson(run.standardOutput);
    if (!doc.isObject()) {
        c.error = QStringLiteral("not JSON: ") + run.describe();
        return c;
    }
    const QJsonObject root = doc.object();
    for (const QJsonValue& v : root.value(QStringLiteral("rootCauses")).toArray())
        c.roots.append(v.toString());
    c.roots.sort();
    c.deploymentCause = root.value(QStringLiteral("deploymentCause")).toString();
    for (const QJsonValue& v : root.value(QStringLiteral("services")).toArray()) {
        const QJsonObject s = v.toObject();
        const QString name = s.value(QStringLiteral("name")).toString();
        QStringList causedBy;
        for (const QJsonValue& by : s.value(QStringLiteral("causedBy")).toArray())
            causedBy.append(by.toString());
        if (!causedBy.isEmpty())
            c.consequences.append(name + u"<-" + causedBy.join(u','));
        if (s.value(QStringLiteral("rootCause")).toBool() != c.roots.contains(name))
            c.error = name + QStringLiteral(": rootCause disagrees with rootCauses");
        c.reasons.insert(name, s.value(QStringLiteral("causeReason")).toString());
    }
    c.consequences.sort();
    return c;
}

// The text of the first <failure> of each testsuite of a JUnit report, by suite name.
QHash<QString, QString> junitFailures(const QByteArray& xml)
{
    QHash<QString, QString> failures;
    QXmlStreamReader reader(xml);
    QString suite;
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (reader.name() == QLatin1String("testsuite"))
            suite = reader.attributes().value(QStringLiteral("name")).toString();
        else if (reader.name() == QLatin1String("failure") && !failures.contains(suite))
            failures.insert(suite, reader.readElementText());
    }
    if (reader.hasError())
        failures.insert(QStringLiteral("error"), reader.errorString());
    return failures;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

// Root causes from evidence (docs/engine.md, "Services and root causes") on real servers: the
// openklant profile pointed at a Django on PostgreSQL and Redis, nginx in front of it and a
// Celery worker, with services stopped, frozen or misconfigured one scenario after another.
// The scenarios build on each other (a stopped server would come back on another port).
class TestCliRootCause : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!test::DjangoServer::isAvailable(&why))
            QSKIP(qPrintable(why));
        if (!test::CeleryWorker::isAvailable(&why))
            QSKIP(qPrintable(why));
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_django.startWithBackends(m_redis, m_postgres), qPrintable(m_django.errorString()));
        QVERIFY2(m_nginx.start(m_django.port()), qPrintable(m_nginx.errorString()));
        test::CeleryWorker::Options worker;
        worker.brokerUrl = m_redis.url();
        QVERIFY2(m_worker.start(worker), qPrintable(m_worker.errorString()));
        m_livenessFile = m_worker.livenessFile();
        m_readinessFile = m_worker.readinessFile();
        m_webPort = m_django.port();
        m_ports = {m_nginx.port(), m_redis.port(), m_postgres.port()};
    }

    void healthyHasNoCause()
    {
        const Causes c = run();
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        QVERIFY2(c.roots.isEmpty(), qPrintable(c.text));
        QVERIFY2(c.deploymentCause.isEmpty(), qPrintable(c.text));
    }

    // SIGSTOP: the broker works, the worker neither answers ping nor touches its file.
    void frozenWorkerIsItsOwnRoot()
    {
        QVERIFY(m_worker.freeze());
        const Causes c = run();
        QVERIFY(m_worker.thaw());
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        QCOMPARE(c.roots, QStringList{QStringLiteral("celery")});
        QVERIFY2(c.consequences.isEmpty(), qPrintable(c.text));
        QVERIFY2(c.reasons.value(QStringLiteral("celery")).startsWith(QLatin1String("ping: ")), qPrintable(c.text));
    }

    // A second site whose database login fails while pg_isready (the monitor's check) passes.
    void wrongDatabasePasswordIsWebsOwn()
    {
        QVERIFY2(m_postgres.addPasswordRole(QStringLiteral("okh_web"), QStringLiteral("right-Pw1")),
                 qPrintable(m_postgres.errorString()));
        test::DjangoServer misconfigured;
        test::DjangoServer::Options options;
        options.redisUrl = m_redis.url();
        options.postgresPort = m_postgres.port();
        options.databaseUser = QStringLiteral("okh_web");
        options.databasePassword = QStringLiteral("wrong-Pw2");
        options.migrate = false; // it could not log in to migrate
        QVERIFY2(misconfigured.start(options), qPrintable(misconfigured.errorString()));

        const Causes c = run(misconfigured.port());
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        QCOMPARE(c.roots, QStringList{QStringLiteral("web")});
        const QString reason = c.reasons.value(QStringLiteral("web"));
        QVERIFY2(reason.contains(QLatin1String("names DatabaseBackend")), qPrintable(c.text));
        QVERIFY2(reason.contains(QLatin1String("but db answers the monitor: check web's credentials")),
                 qPrintable(c.text));
        QVERIFY2(!c.text.contains(QLatin1String("wrong-Pw2")), "the site's password is nobody's business");
    }

    // nginx answers; its proxied readyz gets 502 from a web that does not listen.
    void webDownMakesNginxItsConsequence()
    {
        m_django.stop();
        const Causes c = run();
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        QCOMPARE(c.roots, QStringList{QStringLiteral("web")});
        QCOMPARE(c.consequences, QStringList{QStringLiteral("nginx<-web")});
        QVERIFY2(c.reasons.value(QStringLiteral("web"))
                     .contains(QStringLiteral("not answering on 127.0.0.1:%1").arg(m_webPort)),
                 qPrintable(c.text));
        QVERIFY2(c.reasons.value(QStringLiteral("nginx")).contains(QLatin1String("HTTP 502 from the proxy")),
                 qPrintable(c.text));
    }

    // db stopped too: web, whose own port refuses, is no consequence of it.
    void dbAndWebDown()
    {
        m_postgres.stop();
        const Causes c = run();
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        QCOMPARE(c.roots, sorted({QStringLiteral("db"), QStringLiteral("web")}));
        QCOMPARE(c.consequences, QStringList{QStringLiteral("nginx<-web")});
        QVERIFY2(c.deploymentCause.isEmpty(), qPrintable(c.text)); // nginx and the worker answer
    }

    // redis stopped as well: the worker's ping cannot reach its broker, so it is redis's.
    void redisAndWebDown()
    {
        m_redis.stop();
        const Causes c = run();
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        QCOMPARE(c.roots, sorted({QStringLiteral("db"), QStringLiteral("redis"), QStringLiteral("web")}));
        QCOMPARE(c.consequences, sorted({QStringLiteral("celery<-redis"), QStringLiteral("nginx<-web")}));
        QVERIFY2(c.reasons.value(QStringLiteral("celery")).contains(QLatin1String("cannot reach the broker")),
                 qPrintable(c.text));
        const test::CommandResult text
            = test::runCommand(binary(), {QStringLiteral("run"), writeFile(m_webPort)}, 60000, test::cliEnvironment());
        const QString report = QString::fromUtf8(text.standardOutput);
        QVERIFY2(report.section(u'\n', 1, 1).startsWith(QLatin1String("root cause: web (not answering on")),
                 qPrintable(report));
        QVERIFY2(report.contains(QStringLiteral("  nginx: consequence of web — readyz: HTTP 502 from the proxy")),
                 qPrintable(report));

        // JUnit: each failure's text starts with its service's place in the analysis.
        const test::CommandResult junit = test::runCommand(
            binary(), {QStringLiteral("run"), writeFile(m_webPort), QStringLiteral("--format=junit")}, 60000,
            test::cliEnvironment());
        const QHash<QString, QString> failures = junitFailures(junit.standardOutput);
        QVERIFY2(failures.value(QStringLiteral("causes.web")).startsWith(QLatin1String("root cause: not answering on")),
                 qPrintable(junit.describe()));
        QVERIFY2(failures.value(QStringLiteral("causes.nginx"))
                     .startsWith(QLatin1String("consequence of web: readyz: HTTP 502 from the proxy\n")),
                 qPrintable(junit.describe()));
        QVERIFY2(failures.value(QStringLiteral("causes.celery")).startsWith(QLatin1String("consequence of redis: ")),
                 qPrintable(junit.describe()));
    }

    // Everything stopped (the worker gracefully: its files are gone): the deployment is the cause.
    void everythingDown()
    {
        QVERIFY(m_worker.stop());
        m_nginx.stop();
        const Causes c = run();
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        QVERIFY2(c.deploymentCause.startsWith(QLatin1String("nothing answers on 127.0.0.1: is the deployment running")),
                 qPrintable(c.text));
        QVERIFY2(c.roots.contains(QStringLiteral("nginx")) && c.roots.contains(QStringLiteral("web")),
                 qPrintable(c.text));
    }

private:
    static QString binary() { return QStringLiteral(OKHEALTH_CHECK_BINARY); }

    Causes run(quint16 webPort = 0)
    {
        const QString file = writeFile(webPort ? webPort : m_webPort);
        const test::CommandResult result = test::runCommand(
            binary(), {QStringLiteral("run"), file, QStringLiteral("--format=json")}, 60000, test::cliEnvironment());
        if (result.exitCode != 0 && result.exitCode != 1) {
            Causes c;
            c.error = result.describe();
            return c;
        }
        return causesOf(result);
    }

    // The openklant profile on this test's servers; Flower, which it has none of, is left out.
    QString writeFile(quint16 webPort)
    {
        const auto endpoint = [](quint16 port) {
            return QJsonObject{{QStringLiteral("host"), QStringLiteral("127.0.0.1")}, {QStringLiteral("port"), port}};
        };
        QJsonObject web = endpoint(webPort);
        web.insert(QStringLiteral("hostHeader"), QStringLiteral("localhost"));
        QJsonObject db = endpoint(m_ports[2]);
        db.insert(QStringLiteral("user"), QStringLiteral("postgres"));
        db.insert(QStringLiteral("database"), QStringLiteral("okhealth"));
        const QJsonObject services{
            {QStringLiteral("web"), web},
            {QStringLiteral("nginx"), endpoint(m_ports[0])},
            {QStringLiteral("redis"),
             QJsonObject{{QStringLiteral("url"), QStringLiteral("redis://127.0.0.1:%1/0").arg(m_ports[1])}}},
            {QStringLiteral("db"), db},
            {QStringLiteral("celery"),
             QJsonObject{{QStringLiteral("exec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("local")}}},
                         {QStringLiteral("workerName"), m_worker.nodeName()},
                         {QStringLiteral("livenessFile"), m_livenessFile},
                         {QStringLiteral("readinessFile"), m_readinessFile}}},
        };
        const QJsonObject deployment{
            {QStringLiteral("name"), QStringLiteral("causes")},
            {QStringLiteral("connection"), QJsonObject{{QStringLiteral("type"), QStringLiteral("direct")}}},
            {QStringLiteral("profile"),
             QJsonObject{{QStringLiteral("name"), QStringLiteral("openklant")},
                         {QStringLiteral("services"), services},
                         {QStringLiteral("exclude"), QJsonArray{QStringLiteral("celery-flower")}}}}};
        const QString path = m_dir.filePath(QStringLiteral("deployment.json"));
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        out.write(QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                            {QStringLiteral("deployments"), QJsonArray{deployment}}})
                      .toJson());
        return path;
    }

    QTemporaryDir m_dir{QStringLiteral("/tmp/okh-rootcause-XXXXXX")};
    test::RedisServer m_redis;
    test::PostgresServer m_postgres;
    test::DjangoServer m_django;
    test::NginxServer m_nginx;
    test::CeleryWorker m_worker;
    quint16 m_webPort = 0;
    QList<quint16> m_ports; // nginx, redis, db: kept, as stopped servers are checked too
    QString m_livenessFile;
    QString m_readinessFile;
};

QTEST_GUILESS_MAIN(TestCliRootCause)
#include "tst_cli_rootcause.moc"
