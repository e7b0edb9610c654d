#include "engine/CheckStateMachine.h"
#include "engine/ServiceAssessment.h"

#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

namespace {

// "+" healthy, "-" unhealthy, "?" unknown, one result per second from t=0.
QList<ProbeResult> results(const QString& sequence)
{
    QList<ProbeResult> list;
    for (QChar c : sequence) {
        ProbeResult r;
        r.status = c == u'+' ? ProbeStatus::Healthy : c == u'-' ? ProbeStatus::Unhealthy : ProbeStatus::Unknown;
        list.append(r);
    }
    return list;
}

CheckSpec check(QString name, CheckRole role, int failureThreshold = 3, int successThreshold = 1,
                std::chrono::milliseconds startPeriod = 0ms)
{
    CheckSpec c;
    c.name = std::move(name);
    c.role = role;
    c.failureThreshold = failureThreshold;
    c.successThreshold = successThreshold;
    c.startPeriod = startPeriod;
    return c;
}

} // namespace

// Kubernetes' thresholds, Docker's start period, and what an orchestrator would conclude
// (docs/engine.md, "Verdicts"; after Kubernetes' probe rules and Docker's HEALTHCHECK), as state tables.
class TestCheckStateMachine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verdicts_data()
    {
        QTest::addColumn<QString>("sequence");
        QTest::addColumn<int>("failureThreshold");
        QTest::addColumn<int>("successThreshold");
        QTest::addColumn<int>("startPeriodSeconds");
        QTest::addColumn<int>("verdict");
        QTest::addColumn<QString>("text");
        const int healthy = int(ProbeStatus::Healthy);
        const int unhealthy = int(ProbeStatus::Unhealthy);
        const int unknown = int(ProbeStatus::Unknown);
        QTest::newRow("nothing yet") << QString() << 3 << 1 << 0 << unknown << QStringLiteral("no result yet");
        QTest::newRow("one success") << QStringLiteral("+") << 3 << 1 << 0 << healthy << QStringLiteral("healthy");
        QTest::newRow("two failures of three: still healthy, pending")
            << QStringLiteral("+--") << 3 << 1 << 0 << healthy << QStringLiteral("failing 2/3");
        QTest::newRow("third failure flips")
            << QStringLiteral("+---") << 3 << 1 << 0 << unhealthy << QStringLiteral("unhealthy");
        QTest::newRow("a success resets the streak")
            << QStringLiteral("+--+--") << 3 << 1 << 0 << healthy << QStringLiteral("failing 2/3");
        QTest::newRow("unknown neither counts nor resets")
            << QStringLiteral("+-?-?-") << 3 << 1 << 0 << unhealthy << QStringLiteral("unhealthy");
        QTest::newRow("only unknown: the monitor's trouble")
            << QStringLiteral("???") << 3 << 1 << 0 << unknown << QStringLiteral("monitor cannot run it");
        QTest::newRow("successThreshold 2: recovering")
            << QStringLiteral("---+") << 3 << 2 << 0 << unhealthy << QStringLiteral("recovering 1/2");
        QTest::newRow("successThreshold 2: recovered")
            << QStringLiteral("---++") << 3 << 2 << 0 << healthy << QStringLiteral("healthy");
        QTest::newRow("threshold 1 flips at once")
            << QStringLiteral("+-") << 1 << 1 << 0 << unhealthy << QStringLiteral("unhealthy");
        // Docker: failures inside start_period do not count while still starting...
        QTest::newRow("start period shields failures") << QStringLiteral("-----") << 3 << 1 << 10 << unknown
                                                       << QStringLiteral("starting (failures do not count yet)");
        // ...and after the period they do.
        QTest::newRow("after the start period they count")
            << QStringLiteral("---------") << 3 << 1 << 5 << unhealthy << QStringLiteral("unhealthy");
        // ...and once a success came, the period no longer shields.
        QTest::newRow("a success ends the shield")
            << QStringLiteral("+---") << 3 << 1 << 30 << unhealthy << QStringLiteral("unhealthy");
    }
    void verdicts()
    {
        QFETCH(QString, sequence);
        QFETCH(int, failureThreshold);
        QFETCH(int, successThreshold);
        QFETCH(int, startPeriodSeconds);
        QFETCH(int, verdict);
        QFETCH(QString, text);
        CheckStateMachine machine(check(QStringLiteral("c"), CheckRole::Readiness, failureThreshold, successThreshold,
                                        std::chrono::seconds(startPeriodSeconds)),
                                  0);
        qint64 t = 0;
        for (const ProbeResult& r : results(sequence)) {
            machine.apply(r, t);
            t += 1000;
        }
        QCOMPARE(int(machine.state().verdict), verdict);
        QCOMPARE(machine.describe(), text);
    }

    // Kubernetes runs a startup probe until it first passes, never after: the monitor retires
    // it then, and only a startup check is ever retired.
    void retirement_data()
    {
        QTest::addColumn<int>("role");
        QTest::addColumn<QString>("sequence");
        QTest::addColumn<bool>("retired");
        QTest::addColumn<QString>("text");
        const int startup = int(CheckRole::Startup);
        QTest::newRow("startup, no result") << startup << QString() << false << QStringLiteral("no result yet");
        QTest::newRow("startup, failing") << startup << QStringLiteral("--") << false << QStringLiteral("failing 2/3");
        QTest::newRow("startup, did not pass in time")
            << startup << QStringLiteral("---") << false << QStringLiteral("unhealthy");
        QTest::newRow("startup, only unknown")
            << startup << QStringLiteral("??") << false << QStringLiteral("monitor cannot run it");
        QTest::newRow("startup, passed late")
            << startup << QStringLiteral("----+") << true << QStringLiteral("passed; not run again");
        QTest::newRow("startup, passed at once")
            << startup << QStringLiteral("+") << true << QStringLiteral("passed; not run again");
        QTest::newRow("liveness keeps running")
            << int(CheckRole::Liveness) << QStringLiteral("+") << false << QStringLiteral("healthy");
        QTest::newRow("readiness keeps running")
            << int(CheckRole::Readiness) << QStringLiteral("+-") << false << QStringLiteral("failing 1/3");
        QTest::newRow("info keeps running")
            << int(CheckRole::Info) << QStringLiteral("+") << false << QStringLiteral("healthy");
    }
    void retirement()
    {
        QFETCH(int, role);
        QFETCH(QString, sequence);
        QFETCH(bool, retired);
        QFETCH(QString, text);
        CheckStateMachine machine(check(QStringLiteral("c"), CheckRole(role)), 0);
        qint64 t = 0;
        for (const ProbeResult& r : results(sequence)) {
            machine.apply(r, t);
            t += 1000;
        }
        QCOMPARE(machine.isRetired(), retired);
        QCOMPARE(machine.describe(), text);
    }

    void changeIsReportedOnce()
    {
        CheckStateMachine machine(check(QStringLiteral("c"), CheckRole::Liveness, 2), 0);
        const auto list = results(QStringLiteral("+--+"));
        QCOMPARE(machine.apply(list[0], 0), true); // unknown → healthy
        QCOMPARE(machine.apply(list[1], 1000), false); // failing 1/2
        QCOMPARE(machine.apply(list[2], 2000), true); // → unhealthy
        QCOMPARE(machine.state().verdictSinceMs, 2000);
        QCOMPARE(machine.apply(list[3], 3000), true); // → healthy
    }

    void conclusions_data()
    {
        QTest::addColumn<QString>("liveness");
        QTest::addColumn<QString>("readiness");
        QTest::addColumn<QString>("startup");
        QTest::addColumn<int>("conclusion");
        using C = ServiceAssessment::Conclusion;
        QTest::newRow("all passing") << QStringLiteral("+") << QStringLiteral("+") << QStringLiteral("+")
                                     << int(C::Serving);
        QTest::newRow("liveness failing: restart")
            << QStringLiteral("+---") << QStringLiteral("+") << QStringLiteral("+") << int(C::WouldRestart);
        QTest::newRow("readiness failing: out of rotation")
            << QStringLiteral("+") << QStringLiteral("+---") << QStringLiteral("+") << int(C::OutOfRotation);
        QTest::newRow("startup not passed: starting")
            << QString() << QString() << QStringLiteral("--") << int(C::Starting);
        QTest::newRow("startup failed: restart")
            << QString() << QString() << QStringLiteral("---") << int(C::WouldRestart);
        QTest::newRow("liveness pending 2/3: still serving")
            << QStringLiteral("+--") << QStringLiteral("+") << QStringLiteral("+") << int(C::Serving);
        QTest::newRow("monitor cannot run the checks: unknown")
            << QStringLiteral("?") << QStringLiteral("?") << QStringLiteral("+") << int(C::Unknown);
    }
    void conclusions()
    {
        QFETCH(QString, liveness);
        QFETCH(QString, readiness);
        QFETCH(QString, startup);
        QFETCH(int, conclusion);
        ServiceSpec service;
        service.name = QStringLiteral("web");
        service.checks = {check(QStringLiteral("livez"), CheckRole::Liveness),
                          check(QStringLiteral("readyz"), CheckRole::Readiness),
                          check(QStringLiteral("healthz"), CheckRole::Startup)};
        QList<CheckStateMachine::State> states;
        for (const QString& seq : {liveness, readiness, startup}) {
            CheckStateMachine m(check(QStringLiteral("x"), CheckRole::Liveness), 0);
            qint64 t = 0;
            for (const auto& r : results(seq))
                m.apply(r, t += 1000);
            states.append(m.state());
        }
        const ServiceAssessment a = ServiceAssessment::assess(service, states);
        QCOMPARE(int(a.conclusion), conclusion);
        if (a.conclusion == ServiceAssessment::Conclusion::WouldRestart && !liveness.isEmpty())
            QVERIFY2(a.conclusionText.contains(QStringLiteral("livez")), qPrintable(a.conclusionText));
        if (a.conclusion == ServiceAssessment::Conclusion::OutOfRotation)
            QVERIFY2(a.conclusionText.contains(QStringLiteral("readyz")), qPrintable(a.conclusionText));
    }
};

QTEST_GUILESS_MAIN(TestCheckStateMachine)
#include "tst_checkstatemachine.moc"
