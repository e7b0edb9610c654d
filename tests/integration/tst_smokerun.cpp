#include "TestSupport.h"
#include "run/SmokeRun.h"
#include "standin/RedisServer.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

namespace {

DeploymentSpec redisDeployment(quint16 port)
{
    CheckSpec ping;
    ping.name = QStringLiteral("ping");
    ping.role = CheckRole::Readiness;
    RedisTarget target;
    target.port = port;
    ping.target = target;
    CheckSpec info = ping;
    info.name = QStringLiteral("info");
    info.role = CheckRole::Info;
    ServiceSpec redis{QStringLiteral("redis"), QStringLiteral("redis"), {}, {ping, info}, {}, {}};
    return DeploymentSpec{QStringLiteral("smoke"), {}, {redis}};
}

} // namespace

// SmokeRun against a real redis-server: one round when nothing is waited for; with a deadline,
// rounds again until the checks are healthy (the server comes up in between) or time is up.
class TestSmokeRun : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_network;

    ProbeEnvironment environment() { return ProbeEnvironment{&m_network}; }

private Q_SLOTS:
    void oneRoundWithProgress()
    {
        test::RedisServer redis;
        QVERIFY(redis.start());
        SmokeRun run(redisDeployment(redis.port()), environment(), std::nullopt);
        QSignalSpy progress(&run, &SmokeRun::progress);
        QSignalSpy waiting(&run, &SmokeRun::waiting);
        QSignalSpy finished(&run, &SmokeRun::finished);
        run.start();
        QVERIFY(finished.wait(10000));
        const auto report = finished.first().first().value<RunReport>();
        QVERIFY(report.gatingChecksHealthy());
        QCOMPARE(report.checkCount(), 2);
        QCOMPARE(progress.size(), 2);
        QCOMPARE(progress.last(), (QList<QVariant>{1, 2, 2}));
        QCOMPARE(waiting.size(), 0);
        QCOMPARE(run.round(), 1);
    }

    void failsWithoutWaiting()
    {
        const quint16 port = test::freePort();
        SmokeRun run(redisDeployment(port), environment(), std::nullopt);
        QSignalSpy finished(&run, &SmokeRun::finished);
        run.start();
        QVERIFY(finished.wait(10000));
        const auto report = finished.first().first().value<RunReport>();
        QCOMPARE(report.status(), ProbeStatus::Unhealthy);
        QCOMPARE(run.round(), 1);
    }

    // The release case: the server is started while the smoke check waits for it.
    void waitsUntilReady()
    {
        const quint16 port = test::freePort();
        SmokeRun run(redisDeployment(port), environment(), QDeadlineTimer(30000));
        QSignalSpy waiting(&run, &SmokeRun::waiting);
        QSignalSpy finished(&run, &SmokeRun::finished);
        run.start();
        QVERIFY(waiting.wait(10000));
        QCOMPARE(waiting.first().at(1).toInt(), 1); // the readiness check; info never gates
        test::RedisServer redis;
        redis.setPort(port);
        QVERIFY(redis.start());
        QVERIFY(finished.wait(15000));
        const auto report = finished.first().first().value<RunReport>();
        QVERIFY(report.gatingChecksHealthy());
        QVERIFY2(run.round() >= 2, qPrintable(QString::number(run.round())));
    }

    void givesUpAtTheDeadline()
    {
        const quint16 port = test::freePort();
        SmokeRun run(redisDeployment(port), environment(), QDeadlineTimer(1500));
        QSignalSpy finished(&run, &SmokeRun::finished);
        QElapsedTimer clock;
        clock.start();
        run.start();
        QVERIFY(finished.wait(10000));
        QVERIFY2(clock.elapsed() >= 1400 && clock.elapsed() < 6000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(finished.first().first().value<RunReport>().status(), ProbeStatus::Unhealthy);
        QVERIFY(run.round() >= 2);
    }

    void cancelStopsEverySignal()
    {
        const quint16 port = test::freePort();
        SmokeRun run(redisDeployment(port), environment(), QDeadlineTimer(30000));
        QSignalSpy waiting(&run, &SmokeRun::waiting);
        QSignalSpy finished(&run, &SmokeRun::finished);
        run.start();
        QVERIFY(waiting.wait(10000));
        run.cancel();
        QTest::qWait(2500);
        QCOMPARE(finished.size(), 0);
        QCOMPARE(waiting.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSmokeRun)
#include "tst_smokerun.moc"
