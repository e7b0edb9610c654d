#include "server/MetricsExposition.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTest>
#include <cmath>

using namespace okh;

Q_DECLARE_METATYPE(okh::CheckStateMachine::State)

namespace {

// One deployment "d" with one service "svc" (kind web) holding one check "chk" (http, readiness).
MonitorReading readingWith(const CheckStateMachine::State& state,
                           ServiceAssessment::Conclusion conclusion = ServiceAssessment::Conclusion::Serving,
                           ProbeStatus serviceStatus = ProbeStatus::Healthy)
{
    MonitorReading r;
    r.snapshot.name = QStringLiteral("d");
    CheckSnapshot check;
    check.key = {QStringLiteral("d"), QStringLiteral("svc"), QStringLiteral("chk")};
    check.role = CheckRole::Readiness;
    check.type = QStringLiteral("http");
    check.state = state;
    r.snapshot.checks.append(check);
    ServiceAssessment service;
    service.service = QStringLiteral("svc");
    service.kind = QStringLiteral("web");
    service.status = serviceStatus;
    service.conclusion = conclusion;
    r.snapshot.services.append(service);
    if (serviceStatus == ProbeStatus::Unhealthy)
        r.snapshot.rootCauses.append(QStringLiteral("svc"));
    return r;
}

constexpr auto kCheckLabels = "deployment=\"d\",service=\"svc\",check=\"chk\",role=\"readiness\",type=\"http\"";
constexpr auto kServiceLabels = "deployment=\"d\",service=\"svc\",kind=\"web\"";

// The sample lines of `text` as "name{labels}" → value text.
QHash<QString, QString> samples(const QByteArray& text)
{
    QHash<QString, QString> map;
    for (const QByteArray& line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        map.insert(QString::fromUtf8(line.left(space)), QString::fromUtf8(line.mid(space + 1)));
    }
    return map;
}

QString series(const char* name, const char* labels, const QString& extra = {})
{
    QString s = QString::fromLatin1(name) + u'{' + QString::fromLatin1(labels);
    if (!extra.isEmpty())
        s += u',' + extra;
    return s + u'}';
}

CheckStateMachine::State stateOf(int runs, ProbeStatus last, ProbeStatus verdict, int failures, double latencyMs)
{
    CheckStateMachine::State s;
    s.runs = runs;
    s.last.status = last;
    s.last.latencyMs = latencyMs;
    s.verdict = verdict;
    s.consecutiveFailures = failures;
    s.lastResultMs = runs > 0 ? 1'764'092'400'123 : 0;
    return s;
}

} // namespace

class TestMetricsExposition : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void escapeLabelValue_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QByteArray>("escaped");
        QTest::newRow("plain") << QStringLiteral("web-1.prod") << QByteArray("web-1.prod");
        QTest::newRow("empty") << QString() << QByteArray();
        QTest::newRow("backslash") << QStringLiteral("C:\\temp") << QByteArray("C:\\\\temp");
        QTest::newRow("double quote") << QStringLiteral("say \"hi\"") << QByteArray("say \\\"hi\\\"");
        QTest::newRow("line feed") << QStringLiteral("a\nb") << QByteArray("a\\nb");
        QTest::newRow("all three") << QStringLiteral("\\\"\n") << QByteArray("\\\\\\\"\\n");
        QTest::newRow("escaped backslash before n stays two characters")
            << QStringLiteral("\\n") << QByteArray("\\\\n");
        QTest::newRow("carriage return and tab are left alone") << QStringLiteral("a\r\tb") << QByteArray("a\r\tb");
        QTest::newRow("single quote") << QStringLiteral("it's") << QByteArray("it's");
        QTest::newRow("UTF-8") << QStringLiteral("zürich → ✓") << QStringLiteral("zürich → ✓").toUtf8();
    }
    void escapeLabelValue()
    {
        QFETCH(QString, value);
        QFETCH(QByteArray, escaped);
        QCOMPARE(MetricsExposition::escapeLabelValue(value), escaped);
    }

    void escapeHelp_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("escaped");
        QTest::newRow("plain") << QStringLiteral("Probes started.") << QByteArray("Probes started.");
        QTest::newRow("quotes stay") << QStringLiteral("the \"state\" label") << QByteArray("the \"state\" label");
        QTest::newRow("backslash") << QStringLiteral("a\\b") << QByteArray("a\\\\b");
        QTest::newRow("line feed") << QStringLiteral("one\ntwo") << QByteArray("one\\ntwo");
    }
    void escapeHelp()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, escaped);
        QCOMPARE(MetricsExposition::escapeHelp(text), escaped);
    }

    void formatValue_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("zero") << 0.0 << QByteArray("0");
        QTest::newRow("one") << 1.0 << QByteArray("1");
        QTest::newRow("integer") << 123456789.0 << QByteArray("123456789");
        QTest::newRow("shortest fraction") << 0.1 << QByteArray("0.1");
        QTest::newRow("milliseconds as seconds") << 0.0125 << QByteArray("0.0125");
        QTest::newRow("timestamp") << 1764092400.123 << QByteArray("1764092400.123");
        QTest::newRow("negative") << -2.5 << QByteArray("-2.5");
        QTest::newRow("NaN") << std::nan("") << QByteArray("NaN");
        QTest::newRow("+Inf") << HUGE_VAL << QByteArray("+Inf");
        QTest::newRow("-Inf") << -HUGE_VAL << QByteArray("-Inf");
    }
    void formatValue()
    {
        QFETCH(double, value);
        QFETCH(QByteArray, text);
        QCOMPARE(MetricsExposition::formatValue(value), text);
    }

    // What one check exposes for each kind of latest result and verdict. "-" means absent.
    void checkSamples_data()
    {
        QTest::addColumn<CheckStateMachine::State>("state");
        QTest::addColumn<QString>("success");
        QTest::addColumn<QString>("duration");
        QTest::addColumn<QString>("unknown");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("failures");
        QTest::addColumn<QString>("lastResult");
        QTest::newRow("no result yet") << stateOf(0, ProbeStatus::Unknown, ProbeStatus::Unknown, 0, 0)
                                       << QStringLiteral("-") << QStringLiteral("-") << QStringLiteral("1")
                                       << QStringLiteral("unknown") << QStringLiteral("0") << QStringLiteral("-");
        QTest::newRow("healthy") << stateOf(3, ProbeStatus::Healthy, ProbeStatus::Healthy, 0, 12.5)
                                 << QStringLiteral("1") << QStringLiteral("0.0125") << QStringLiteral("0")
                                 << QStringLiteral("healthy") << QStringLiteral("0")
                                 << QStringLiteral("1764092400.123");
        QTest::newRow("failing below the threshold: latest 0, verdict still healthy")
            << stateOf(4, ProbeStatus::Unhealthy, ProbeStatus::Healthy, 2, 1000) << QStringLiteral("0")
            << QStringLiteral("1") << QStringLiteral("0") << QStringLiteral("healthy") << QStringLiteral("2")
            << QStringLiteral("1764092400.123");
        QTest::newRow("unhealthy") << stateOf(5, ProbeStatus::Unhealthy, ProbeStatus::Unhealthy, 3, 0.25)
                                   << QStringLiteral("0") << QStringLiteral("0.00025") << QStringLiteral("0")
                                   << QStringLiteral("unhealthy") << QStringLiteral("3")
                                   << QStringLiteral("1764092400.123");
        QTest::newRow("monitor could not run it: no probe_success, verdict kept")
            << stateOf(6, ProbeStatus::Unknown, ProbeStatus::Healthy, 0, 2) << QStringLiteral("-")
            << QStringLiteral("0.002") << QStringLiteral("1") << QStringLiteral("healthy") << QStringLiteral("0")
            << QStringLiteral("1764092400.123");
        QTest::newRow("only unknown results so far")
            << stateOf(2, ProbeStatus::Unknown, ProbeStatus::Unknown, 0, 0) << QStringLiteral("-")
            << QStringLiteral("0") << QStringLiteral("1") << QStringLiteral("unknown") << QStringLiteral("0")
            << QStringLiteral("1764092400.123");
    }
    void checkSamples()
    {
        QFETCH(CheckStateMachine::State, state);
        QFETCH(QString, success);
        QFETCH(QString, duration);
        QFETCH(QString, unknown);
        QFETCH(QString, verdict);
        QFETCH(QString, failures);
        QFETCH(QString, lastResult);
        const auto map = samples(MetricsExposition::render({readingWith(state)}));
        const auto expect = [&map](const QString& key, const QString& value) {
            if (value == QLatin1String("-"))
                QVERIFY2(!map.contains(key), qPrintable(key + QStringLiteral(" should be absent")));
            else
                QCOMPARE(map.value(key, QStringLiteral("<absent>")), value);
        };
        expect(series("probe_success", kCheckLabels), success);
        expect(series("probe_duration_seconds", kCheckLabels), duration);
        expect(series("okhealth_check_unknown", kCheckLabels), unknown);
        expect(series("okhealth_check_consecutive_failures", kCheckLabels), failures);
        expect(series("okhealth_check_last_result_timestamp_seconds", kCheckLabels), lastResult);
        expect(series("okhealth_check_results_total", kCheckLabels), QString::number(state.runs));
        expect(series("okhealth_check_retired", kCheckLabels), QStringLiteral("0"));
        // One-hot: every state is there, exactly the verdict is 1.
        for (const QString& s : {QStringLiteral("healthy"), QStringLiteral("unhealthy"), QStringLiteral("unknown")}) {
            expect(series("okhealth_check_state", kCheckLabels, QStringLiteral("state=\"%1\"").arg(s)),
                   s == verdict ? QStringLiteral("1") : QStringLiteral("0"));
        }
        // NaN is never used for a missing result: absent means absent.
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (it.key().startsWith(QLatin1String("probe_")) || it.key().startsWith(QLatin1String("okhealth_check")))
                QVERIFY2(it.value() != QLatin1String("NaN"), qPrintable(it.key()));
        }
    }

    // A startup check that passed is not run again: said, so "no result for N minutes" alerts
    // can leave it out.
    void retiredStartupCheck()
    {
        MonitorReading reading = readingWith(stateOf(1, ProbeStatus::Healthy, ProbeStatus::Healthy, 0, 3));
        reading.snapshot.checks.first().role = CheckRole::Startup;
        reading.snapshot.checks.first().retired = true;
        const auto map = samples(MetricsExposition::render({reading}));
        const QString labels
            = QString::fromLatin1(kCheckLabels).replace(QLatin1String("readiness"), QLatin1String("startup"));
        QCOMPARE(map.value(QStringLiteral("okhealth_check_retired{%1}").arg(labels)), QStringLiteral("1"));
        QCOMPARE(map.value(QStringLiteral("probe_success{%1}").arg(labels)), QStringLiteral("1"));
    }

    void serviceSamples_data()
    {
        QTest::addColumn<int>("conclusion");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("conclusionKey");
        QTest::addColumn<QString>("statusKey");
        QTest::addColumn<QString>("rootCause");
        QTest::newRow("serving") << int(ServiceAssessment::Conclusion::Serving) << int(ProbeStatus::Healthy)
                                 << QStringLiteral("serving") << QStringLiteral("healthy") << QStringLiteral("0");
        QTest::newRow("starting") << int(ServiceAssessment::Conclusion::Starting) << int(ProbeStatus::Unknown)
                                  << QStringLiteral("starting") << QStringLiteral("unknown") << QStringLiteral("0");
        QTest::newRow("would restart") << int(ServiceAssessment::Conclusion::WouldRestart)
                                       << int(ProbeStatus::Unhealthy) << QStringLiteral("restart")
                                       << QStringLiteral("unhealthy") << QStringLiteral("1");
        QTest::newRow("out of rotation") << int(ServiceAssessment::Conclusion::OutOfRotation)
                                         << int(ProbeStatus::Unhealthy) << QStringLiteral("out-of-rotation")
                                         << QStringLiteral("unhealthy") << QStringLiteral("1");
        QTest::newRow("unknown") << int(ServiceAssessment::Conclusion::Unknown) << int(ProbeStatus::Unknown)
                                 << QStringLiteral("unknown") << QStringLiteral("unknown") << QStringLiteral("0");
    }
    void serviceSamples()
    {
        QFETCH(int, conclusion);
        QFETCH(int, status);
        QFETCH(QString, conclusionKey);
        QFETCH(QString, statusKey);
        QFETCH(QString, rootCause);
        const auto map = samples(
            MetricsExposition::render({readingWith(stateOf(1, ProbeStatus::Healthy, ProbeStatus::Healthy, 0, 1),
                                                   ServiceAssessment::Conclusion(conclusion), ProbeStatus(status))}));
        int ones = 0;
        for (const QString& c : {QStringLiteral("serving"), QStringLiteral("starting"), QStringLiteral("restart"),
                                 QStringLiteral("out-of-rotation"), QStringLiteral("unknown")}) {
            const QString key
                = series("okhealth_service_conclusion", kServiceLabels, QStringLiteral("conclusion=\"%1\"").arg(c));
            QVERIFY2(map.contains(key), qPrintable(key));
            QCOMPARE(map.value(key), c == conclusionKey ? QStringLiteral("1") : QStringLiteral("0"));
            ones += map.value(key) == QLatin1String("1");
        }
        QCOMPARE(ones, 1);
        for (const QString& s : {QStringLiteral("healthy"), QStringLiteral("unhealthy"), QStringLiteral("unknown")}) {
            const QString key
                = series("okhealth_service_status", kServiceLabels, QStringLiteral("status=\"%1\"").arg(s));
            QCOMPARE(map.value(key), s == statusKey ? QStringLiteral("1") : QStringLiteral("0"));
        }
        QCOMPARE(map.value(series("okhealth_service_root_cause", kServiceLabels)), rootCause);
    }

    void deploymentSamples()
    {
        MonitorReading r = readingWith(stateOf(1, ProbeStatus::Healthy, ProbeStatus::Healthy, 0, 1));
        r.probesRun = 42;
        auto map = samples(MetricsExposition::render({r}));
        QCOMPARE(map.value(QStringLiteral("okhealth_probes_total{deployment=\"d\"}")), QStringLiteral("42"));
        QCOMPARE(map.value(QStringLiteral("okhealth_deployment_reachable{deployment=\"d\"}")), QStringLiteral("1"));
        // No start measured yet: the quantiles are NaN, as Prometheus clients write an empty summary.
        QCOMPARE(map.value(QStringLiteral("okhealth_scheduler_lateness_seconds{deployment=\"d\",quantile=\"0.99\"}")),
                 QStringLiteral("NaN"));
        QCOMPARE(map.value(QStringLiteral("okhealth_scheduler_lateness_seconds_count{deployment=\"d\"}")),
                 QStringLiteral("42"));

        r.snapshot.reachable = false;
        r.lateness.samples = 42;
        r.lateness.p50Ms = 1.5;
        r.lateness.p99Ms = 12;
        r.lateness.maxMs = 30;
        map = samples(MetricsExposition::render({r}));
        QCOMPARE(map.value(QStringLiteral("okhealth_deployment_reachable{deployment=\"d\"}")), QStringLiteral("0"));
        QCOMPARE(map.value(QStringLiteral("okhealth_scheduler_lateness_seconds{deployment=\"d\",quantile=\"0.5\"}")),
                 QStringLiteral("0.0015"));
        QCOMPARE(map.value(QStringLiteral("okhealth_scheduler_lateness_seconds{deployment=\"d\",quantile=\"0.99\"}")),
                 QStringLiteral("0.012"));
        QCOMPARE(map.value(QStringLiteral("okhealth_scheduler_lateness_max_seconds{deployment=\"d\"}")),
                 QStringLiteral("0.03"));
    }

    // Names that bypass the deployment file's rules still come out as valid label values.
    void labelsEscapedInOutput()
    {
        MonitorReading r = readingWith(stateOf(1, ProbeStatus::Healthy, ProbeStatus::Healthy, 0, 1));
        r.snapshot.name = QStringLiteral("a\"b\\c\nd");
        r.snapshot.checks.first().key.deployment = r.snapshot.name;
        const QByteArray text = MetricsExposition::render({r});
        QVERIFY(text.contains("okhealth_probes_total{deployment=\"a\\\"b\\\\c\\nd\"} 0\n"));
        QVERIFY(text.contains("probe_success{deployment=\"a\\\"b\\\\c\\nd\",service=\"svc\",check=\"chk\""));
    }

    // The format's rules: every line is a comment or a sample; one HELP and one TYPE per family,
    // before its samples; a family's samples together; no series twice.
    void structure()
    {
        MonitorReading a = readingWith(stateOf(2, ProbeStatus::Healthy, ProbeStatus::Healthy, 0, 3));
        MonitorReading b = readingWith(stateOf(0, ProbeStatus::Unknown, ProbeStatus::Unknown, 0, 0));
        b.snapshot.name = QStringLiteral("e");
        b.snapshot.checks.first().key.deployment = QStringLiteral("e");
        const QByteArray text = MetricsExposition::render({a, b});
        QVERIFY(text.endsWith('\n'));
        static const QRegularExpression sampleLine(QStringLiteral(
            R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? (NaN|[+-]Inf|-?[0-9.e+-]+)$)"));
        static const QRegularExpression commentLine(
            QStringLiteral(R"(^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$)"));
        QSet<QString> typed;
        QSet<QString> helped;
        QSet<QString> seriesSeen;
        QSet<QString> closedFamilies;
        QString current;
        const auto familyOf = [&typed](const QString& name) {
            for (const char* suffix : {"_count", "_sum", "_bucket"}) {
                const QString s = QString::fromLatin1(suffix);
                if (name.endsWith(s) && typed.contains(name.chopped(s.size())))
                    return name.chopped(s.size());
            }
            return name;
        };
        const QList<QByteArray> lines = text.chopped(1).split('\n');
        for (const QByteArray& raw : lines) {
            const QString line = QString::fromUtf8(raw);
            if (const auto m = commentLine.match(line); m.hasMatch()) {
                const QString name = m.captured(2);
                QSet<QString>& seen = m.captured(1) == QLatin1String("TYPE") ? typed : helped;
                QVERIFY2(!seen.contains(name), qPrintable(QStringLiteral("second %1 for %2").arg(m.captured(1), name)));
                QVERIFY2(!closedFamilies.contains(name), qPrintable(name));
                seen.insert(name);
                if (m.captured(1) == QLatin1String("TYPE")) {
                    QVERIFY(QStringList({QStringLiteral("gauge"), QStringLiteral("counter"), QStringLiteral("summary")})
                                .contains(m.captured(3)));
                }
                if (name != current && !current.isEmpty())
                    closedFamilies.insert(current);
                current = name;
                continue;
            }
            const auto m = sampleLine.match(line);
            QVERIFY2(m.hasMatch(), qPrintable(QStringLiteral("not a sample line: ") + line));
            const QString family = familyOf(m.captured(1));
            QVERIFY2(typed.contains(family) && helped.contains(family), qPrintable(line));
            QCOMPARE(family, current);
            const QString key = line.left(line.lastIndexOf(u' '));
            QVERIFY2(!seriesSeen.contains(key), qPrintable(QStringLiteral("duplicate series ") + key));
            seriesSeen.insert(key);
        }
        for (const char* family :
             {"probe_success", "probe_duration_seconds", "okhealth_check_state", "okhealth_check_unknown",
              "okhealth_check_consecutive_failures", "okhealth_service_status", "okhealth_service_conclusion",
              "okhealth_deployment_reachable", "okhealth_probes_total", "okhealth_scheduler_lateness_seconds"})
            QVERIFY2(typed.contains(QString::fromLatin1(family)), family);
        // Deployment e has no result: only a's probe_success.
        QVERIFY(text.contains("probe_success{deployment=\"d\""));
        QVERIFY(!text.contains("probe_success{deployment=\"e\""));
    }

    // Prometheus' own linter, when the Debian package is installed.
    void promtoolAccepts()
    {
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (promtool.isEmpty())
            QSKIP("promtool not installed (Debian package prometheus)");
        MonitorReading r = readingWith(stateOf(2, ProbeStatus::Unhealthy, ProbeStatus::Unhealthy, 2, 3),
                                       ServiceAssessment::Conclusion::OutOfRotation, ProbeStatus::Unhealthy);
        r.lateness = {10, 1, 2, 3};
        r.probesRun = 10;
        QProcess process;
        process.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY(process.waitForStarted());
        process.write(MetricsExposition::render({r}));
        process.closeWriteChannel();
        QVERIFY(process.waitForFinished(30000));
        const QByteArray output = process.readAllStandardOutput() + process.readAllStandardError();
        QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0, output.constData());
    }
};

QTEST_GUILESS_MAIN(TestMetricsExposition)
#include "tst_metricsexposition.moc"
