#include "RecordedBatches.h"
#include "detail/FailureReport.h"
#include "detail/FailureView.h"
#include "model/DeploymentModel.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QTextBrowser>

Q_DECLARE_METATYPE(okh::FailureSubject)

using namespace okh;
using namespace std::chrono_literals;

namespace {

constexpr qint64 At = 1'796'558'400'000; // 2026-12-06 12:00:00 UTC

CheckSpec httpCheck()
{
    CheckSpec c;
    c.name = QStringLiteral("readyz");
    c.role = CheckRole::Readiness;
    c.timeout = 3s;
    HttpTarget t;
    t.url = QUrl(QStringLiteral("http://admin:hunter2@127.0.0.1:8000/_healthz/readyz/"));
    t.hostHeader = QStringLiteral("localhost");
    t.headers = {{"X-Api-Key", "k-123"}, {"Accept-Language", "nl"}};
    c.target = t;
    return c;
}

CheckSnapshot failing(const ProbeResult& result, const QString& stateText, ProbeStatus verdict)
{
    CheckSnapshot s;
    s.state.verdict = verdict;
    s.state.last = result;
    s.state.lastResultMs = At;
    s.state.verdictSinceMs = At - 95'000;
    s.stateText = stateText;
    if (result.status != ProbeStatus::Healthy) {
        s.lastProblem = result;
        s.lastProblemMs = At;
    }
    return s;
}

FailureSubject readyz500()
{
    ProbeResult r = ProbeResult::unhealthy(
        QStringLiteral("HTTP 500 Internal Server Error: Cache backend: default (unavailable: Redis error) failing"),
        QStringLiteral("The application answers, but a dependency check fails: Cache backend: default "
                       "(unavailable: Redis error)."));
    r.failure = FailureKind::Answered;
    r.latencyMs = 12.4;
    r.details = {{QStringLiteral("status"), QStringLiteral("500")},
                 {QStringLiteral("component: Cache backend: default"), QStringLiteral("unavailable: Redis error")},
                 {QStringLiteral("component: DatabaseBackend"), QStringLiteral("working")},
                 {QStringLiteral("header: Content-Type"), QStringLiteral("application/json")},
                 {QStringLiteral("header: Vary"), QStringLiteral("Accept-Language, Cookie")}};
    FailureSubject s;
    s.deployment = QStringLiteral("acceptance");
    s.service = QStringLiteral("web");
    s.serviceKind = QStringLiteral("web");
    s.check = httpCheck();
    s.snapshot = failing(r, QStringLiteral("unhealthy"), ProbeStatus::Unhealthy);
    s.hasSnapshot = true;
    s.cause = QStringLiteral("consequence of redis: readyz names Cache backend: default");
    return s;
}

FailureSubject execFailure()
{
    ProbeResult r = ProbeResult::unhealthy(QStringLiteral("exit 1: celery worker did not answer the ping"));
    r.failure = FailureKind::CommandFailed;
    r.latencyMs = 2310;
    r.details = {{QStringLiteral("command"), QStringLiteral("celery …")},
                 {QStringLiteral("context"), QStringLiteral("docker exec openklant-celery-1")},
                 {QStringLiteral("exit code"), QStringLiteral("1")},
                 {QStringLiteral("output"), QStringLiteral("Error: No nodes replied within time constraint\n```")}};
    CheckSpec c;
    c.name = QStringLiteral("worker_health_check");
    c.role = CheckRole::Liveness;
    ExecTarget t;
    t.command = {QStringLiteral("celery"), QStringLiteral("--broker=redis://:pw@redis:6379/0"),
                 QStringLiteral("inspect"), QStringLiteral("ping")};
    c.target = t;
    FailureSubject s;
    s.deployment = QStringLiteral("acceptance");
    s.service = QStringLiteral("celery");
    s.serviceKind = QStringLiteral("celery-worker");
    s.check = c;
    s.snapshot = failing(r, QStringLiteral("failing 2/3"), ProbeStatus::Healthy);
    s.hasSnapshot = true;
    s.cause = QStringLiteral("root cause: worker_health_check: exit 1");
    return s;
}

FailureSubject unreachable()
{
    ProbeResult r = ProbeResult::unknown(QStringLiteral("cannot reach deployment: host key unknown (SHA256:abc)"));
    FailureSubject s;
    s.deployment = QStringLiteral("production");
    s.service = QStringLiteral("redis");
    s.serviceKind = QStringLiteral("redis");
    CheckSpec c;
    c.name = QStringLiteral("ping");
    c.role = CheckRole::Readiness;
    RedisTarget t;
    t.port = 6379;
    t.password = QStringLiteral("s3cret");
    c.target = t;
    s.check = c;
    s.snapshot = failing(r, QStringLiteral("monitor cannot run the check"), ProbeStatus::Unknown);
    s.hasSnapshot = true;
    s.reachable = false;
    s.transportError = QStringLiteral("cannot reach deployment: host key unknown (SHA256:abc)");
    return s;
}

FailureSubject healthyAgain()
{
    FailureSubject s = readyz500();
    ProbeResult ok = ProbeResult::healthy(QStringLiteral("HTTP 200 OK"));
    ok.latencyMs = 3.25;
    s.snapshot.state.last = ok;
    s.snapshot.state.verdict = ProbeStatus::Healthy;
    s.snapshot.state.lastResultMs = At + 60'000;
    s.snapshot.lastProblemMs = At;
    s.snapshot.stateText = QStringLiteral("healthy");
    s.cause.clear();
    return s;
}

QString expected(const QString& name)
{
    QFile file(QStringLiteral(OKHEALTH_FAILURE_DIR "/") + name + QStringLiteral(".md"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read ") + file.fileName();
    return QString::fromUtf8(file.readAll());
}

} // namespace

// The failure details: one report per case as Markdown, compared to the exact text in
// tests/ui/failure/ (what a ticket gets), and the view that shows and copies it.
class TestFailureReport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void markdown_data()
    {
        QTest::addColumn<FailureSubject>("subject");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("shown");
        QTest::newRow("readyz 500 with a failing component")
            << readyz500() << QStringLiteral("readyz-500") << int(FailureReport::Shown::Current);
        QTest::newRow("exec failure with output")
            << execFailure() << QStringLiteral("exec-failure") << int(FailureReport::Shown::Current);
        QTest::newRow("unreachable SSH deployment")
            << unreachable() << QStringLiteral("unreachable") << int(FailureReport::Shown::Current);
        QTest::newRow("healthy again shows the last problem")
            << healthyAgain() << QStringLiteral("healthy-again") << int(FailureReport::Shown::Earlier);
    }
    void markdown()
    {
        QFETCH(FailureSubject, subject);
        QFETCH(QString, file);
        QFETCH(int, shown);
        const FailureReport report = FailureReport::build(subject);
        QCOMPARE(int(report.shown), shown);
        const QString markdown = report.toMarkdown();
        if (markdown != expected(file)) {
            // The text to compare by eye (and to take over when the change is meant).
            QFile out(QDir::temp().filePath(file + QStringLiteral(".actual.md")));
            if (out.open(QIODevice::WriteOnly))
                out.write(markdown.toUtf8());
            qWarning("written to %s", qPrintable(out.fileName()));
        }
        QCOMPARE(markdown, expected(file));
    }

    void secretsNeverShown_data() { markdown_data(); }
    void secretsNeverShown()
    {
        QFETCH(FailureSubject, subject);
        const FailureReport report = FailureReport::build(subject);
        for (const QString& text : {report.toMarkdown(), report.toHtml()}) {
            for (const char* secret : {"hunter2", "k-123", "s3cret", ":pw@"})
                QVERIFY2(!text.contains(QLatin1String(secret)), secret);
        }
    }

    void noResultYet()
    {
        FailureSubject s = readyz500();
        s.hasSnapshot = false;
        s.snapshot = {};
        const FailureReport report = FailureReport::build(s);
        QCOMPARE(report.shown, FailureReport::Shown::NoResult);
        QCOMPARE(report.subtitle, QStringLiteral("No result yet."));
        QCOMPARE(report.sections.size(), 1); // only the head: nothing captured to show
    }

    // The view on a real model: shows the selected check, copies exactly the report's
    // Markdown, and keeps its text when an update changes nothing it shows.
    void viewCopiesWhatItShows()
    {
        DeploymentModel model;
        model.setDeployments({test::recordedDeployment()});
        model.apply(test::redisDownBatch(At));
        FailureView view;
        QVERIFY(view.markdown().isEmpty());
        QVERIFY(view.browser()->toPlainText().contains(QStringLiteral("Select a check")));
        const QModelIndex readyz
            = model.checkIndex({QStringLiteral("acceptance"), QStringLiteral("web"), QStringLiteral("readyz")});
        view.setCheck(readyz);
        QVERIFY(view.browser()->toPlainText().contains(QStringLiteral("Cache backend: default")));
        QVERIFY(view.browser()->toPlainText().contains(QStringLiteral("consequence of redis")));
        QCOMPARE(view.markdown(), FailureReport::build(FailureView::subjectOf(readyz)).toMarkdown());
        view.resize(560, 900);
        QDir().mkpath(QStringLiteral(OKHEALTH_SCREENSHOT_DIR));
        QVERIFY(view.grab().save(QStringLiteral(OKHEALTH_SCREENSHOT_DIR "/failure-readyz.png")));

        QSignalSpy copied(&view, &FailureView::copied);
        view.copyMarkdown();
        QCOMPARE(copied.size(), 1);
        QCOMPARE(QApplication::clipboard()->text(), view.markdown());

        const QString before = view.markdown();
        model.apply(test::redisDownBatch(At)); // the same state again
        QCOMPARE(view.markdown(), before);
        model.apply(test::healthyBatch(At + 60'000));
        QVERIFY2(view.markdown().contains(QStringLiteral("HTTP 200 OK")), qPrintable(view.markdown()));
    }
};

QTEST_MAIN(TestFailureReport)
#include "tst_failurereport.moc"
