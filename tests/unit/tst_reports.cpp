#include "report/HtmlReport.h"
#include "report/JunitReport.h"
#include "report/MarkdownReport.h"
#include "report/TextReport.h"
#include "translations/Catalogues.h"

#include <QTest>
#include <QXmlStreamReader>

using namespace okh;

namespace {

CheckSpec check(const QString& name, CheckRole role, ProbeTarget target)
{
    CheckSpec spec;
    spec.name = name;
    spec.role = role;
    spec.target = std::move(target);
    return spec;
}

// redis refuses connections; web's readyz names the cache it cannot reach (a consequence of
// redis); db is fine. The redis target carries a password that no report may show.
RunReport redisDownReport()
{
    RedisTarget redis;
    redis.host = QStringLiteral("cache");
    redis.password = QStringLiteral("hunter2");
    HttpTarget readyz;
    readyz.url = QUrl(QStringLiteral("http://web:8000/_healthz/readyz/"));

    RunReport report;
    report.deployment = QStringLiteral("acceptance");
    report.startedAt = QDateTime(QDate(2026, 12, 7), QTime(10, 30, 5), Qt::UTC);
    report.durationMs = 1234;
    ServiceOutcome web{QStringLiteral("web"),
                       QStringLiteral("web"),
                       {QStringLiteral("redis"), QStringLiteral("db")},
                       {{QStringLiteral("Cache backend"), QStringLiteral("redis")}},
                       {}};
    ProbeResult failing = ProbeResult::unhealthy(QStringLiteral("HTTP 500 | <script>alert(1)</script>"),
                                                 QStringLiteral("Look at the components that fail."));
    failing.details = {{QStringLiteral("status"), QStringLiteral("500")},
                       {QStringLiteral("component: Cache backend: default"), QStringLiteral("unavailable")}};
    failing.failure = FailureKind::Answered;
    failing.latencyMs = 12.5;
    web.checks = {{check(QStringLiteral("readyz"), CheckRole::Readiness, readyz), failing}};
    ServiceOutcome cache{QStringLiteral("redis"), QStringLiteral("redis"), {}, {}, {}};
    ProbeResult refused = ProbeResult::unhealthy(QStringLiteral("connection refused"));
    refused.failure = FailureKind::Refused;
    cache.checks = {{check(QStringLiteral("ping"), CheckRole::Readiness, redis), refused}};
    ServiceOutcome db{QStringLiteral("db"), QStringLiteral("postgresql"), {}, {}, {}};
    ProbeResult ok = ProbeResult::healthy(QStringLiteral("accepting connections"));
    ok.latencyMs = 1.5;
    db.checks = {{check(QStringLiteral("pg_isready"), CheckRole::Readiness, PostgresTarget{}), ok}};
    report.services = {web, cache, db};
    return report;
}

} // namespace

// The Markdown and HTML reports (release tickets): the verdict and the root cause first, the
// root-cause service's table before the others, failures with their facts, nothing unescaped,
// no password.
class TestReports : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // The English catalogue words the plurals ("2 checks", not "2 check(s)").
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        installTranslations();
    }

    void markdown()
    {
        const QString md = QString::fromUtf8(MarkdownReport::render(redisDownReport()));
        QVERIFY2(md.startsWith(QStringLiteral("# Smoke check acceptance: UNHEALTHY — 2 checks failing\n\n"
                                              "2026-12-07 10:30:05 UTC · 3 checks in 1.234 s\n\n"
                                              "**root cause: redis")),
                 qPrintable(md));
        // redis (the root cause) is listed before web, which comes before db in the file.
        const qsizetype redis = md.indexOf(QStringLiteral("## redis (redis): unhealthy"));
        const qsizetype web = md.indexOf(QStringLiteral("## web (web): unhealthy — because redis is failing"));
        QVERIFY2(redis > 0 && web > redis, qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("- web: consequence of redis")), qPrintable(md));
        // A pipe in a summary does not break the table.
        QVERIFY2(md.contains(QStringLiteral("| ❌ FAIL | readyz | readiness | HTTP 500 \\| <script>")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("| ✅ ok | pg_isready | readiness | accepting connections | 1.5 ms |")),
                 qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("  - hint: Look at the components that fail.")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("  - target: redis://:****@cache:6379/0")), qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("hunter2")), qPrintable(md));
    }

    void html()
    {
        const QByteArray bytes = HtmlReport::render(redisDownReport());
        const QString html = QString::fromUtf8(bytes);
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\"/>")));
        QVERIFY2(!html.contains(QStringLiteral("<script>")), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;")), qPrintable(html));
        QVERIFY2(!html.contains(QStringLiteral("hunter2")), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral("<h1 class=\"unhealthy\">Smoke check acceptance: UNHEALTHY")),
                 qPrintable(html));
        // Status is a word in every row, not only a colour.
        QCOMPARE(html.count(QStringLiteral("✖ FAIL")), 2);
        QCOMPARE(html.count(QStringLiteral("✔ ok")), 1);
        const qsizetype redis = html.indexOf(QStringLiteral(">redis (redis): unhealthy</h2>"));
        const qsizetype web = html.indexOf(QStringLiteral(">web (web): unhealthy — because redis is failing</h2>"));
        QVERIFY2(redis > 0 && web > redis, qPrintable(html));
        // Well-formed: an XML reader gets through it.
        QXmlStreamReader xml(bytes.mid(bytes.indexOf("<html>")));
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    }

    // The text report kept its form when its parts moved into the shared functions.
    void textReportOrder()
    {
        const QString text = TextReport::render(redisDownReport(), false);
        QVERIFY2(text.startsWith(QStringLiteral("acceptance: UNHEALTHY — 2 checks failing\nroot cause: redis")),
                 qPrintable(text));
        QVERIFY2(text.indexOf(QStringLiteral("\nredis (redis): unhealthy"))
                     < text.indexOf(QStringLiteral("\nweb (web)")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("       target: http://web:8000/_healthz/readyz/")), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestReports)
#include "tst_reports.moc"
