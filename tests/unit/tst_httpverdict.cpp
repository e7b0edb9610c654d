#include "probes/HttpBody.h"
#include "probes/HttpVerdict.h"

#include <QTest>

using namespace okh;

namespace {

HttpTarget target(HttpTarget::Expectation expect = HttpTarget::Expectation::Success)
{
    HttpTarget t;
    t.url = QUrl(QStringLiteral("http://web:8000/_healthz/readyz/"));
    t.expect = expect;
    return t;
}

} // namespace

class TestHttpVerdict : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void body_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<bool>("healthJson");
        QTest::addColumn<QStringList>("failing");
        QTest::addColumn<QString>("title");

        QTest::newRow("django-health-check 3.x all working")
            << QByteArray(R"({"Cache backend: default": "working", "DatabaseBackend": "working"})")
            << QByteArray("application/json") << true << QStringList() << QString();
        QTest::newRow("3.x database down")
            << QByteArray(R"({"Cache backend: default": "working", "DatabaseBackend": "unavailable: Database error"})")
            << QByteArray("application/json") << true << QStringList{QStringLiteral("DatabaseBackend")} << QString();
        QTest::newRow("4.x OK labels") << QByteArray(R"x({"Database(alias='default')": "OK", "Cache": "error"})x")
                                       << QByteArray("application/json") << true << QStringList{QStringLiteral("Cache")}
                                       << QString();
        QTest::newRow("livez empty object")
            << QByteArray("{}") << QByteArray("application/json") << true << QStringList() << QString();
        QTest::newRow("nested JSON is not the flat format")
            << QByteArray(R"({"checks": {"db": "ok"}})") << QByteArray("application/json") << false << QStringList()
            << QString();
        QTest::newRow("django 500 page") << QByteArray(
            "<!doctype html><html lang=\"en\"><head><title>Server Error (500)</title></head>"
            "<body><h1>Server Error (500)</h1><p></p></body></html>")
                                         << QByteArray("text/html") << false << QStringList()
                                         << QStringLiteral("Server Error (500)");
        QTest::newRow("nginx 502 page") << QByteArray(
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
            "Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>")
                                        << QByteArray("text/html") << false << QStringList()
                                        << QStringLiteral("502 Bad Gateway");
        QTest::newRow("plain ok") << QByteArray("ok\n") << QByteArray("text/plain") << false << QStringList()
                                  << QString();
    }
    void body()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(bool, healthJson);
        QFETCH(QStringList, failing);
        QFETCH(QString, title);
        const HttpBody parsed = HttpBody::parse(body, contentType);
        QCOMPARE(parsed.isHealthJson(), healthJson);
        QStringList names;
        for (const auto& c : parsed.failingComponents())
            names.append(c.name);
        QCOMPARE(names, failing);
        QCOMPARE(parsed.title(), title);
        QVERIFY(!parsed.excerpt().contains(u'<'));
    }

    void response_data()
    {
        QTest::addColumn<int>("expect");
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("server");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("summaryPart");
        QTest::addColumn<QString>("hintPart");

        const int success = int(HttpTarget::Expectation::Success);
        const int denied = int(HttpTarget::Expectation::Denied);
        const int healthy = int(ProbeStatus::Healthy);
        const int unhealthy = int(ProbeStatus::Unhealthy);
        const QByteArray djangoDbDown(R"({"Cache backend: default": "working", "DatabaseBackend": "unavailable: x"})");

        QTest::newRow("200") << success << 200 << QByteArray() << QByteArray("{}") << healthy
                             << QStringLiteral("HTTP 200") << QString();
        QTest::newRow("302 is success, Location reported") << success << 302 << QByteArray() << QByteArray() << healthy
                                                           << QStringLiteral("redirects to /login/") << QString();
        QTest::newRow("399 edge") << success << 399 << QByteArray() << QByteArray() << healthy
                                  << QStringLiteral("HTTP 399") << QString();
        QTest::newRow("400 from django: ALLOWED_HOSTS")
            << success << 400 << QByteArray() << QByteArray("<!doctype html><h1>Bad Request (400)</h1>") << unhealthy
            << QStringLiteral("HTTP 400") << QStringLiteral("ALLOWED_HOSTS");
        QTest::newRow("403 from nginx: allow/deny")
            << success << 403 << QByteArray("nginx/1.22.1") << QByteArray("<center>nginx</center>") << unhealthy
            << QStringLiteral("403") << QStringLiteral("allow/deny");
        QTest::newRow("404 wrong path") << success << 404 << QByteArray() << QByteArray() << unhealthy
                                        << QStringLiteral("404") << QStringLiteral("Wrong path");
        QTest::newRow("500 names the failing component")
            << success << 500 << QByteArray() << djangoDbDown << unhealthy << QStringLiteral("DatabaseBackend")
            << QStringLiteral("dependency check fails");
        QTest::newRow("502 from nginx: backend down")
            << success << 502 << QByteArray("nginx") << QByteArray("<title>502 Bad Gateway</title>") << unhealthy
            << QStringLiteral("502") << QStringLiteral("backend");
        QTest::newRow("504 from nginx: backend slow")
            << success << 504 << QByteArray("nginx") << QByteArray() << unhealthy << QStringLiteral("504")
            << QStringLiteral("in time");
        QTest::newRow("denied: 403 is healthy") << denied << 403 << QByteArray("nginx") << QByteArray() << healthy
                                                << QStringLiteral("not exposed") << QString();
        QTest::newRow("denied: 401 is healthy")
            << denied << 401 << QByteArray() << QByteArray() << healthy << QStringLiteral("not exposed") << QString();
        QTest::newRow("denied: 200 is exposed") << denied << 200 << QByteArray() << QByteArray() << unhealthy
                                                << QStringLiteral("exposed") << QStringLiteral("127.0.0.1");
        QTest::newRow("denied: 500 is exposed too")
            << denied << 500 << QByteArray() << QByteArray() << unhealthy << QStringLiteral("exposed") << QString();
    }
    void response()
    {
        QFETCH(int, expect);
        QFETCH(int, code);
        QFETCH(QByteArray, server);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, summaryPart);
        QFETCH(QString, hintPart);
        HttpVerdict::Response r;
        r.statusCode = code;
        r.server = server;
        r.body = body;
        r.contentType = body.startsWith('{') ? QByteArray("application/json") : QByteArray("text/html");
        if (code == 302)
            r.location = "/login/";
        const ProbeResult result = HttpVerdict::fromResponse(target(HttpTarget::Expectation(expect)), r);
        QCOMPARE(int(result.status), status);
        QVERIFY2(result.summary.contains(summaryPart), qPrintable(result.summary));
        if (hintPart.isEmpty())
            QVERIFY2(result.hint.isEmpty() || result.status != ProbeStatus::Healthy, qPrintable(result.hint));
        else
            QVERIFY2(result.hint.contains(hintPart), qPrintable(result.hint));
        QCOMPARE(result.detail(QStringLiteral("status")), QString::number(code));
    }

    void componentsBecomeDetails()
    {
        HttpVerdict::Response r;
        r.statusCode = 500;
        r.contentType = "application/json";
        r.body = R"({"Cache backend: default": "working", "DatabaseBackend": "unavailable: Database error"})";
        const ProbeResult result = HttpVerdict::fromResponse(target(), r);
        QCOMPARE(result.detail(QStringLiteral("component: DatabaseBackend")),
                 QStringLiteral("unavailable: Database error"));
        QCOMPARE(result.detail(QStringLiteral("component: Cache backend: default")), QStringLiteral("working"));
    }

    void headersOnlyOfAFailingAnswer_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<bool>("kept");
        QTest::newRow("200 keeps none") << 200 << false;
        QTest::newRow("500 keeps them") << 500 << true;
        QTest::newRow("404 keeps them") << 404 << true;
    }
    void headersOnlyOfAFailingAnswer()
    {
        QFETCH(int, code);
        QFETCH(bool, kept);
        HttpVerdict::Response r;
        r.statusCode = code;
        r.server = "nginx/1.22.1";
        r.headers = {{"Server", "nginx/1.22.1"}, {"Content-Type", "text/html"}, {"X-Frame-Options", "DENY"}};
        for (int i = 0; i < HttpVerdict::MaxHeaders + 5; ++i)
            r.headers.append({"X-Extra-" + QByteArray::number(i), QByteArray(300, 'v')});
        const ProbeResult result = HttpVerdict::fromResponse(target(), r);
        QCOMPARE(result.detail(QStringLiteral("header: Content-Type")), kept ? QStringLiteral("text/html") : QString());
        QCOMPARE(result.detail(QStringLiteral("header: Server")), QString()); // "server" has it
        QCOMPARE(result.detail(QStringLiteral("server")), QStringLiteral("nginx/1.22.1"));
        qsizetype headers = 0;
        for (const ProbeDetail& d : result.details) {
            if (d.key.startsWith(QLatin1String("header: "))) {
                ++headers;
                QVERIFY2(d.value.size() <= 201, qPrintable(d.key));
            }
        }
        QCOMPARE(headers, kept ? HttpVerdict::MaxHeaders : 0);
    }

    void networkErrors_data()
    {
        QTest::addColumn<int>("expect");
        QTest::addColumn<int>("error");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("summaryPart");
        const int success = int(HttpTarget::Expectation::Success);
        const int denied = int(HttpTarget::Expectation::Denied);
        QTest::newRow("refused") << success << int(QNetworkReply::ConnectionRefusedError) << int(ProbeStatus::Unhealthy)
                                 << QStringLiteral("refused");
        QTest::newRow("dns is the monitor's trouble") << success << int(QNetworkReply::HostNotFoundError)
                                                      << int(ProbeStatus::Unknown) << QStringLiteral("resolve");
        QTest::newRow("tls") << success << int(QNetworkReply::SslHandshakeFailedError) << int(ProbeStatus::Unhealthy)
                             << QStringLiteral("TLS");
        QTest::newRow("closed") << success << int(QNetworkReply::RemoteHostClosedError) << int(ProbeStatus::Unhealthy)
                                << QStringLiteral("closed");
        QTest::newRow("denied: refused is not exposed") << denied << int(QNetworkReply::ConnectionRefusedError)
                                                        << int(ProbeStatus::Healthy) << QStringLiteral("not exposed");
    }
    void networkErrors()
    {
        QFETCH(int, expect);
        QFETCH(int, error);
        QFETCH(int, status);
        QFETCH(QString, summaryPart);
        const ProbeResult r = HttpVerdict::fromNetworkError(target(HttpTarget::Expectation(expect)),
                                                            QNetworkReply::NetworkError(error), QStringLiteral("x"));
        QCOMPARE(int(r.status), status);
        QVERIFY2(r.summary.contains(summaryPart), qPrintable(r.summary));
        QVERIFY2(r.summary.contains(QStringLiteral("web:8000")) || r.status == ProbeStatus::Healthy,
                 qPrintable(r.summary));
    }
};

QTEST_GUILESS_MAIN(TestHttpVerdict)
#include "tst_httpverdict.moc"
