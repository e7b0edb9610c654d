#include "GarbagePeer.h"
#include "ProbeRunner.h"
#include "SilentPeer.h"
#include "TestSupport.h"
#include "probes/HttpProbe.h"
#include "standin/DjangoServer.h"
#include "standin/NginxServer.h"
#include "standin/PostgresServer.h"
#include "standin/RedisServer.h"

#include <QNetworkAccessManager>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

// The HTTP probe against a real Django on django-health-check (with its PostgreSQL and Redis)
// and a real nginx configured with the seed's health locations.
class TestHttpProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!test::DjangoServer::isAvailable(&why))
            QFAIL(qPrintable(why));
        QVERIFY2(m_django.startWithBackends(m_redis, m_postgres), qPrintable(m_django.errorString()));
        QVERIFY2(m_nginx.start(m_django.port()), qPrintable(m_nginx.errorString()));
    }

    void endpoints_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("hostHeader");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("hintPart");
        QTest::addColumn<QStringList>("components");

        const int healthy = int(ProbeStatus::Healthy);
        const int unhealthy = int(ProbeStatus::Unhealthy);
        const QStringList ready{QStringLiteral("Cache backend: default"), QStringLiteral("DatabaseBackend")};
        QTest::newRow("web livez runs no checks")
            << QStringLiteral("django") << QStringLiteral("/_healthz/livez/") << QString() << healthy
            << QStringLiteral("200") << QString() << QStringList();
        QTest::newRow("web readyz: cache + database")
            << QStringLiteral("django") << QStringLiteral("/_healthz/readyz/") << QString() << healthy
            << QStringLiteral("200") << QString() << ready;
        QTest::newRow("web healthz: every check")
            << QStringLiteral("django") << QStringLiteral("/_healthz/") << QString() << healthy << QStringLiteral("200")
            << QString()
            << QStringList{QStringLiteral("Cache backend: default"), QStringLiteral("DatabaseBackend"),
                           QStringLiteral("MigrationsHealthCheck")};
        QTest::newRow("missing slash: redirect reported, not followed")
            << QStringLiteral("django") << QStringLiteral("/_healthz") << QString() << healthy << QStringLiteral("301")
            << QString() << QStringList();
        QTest::newRow("wrong path: 404 hint")
            << QStringLiteral("django") << QStringLiteral("/_health/readyz/") << QString() << unhealthy
            << QStringLiteral("404") << QStringLiteral("Wrong path") << QStringList();
        QTest::newRow("unknown Host: Django's 400 and the ALLOWED_HOSTS hint")
            << QStringLiteral("django") << QStringLiteral("/_healthz/livez/") << QStringLiteral("okh.example.org")
            << unhealthy << QStringLiteral("400") << QStringLiteral("ALLOWED_HOSTS") << QStringList();
        QTest::newRow("nginx static livez")
            << QStringLiteral("nginx") << QStringLiteral("/_healthz/livez/") << QString() << healthy
            << QStringLiteral("200") << QString() << QStringList();
        QTest::newRow("nginx smart readiness proxies to web")
            << QStringLiteral("nginx") << QStringLiteral("/_healthz/readyz/") << QString() << healthy
            << QStringLiteral("200") << QString() << ready;
        QTest::newRow("nginx deny: 403 hint")
            << QStringLiteral("nginx") << QStringLiteral("/denied/") << QString() << unhealthy << QStringLiteral("403")
            << QStringLiteral("allow/deny") << QStringList();
    }
    void endpoints()
    {
        QFETCH(QString, server);
        QFETCH(QString, path);
        QFETCH(QString, hostHeader);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, hintPart);
        QFETCH(QStringList, components);

        HttpTarget target;
        const QString base = server == QLatin1String("nginx") ? m_nginx.baseUrl() : m_django.baseUrl();
        target.url = QUrl(base + path);
        target.hostHeader = hostHeader;
        const ProbeResult r = probe(target, 5s);
        QVERIFY2(int(r.status) == status, qPrintable(r.summary + u" / " + r.hint));
        QCOMPARE(r.detail(QStringLiteral("status")), code);
        if (!hintPart.isEmpty())
            QVERIFY2(r.hint.contains(hintPart), qPrintable(r.hint));
        for (const QString& c : components)
            QCOMPARE(r.detail(QStringLiteral("component: ") + c), QStringLiteral("working"));
        if (code == QLatin1String("301"))
            QVERIFY2(r.detail(QStringLiteral("location")).endsWith(QLatin1String("/_healthz/")),
                     qPrintable(r.detail(QStringLiteral("location"))));
    }

    // Database down: readyz answers 500 and the report names the failing component; nginx's
    // smart readiness passes the 500 through.
    void databaseDownNamesTheComponent()
    {
        test::RedisServer redis;
        test::PostgresServer postgres;
        test::DjangoServer django;
        QVERIFY2(django.startWithBackends(redis, postgres), qPrintable(django.errorString()));
        postgres.stop();

        HttpTarget target;
        target.url = QUrl(django.baseUrl() + QStringLiteral("/_healthz/readyz/"));
        const ProbeResult r = probe(target, 5s);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QCOMPARE(r.detail(QStringLiteral("status")), QStringLiteral("500"));
        QVERIFY2(r.summary.contains(QStringLiteral("DatabaseBackend")), qPrintable(r.summary));
        QVERIFY(r.detail(QStringLiteral("component: DatabaseBackend")).startsWith(QLatin1String("unavailable")));
        QCOMPARE(r.detail(QStringLiteral("component: Cache backend: default")), QStringLiteral("working"));
        QVERIFY2(r.hint.contains(QStringLiteral("dependency")), qPrintable(r.hint));
        // The failing answer keeps the headers Django sent, for the failure view.
        QVERIFY2(r.detail(QStringLiteral("header: Content-Type")).startsWith(QLatin1String("application/json")),
                 qPrintable(r.detail(QStringLiteral("header: Content-Type"))));

        target.url = QUrl(django.baseUrl() + QStringLiteral("/_healthz/livez/"));
        QCOMPARE(probe(target, 5s).status, ProbeStatus::Healthy);
    }

    void backendDownBehindNginx()
    {
        test::NginxServer nginx;
        const quint16 nothing = test::freePort();
        QVERIFY2(nginx.start(nothing), qPrintable(nginx.errorString()));
        HttpTarget target;
        target.url = QUrl(nginx.baseUrl() + QStringLiteral("/_healthz/readyz/"));
        const ProbeResult r = probe(target, 5s);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QCOMPARE(r.detail(QStringLiteral("status")), QStringLiteral("502"));
        QVERIFY2(r.hint.contains(QStringLiteral("backend")), qPrintable(r.hint));
        // The static locations do not depend on the backend.
        target.url = QUrl(nginx.baseUrl() + QStringLiteral("/_healthz/livez/"));
        QCOMPARE(probe(target, 5s).status, ProbeStatus::Healthy);
    }

    void allowedHostsWithoutLocalhost()
    {
        test::DjangoServer django;
        test::DjangoServer::Options options{m_redis.url(), m_postgres.port()};
        options.allowedHosts = QStringLiteral("openklant.example.org");
        options.migrate = false;
        QVERIFY2(django.start(options), qPrintable(django.errorString()));
        HttpTarget target;
        target.url = QUrl(django.baseUrl() + QStringLiteral("/_healthz/livez/"));
        ProbeResult r = probe(target, 5s);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QCOMPARE(r.detail(QStringLiteral("status")), QStringLiteral("400"));
        QVERIFY2(r.hint.contains(QStringLiteral("ALLOWED_HOSTS")) && r.hint.contains(QStringLiteral("127.0.0.1")),
                 qPrintable(r.hint));
        // What the Helm chart does: send an explicit Host header.
        target.hostHeader = QStringLiteral("openklant.example.org");
        r = probe(target, 5s);
        QCOMPARE(r.status, ProbeStatus::Healthy);
    }

    void exposure_data()
    {
        QTest::addColumn<int>("access");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("summaryPart");
        QTest::newRow("health paths rejected from here: not exposed")
            << int(test::NginxServer::HealthAccess::LoopbackRejected) << int(ProbeStatus::Healthy)
            << QStringLiteral("not exposed");
        // The documented snippet: `return 200` runs before allow/deny, so it answers everyone.
        QTest::newRow("the documented snippet answers everyone: exposed")
            << int(test::NginxServer::HealthAccess::OtherAllowedOnly) << int(ProbeStatus::Unhealthy)
            << QStringLiteral("exposed");
    }
    void exposure()
    {
        QFETCH(int, access);
        QFETCH(int, status);
        QFETCH(QString, summaryPart);
        test::NginxServer nginx;
        test::NginxServer::Options options;
        options.healthAccess = test::NginxServer::HealthAccess(access);
        QVERIFY2(nginx.start(m_django.port(), options), qPrintable(nginx.errorString()));
        HttpTarget target;
        target.url = QUrl(nginx.baseUrl() + QStringLiteral("/_healthz/livez/"));
        target.expect = HttpTarget::Expectation::Denied;
        const ProbeResult r = probe(target, 5s);
        QVERIFY2(int(r.status) == status, qPrintable(r.summary));
        QVERIFY2(r.summary.contains(summaryPart), qPrintable(r.summary));
        if (r.status == ProbeStatus::Unhealthy)
            QVERIFY2(r.hint.contains(QStringLiteral("rewrite phase")), qPrintable(r.hint));
    }

    // A self-signed certificate is refused, and the hint says why; plain HTTP to a TLS port
    // gets nginx's own 400 ("plain HTTP request was sent to HTTPS port").
    void tls()
    {
        test::NginxServer nginx;
        test::NginxServer::Options options;
        options.tls = true;
        QVERIFY2(nginx.start(test::freePort(), options), qPrintable(nginx.errorString()));
        HttpTarget target;
        target.url = QUrl(nginx.baseUrl() + QStringLiteral("/_healthz/livez/"));
        ProbeResult r = probe(target, 5s);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QVERIFY2(r.summary.contains(QStringLiteral("TLS")), qPrintable(r.summary));
        QVERIFY2(r.hint.contains(QStringLiteral("certificate")), qPrintable(r.hint));

        target.url.setScheme(QStringLiteral("http"));
        r = probe(target, 5s);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QCOMPARE(r.detail(QStringLiteral("status")), QStringLiteral("400"));
        QVERIFY2(r.hint.contains(QStringLiteral("https://")), qPrintable(r.hint));
    }

    void refusedAndUnresolvable_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("summaryPart");
        QTest::newRow("refused") << QStringLiteral("http://127.0.0.1:%1/_healthz/livez/").arg(test::freePort())
                                 << int(ProbeStatus::Unhealthy) << QStringLiteral("refused");
        QTest::newRow("name does not resolve: the monitor's trouble")
            << QStringLiteral("http://no-such-host.invalid/_healthz/") << int(ProbeStatus::Unknown)
            << QStringLiteral("resolve");
        QTest::newRow("not http") << QStringLiteral("ftp://127.0.0.1/") << int(ProbeStatus::Unknown)
                                  << QStringLiteral("invalid URL");
    }
    void refusedAndUnresolvable()
    {
        QFETCH(QString, url);
        QFETCH(int, status);
        QFETCH(QString, summaryPart);
        HttpTarget target;
        target.url = QUrl(url);
        const ProbeResult r = probe(target, 3s);
        QVERIFY2(int(r.status) == status, qPrintable(r.summary));
        QVERIFY2(r.summary.contains(summaryPart), qPrintable(r.summary));
    }

    // A peer that accepts and never answers: the probe gives up at its timeout, within 50 ms.
    void timeoutIsHonoured()
    {
        test::SilentPeer silent;
        QVERIFY2(silent.start(), qPrintable(silent.errorString()));
        HttpTarget target;
        target.url = QUrl(QStringLiteral("http://127.0.0.1:%1/_healthz/livez/").arg(silent.port()));
        const ProbeResult r = probe(target, 400ms);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QCOMPARE(r.detail(QStringLiteral("phase")), QStringLiteral("response"));
        QVERIFY2(r.latencyMs >= 400.0 && r.latencyMs < 450.0, qPrintable(QString::number(r.latencyMs)));
    }

    void bodyReadIsCapped()
    {
        const QByteArray body(1024 * 1024, 'x');
        test::GarbagePeer peer("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: "
                               + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY2(peer.start(), qPrintable(peer.errorString()));
        HttpTarget target;
        target.url = QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(peer.port()));
        const ProbeResult r = probe(target, 5s);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QCOMPARE(r.detail(QStringLiteral("status")), QStringLiteral("500"));
        QCOMPARE(r.detail(QStringLiteral("body truncated")), QStringLiteral("64 KiB"));
        QVERIFY(r.detail(QStringLiteral("body")).size() <= 200);
    }

private:
    ProbeResult probe(const HttpTarget& target, std::chrono::milliseconds timeout)
    {
        HttpProbe p(target, timeout, &m_network);
        return test::runProbe(p);
    }

    QNetworkAccessManager m_network;
    test::RedisServer m_redis;
    test::PostgresServer m_postgres;
    test::DjangoServer m_django;
    test::NginxServer m_nginx;
};

QTEST_GUILESS_MAIN(TestHttpProbe)
#include "tst_httpprobe.moc"
