#include "engine/CheckStateMachine.h"
#include "engine/RootCause.h"
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
// (shared/reference/probe-semantics.md), as state tables.
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

    // The profile's dependencies: web → db, redis; celery → redis, db; flower → redis; nginx → web.
    // Each service's checks connect to its own port, but the Celery ping goes to the broker's.
    // "refused": "service@host:port", a failing check of that service refused there.
    void rootCauses_data()
    {
        QTest::addColumn<QStringList>("unhealthy");
        QTest::addColumn<QStringList>("refused");
        QTest::addColumn<QStringList>("roots");
        QTest::addColumn<QString>("consequence");
        QTest::addColumn<QStringList>("causedBy");
        const auto list = [](const char* text) { return QString::fromLatin1(text).split(u' ', Qt::SkipEmptyParts); };
        QTest::newRow("redis down explains web, celery, flower and nginx")
            << list("redis web celery celery-flower nginx") << list("redis@redis:6379") << list("redis")
            << QStringLiteral("nginx") << list("redis");
        QTest::newRow("db down explains web and celery")
            << list("db web celery") << QStringList() << list("db") << QStringLiteral("celery") << list("db");
        QTest::newRow("web down alone is its own root")
            << list("web nginx") << QStringList() << list("web") << QStringLiteral("nginx") << list("web");
        QTest::newRow("two roots") << list("db redis web") << QStringList() << list("redis db") << QStringLiteral("web")
                                   << list("db redis");
        QTest::newRow("a failing service with healthy dependencies")
            << list("celery") << QStringList() << list("celery") << QStringLiteral("celery") << QStringList();
        QTest::newRow("web not listening while db is down: two things to fix")
            << list("db web nginx") << list("web@web:8000") << list("db web") << QStringLiteral("nginx") << list("web");
        QTest::newRow("web not listening is its own root, whatever its dependencies do")
            << list("redis db web") << list("web@web:8000 redis@redis:6379") << list("redis db web")
            << QStringLiteral("web") << QStringList();
        QTest::newRow("the Celery ping refused at the broker's port is the broker's failure")
            << list("redis celery") << list("redis@redis:6379 celery@redis:6379") << list("redis")
            << QStringLiteral("celery") << list("redis");
        QTest::newRow("nginx not listening while web is down")
            << list("web nginx") << list("nginx@nginx:8080") << list("web nginx") << QStringLiteral("nginx")
            << QStringList();
    }
    void rootCauses()
    {
        QFETCH(QStringList, unhealthy);
        QFETCH(QStringList, refused);
        QFETCH(QStringList, roots);
        QFETCH(QString, consequence);
        QFETCH(QStringList, causedBy);
        struct Service
        {
            QString name;
            QStringList dependsOn;
            QStringList endpoints;
        };
        const QList<Service> graph{
            {QStringLiteral("redis"), {}, {QStringLiteral("redis:6379")}},
            {QStringLiteral("db"), {}, {QStringLiteral("db:5432")}},
            {QStringLiteral("web"), {QStringLiteral("db"), QStringLiteral("redis")}, {QStringLiteral("web:8000")}},
            {QStringLiteral("celery"), {QStringLiteral("redis"), QStringLiteral("db")}, {QStringLiteral("redis:6379")}},
            {QStringLiteral("celery-flower"), {QStringLiteral("redis")}, {QStringLiteral("celery-flower:5555")}},
            {QStringLiteral("nginx"), {QStringLiteral("web")}, {QStringLiteral("nginx:8080")}},
        };
        QList<RootCause::Node> nodes;
        for (const Service& s : graph) {
            RootCause::Node node{s.name,
                                 unhealthy.contains(s.name) ? ProbeStatus::Unhealthy : ProbeStatus::Healthy,
                                 s.dependsOn,
                                 s.endpoints,
                                 {}};
            for (const QString& r : refused) {
                if (r.section(u'@', 0, 0) == s.name)
                    node.refused.append(r.section(u'@', 1));
            }
            nodes.append(node);
        }
        QCOMPARE(RootCause::roots(nodes), roots);
        QStringList got = RootCause::consequences(nodes).value(consequence);
        got.sort();
        QStringList expected = causedBy;
        expected.sort();
        QCOMPARE(got, expected);
    }
};

QTEST_GUILESS_MAIN(TestCheckStateMachine)
#include "tst_checkstatemachine.moc"
