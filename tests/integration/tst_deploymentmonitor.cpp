#include "SilentPeer.h"
#include "TestSupport.h"
#include "engine/DeploymentMonitor.h"
#include "standin/DjangoServer.h"
#include "standin/NginxServer.h"
#include "standin/PostgresServer.h"
#include "standin/RedisServer.h"

#include <QSignalSpy>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

namespace {

CheckSpec tcpCheck(const QString& name, CheckRole role, quint16 port, std::chrono::milliseconds interval,
                   std::chrono::milliseconds timeout = 500ms, int failureThreshold = 2)
{
    CheckSpec c;
    c.name = name;
    c.role = role;
    c.interval = interval;
    c.timeout = timeout;
    c.failureThreshold = failureThreshold;
    c.target = TcpTarget{QStringLiteral("127.0.0.1"), port};
    return c;
}

CheckSpec redisCheck(quint16 port, std::chrono::milliseconds interval)
{
    CheckSpec c;
    c.name = QStringLiteral("ping");
    c.role = CheckRole::Readiness;
    c.interval = interval;
    c.timeout = 500ms;
    c.failureThreshold = 2;
    RedisTarget t;
    t.port = port;
    c.target = t;
    return c;
}

const ServiceAssessment* serviceIn(const DeploymentSnapshot& s, const QString& name)
{
    for (const auto& a : s.services) {
        if (a.service == name)
            return &a;
    }
    return nullptr;
}

} // namespace

// The continuous engine against real servers: thresholds over time, root causes across
// services, startup gating, no overlapping runs, and scheduling lateness.
class TestDeploymentMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // redis down: its check flips after failureThreshold runs, web's readyz (a 500 while its
    // cache, redis, is down) fails as a consequence, and the first service of the snapshot is
    // redis; nginx, whose own port answers, stays healthy.
    void redisDownIsTheRootCause()
    {
        QString why;
        if (!test::DjangoServer::isAvailable(&why))
            QSKIP(qPrintable(why));
        test::RedisServer redis;
        test::PostgresServer postgres;
        test::DjangoServer django;
        QVERIFY2(django.startWithBackends(redis, postgres), qPrintable(django.errorString()));
        test::NginxServer nginx;
        QVERIFY2(nginx.start(django.port()), qPrintable(nginx.errorString()));
        CheckSpec readyz;
        readyz.name = QStringLiteral("readyz");
        readyz.role = CheckRole::Readiness;
        readyz.interval = 200ms;
        readyz.timeout = 2000ms;
        readyz.failureThreshold = 2;
        HttpTarget readyzTarget;
        readyzTarget.url = QUrl(django.baseUrl() + QStringLiteral("/_healthz/readyz/"));
        readyz.target = readyzTarget;

        DeploymentSpec spec;
        spec.name = QStringLiteral("local");
        ServiceSpec redisService{
            QStringLiteral("redis"), QStringLiteral("redis"), {}, {redisCheck(redis.port(), 200ms)}, {}, {}};
        ServiceSpec web{QStringLiteral("web"),
                        QStringLiteral("web"),
                        {QStringLiteral("redis")},
                        {readyz},
                        {},
                        {{QStringLiteral("Cache backend"), QStringLiteral("redis")}}};
        ServiceSpec proxy{QStringLiteral("nginx"),
                          QStringLiteral("nginx"),
                          {QStringLiteral("web")},
                          {tcpCheck(QStringLiteral("livez"), CheckRole::Liveness, nginx.port(), 200ms)},
                          {},
                          {}};
        spec.services = {proxy, web, redisService};

        DeploymentMonitor monitor(spec, {});
        QStringList flips; // "service/check before→after (result status)"
        connect(&monitor, &DeploymentMonitor::verdictChanged, this,
                [&flips](const CheckKey& key, ProbeStatus before, ProbeStatus after, const ProbeResult& result) {
                    flips.append(QStringLiteral("%1/%2 %3→%4 (%5)")
                                     .arg(key.service, key.check, statusKey(before), statusKey(after),
                                          statusKey(result.status)));
                });
        monitor.start();
        QVERIFY(test::spinUntil(
            [&] {
                const auto s = monitor.snapshot();
                return s.services.size() == 3 && std::all_of(s.services.begin(), s.services.end(), [](const auto& a) {
                           return a.status == ProbeStatus::Healthy;
                       });
            },
            5000));

        redis.stop();
        QVERIFY2(test::spinUntil(
                     [&] {
                         const auto s = monitor.snapshot();
                         return serviceIn(s, QStringLiteral("web"))->status == ProbeStatus::Unhealthy
                             && serviceIn(s, QStringLiteral("redis"))->status == ProbeStatus::Unhealthy;
                     },
                     5000),
                 "redis goes down");
        const auto down = monitor.snapshot();
        QCOMPARE(down.rootCauses, QStringList{QStringLiteral("redis")});
        QCOMPARE(down.services.first().service, QStringLiteral("redis"));
        QCOMPARE(serviceIn(down, QStringLiteral("web"))->causedBy, QStringList{QStringLiteral("redis")});
        // django-redis's ConnectionError escapes django-health-check's cache check: a generic 500.
        QVERIFY2(serviceIn(down, QStringLiteral("web"))->causeReason.startsWith(QLatin1String("readyz")),
                 qPrintable(serviceIn(down, QStringLiteral("web"))->causeReason));
        QVERIFY(serviceIn(down, QStringLiteral("redis"))->rootCause);
        QCOMPARE(serviceIn(down, QStringLiteral("web"))->conclusion, ServiceAssessment::Conclusion::OutOfRotation);
        QCOMPARE(serviceIn(down, QStringLiteral("nginx"))->status, ProbeStatus::Healthy);

        // Each verdict flip once, with the result that flipped it; nginx never flips back.
        monitor.stop();
        flips.sort();
        QCOMPARE(flips,
                 (QStringList{QStringLiteral("nginx/livez unknown→healthy (healthy)"),
                              QStringLiteral("redis/ping healthy→unhealthy (unhealthy)"),
                              QStringLiteral("redis/ping unknown→healthy (healthy)"),
                              QStringLiteral("web/readyz healthy→unhealthy (unhealthy)"),
                              QStringLiteral("web/readyz unknown→healthy (healthy)")}));
    }

    // Check now, pause and resume, the next due time and the ring of recent results, on a real
    // redis-server and a peer that accepts but never answers.
    void controls()
    {
        test::RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        test::SilentPeer silent;
        QVERIFY(silent.start());
        CheckSpec ping = redisCheck(redis.port(), 10s);
        ping.initialDelay = 60s; // nothing runs unless asked
        CheckSpec slow = tcpCheck(QStringLiteral("slow"), CheckRole::Liveness, silent.port(), 10s, 600ms);
        HttpTarget slowTarget;
        slowTarget.url = QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(silent.port()));
        slow.target = slowTarget;
        slow.initialDelay = 60s;
        DeploymentSpec spec;
        spec.name = QStringLiteral("controls");
        spec.services = {ServiceSpec{QStringLiteral("redis"), QStringLiteral("redis"), {}, {ping}, {}, {}},
                         ServiceSpec{QStringLiteral("silent"), QStringLiteral("web"), {}, {slow}, {}, {}}};
        DeploymentMonitor::Options options;
        options.recentResults = 3;
        DeploymentMonitor monitor(spec, options);
        QList<CheckSnapshot> updates;
        connect(&monitor, &DeploymentMonitor::checkUpdated, this,
                [&updates](const CheckSnapshot& c) { updates.append(c); });
        monitor.start();
        QTest::qWait(200);
        QVERIFY(updates.isEmpty());

        // Five runs of redis/ping on request; the ring keeps the last three.
        for (int i = 1; i <= 5; ++i) {
            monitor.runNow(QStringLiteral("redis"), QStringLiteral("ping"));
            QVERIFY(test::spinUntil([&] { return updates.size() == i; }, 3000));
        }
        const CheckSnapshot last = updates.last();
        QCOMPARE(last.key.check, QStringLiteral("ping"));
        QCOMPARE(last.state.runs, 5);
        QCOMPARE(last.recent.size(), 3);
        QCOMPARE(last.recent.last().status, ProbeStatus::Healthy);
        QVERIFY(last.recent.first().atMs <= last.recent.last().atMs);
        // The schedule goes on from the requested run: due one interval later.
        const qint64 dueIn = last.nextDueMs - SystemClock::instance().nowMs();
        QVERIFY2(dueIn > 9000 && dueIn <= 10000, qPrintable(QString::number(dueIn)));
        QVERIFY(!last.running);

        // A check that is running is not started again.
        updates.clear();
        monitor.runNow(QStringLiteral("silent"));
        monitor.runNow(QStringLiteral("silent"));
        QVERIFY(test::spinUntil([&] { return !updates.isEmpty(); }, 3000));
        QTest::qWait(800);
        QCOMPARE(updates.size(), 1);
        QCOMPARE(updates.first().state.runs, 1);
        QCOMPARE(updates.first().lastProblem.status, ProbeStatus::Unhealthy);
        QVERIFY(updates.first().lastProblemMs > 0);

        // Paused: nothing is due and nothing runs, even on request; resumed: due again.
        monitor.setPaused(true);
        QVERIFY(monitor.snapshot().paused);
        for (const CheckSnapshot& c : monitor.snapshot().checks)
            QCOMPARE(c.nextDueMs, qint64(0));
        updates.clear();
        monitor.runNow();
        QTest::qWait(300);
        QVERIFY(updates.isEmpty());
        monitor.setPaused(false);
        QVERIFY(!monitor.snapshot().paused);
        for (const CheckSnapshot& c : monitor.snapshot().checks)
            QVERIFY2(c.nextDueMs > SystemClock::instance().nowMs(), qPrintable(c.key.check));
        monitor.runNow();
        QVERIFY(test::spinUntil([&] { return updates.size() == 2; }, 3000));
        monitor.stop();
    }

    // A probe slower than the interval must not overlap itself.
    void runsNeverOverlap()
    {
        test::SilentPeer silent;
        QVERIFY(silent.start());
        CheckSpec c;
        c.name = QStringLiteral("slow");
        c.role = CheckRole::Liveness;
        c.interval = 100ms;
        c.timeout = 350ms;
        HttpTarget t;
        t.url = QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(silent.port()));
        c.target = t;
        DeploymentSpec spec;
        spec.name = QStringLiteral("d");
        spec.services = {ServiceSpec{QStringLiteral("web"), QStringLiteral("web"), {}, {c}, {}, {}}};
        DeploymentMonitor monitor(spec, {});
        QSignalSpy updates(&monitor, &DeploymentMonitor::checkUpdated);
        monitor.start();
        QTest::qWait(1600);
        monitor.stop();
        // 1.6 s at ≥ 350 ms per run, one at a time: at most 5 results, not 16.
        QVERIFY2(updates.size() >= 3 && updates.size() <= 5, qPrintable(QString::number(updates.size())));
        QVERIFY2(silent.acceptedConnections() <= 5, qPrintable(QString::number(silent.acceptedConnections())));
    }

    // Kubernetes: liveness and readiness wait until the startup probe has passed.
    void startupGatesLivenessAndReadiness()
    {
        const quint16 closed = test::freePort();
        test::RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        DeploymentSpec spec;
        spec.name = QStringLiteral("d");
        ServiceSpec web{QStringLiteral("web"), QStringLiteral("web"), {}, {}, {}, {}};
        web.checks = {tcpCheck(QStringLiteral("healthz"), CheckRole::Startup, closed, 100ms, 300ms, 30),
                      tcpCheck(QStringLiteral("livez"), CheckRole::Liveness, redis.port(), 100ms)};
        spec.services = {web};
        DeploymentMonitor monitor(spec, {});
        QSignalSpy updates(&monitor, &DeploymentMonitor::checkUpdated);
        monitor.start();
        QTest::qWait(800);
        monitor.stop();
        for (const auto& args : updates)
            QVERIFY(args.at(0).value<CheckSnapshot>().key.check != QLatin1String("livez"));
        const auto snapshot = monitor.snapshot();
        QCOMPARE(snapshot.services.first().conclusion, ServiceAssessment::Conclusion::Starting);
    }

    // Kubernetes: a startup probe that passed is not run again, so its target going away
    // later neither costs runs nor reads as "did not pass in time"; liveness goes on.
    void startupCheckRetiresOnceItPassed()
    {
        test::RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        test::NginxServer nginx;
        QVERIFY2(nginx.start(test::freePort()), qPrintable(nginx.errorString()));
        DeploymentSpec spec;
        spec.name = QStringLiteral("d");
        ServiceSpec web{QStringLiteral("web"), QStringLiteral("web"), {}, {}, {}, {}};
        web.checks = {tcpCheck(QStringLiteral("healthz"), CheckRole::Startup, nginx.port(), 100ms, 300ms, 2),
                      tcpCheck(QStringLiteral("livez"), CheckRole::Liveness, redis.port(), 100ms)};
        spec.services = {web};
        DeploymentMonitor monitor(spec, {});
        QSignalSpy updates(&monitor, &DeploymentMonitor::checkUpdated);
        monitor.start();
        QVERIFY(test::spinUntil(
            [&] { return monitor.snapshot().services.first().conclusion == ServiceAssessment::Conclusion::Serving; },
            3000));
        nginx.stop();
        QTest::qWait(800); // eight startup intervals
        monitor.stop();

        int startupRuns = 0;
        int livenessRuns = 0;
        for (const auto& args : updates) {
            const auto check = args.at(0).value<CheckSnapshot>();
            (check.key.check == QLatin1String("healthz") ? startupRuns : livenessRuns)++;
        }
        QCOMPARE(startupRuns, 1);
        QVERIFY2(livenessRuns >= 6, qPrintable(QString::number(livenessRuns)));
        const auto snapshot = monitor.snapshot();
        QCOMPARE(snapshot.services.first().conclusion, ServiceAssessment::Conclusion::Serving);
        const auto healthz = std::find_if(snapshot.checks.cbegin(), snapshot.checks.cend(), [](const CheckSnapshot& c) {
            return c.key.check == QLatin1String("healthz");
        });
        QVERIFY(healthz != snapshot.checks.cend());
        QCOMPARE(healthz->stateText, QStringLiteral("passed; not run again"));
    }

    // Many checks at short intervals: first runs are spread, starts are punctual.
    void schedulingIsPunctual()
    {
        test::RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        DeploymentSpec spec;
        spec.name = QStringLiteral("many");
        ServiceSpec service{QStringLiteral("redis"), QStringLiteral("redis"), {}, {}, {}, {}};
        for (int i = 0; i < 100; ++i)
            service.checks.append(tcpCheck(QStringLiteral("c%1").arg(i), CheckRole::Info, redis.port(), 250ms));
        spec.services = {service};
        DeploymentMonitor monitor(spec, {});
        QSignalSpy updates(&monitor, &DeploymentMonitor::checkUpdated);
        monitor.start();
        // Spread: after 100 ms only about 40 % of the first runs have happened, not all 100.
        QTest::qWait(100);
        QVERIFY2(updates.size() < 80, qPrintable(QString::number(updates.size())));
        QTest::qWait(1900);
        monitor.stop();
        QVERIFY2(monitor.probesRun() >= 600, qPrintable(QString::number(monitor.probesRun())));
        const auto late = monitor.lateness();
        QVERIFY2(late.p99Ms < 20.0, qPrintable(QStringLiteral("p99 %1 ms").arg(late.p99Ms)));
    }
};

QTEST_GUILESS_MAIN(TestDeploymentMonitor)
#include "tst_deploymentmonitor.moc"
