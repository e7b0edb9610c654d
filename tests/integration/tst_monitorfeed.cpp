#include "TestSupport.h"
#include "engine/MonitorFeed.h"
#include "engine/MonitoringSession.h"
#include "standin/RedisServer.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTest>
#include <QThread>
#include <numeric>

using namespace okh;
using namespace std::chrono_literals;

namespace {

DeploymentSpec deploymentOn(quint16 redisPort, int checks, std::chrono::milliseconds interval)
{
    DeploymentSpec spec;
    spec.name = QStringLiteral("local");
    ServiceSpec service{QStringLiteral("redis"), QStringLiteral("redis"), {}, {}, {}, {}};
    for (int i = 0; i < checks; ++i) {
        CheckSpec ping;
        ping.name = QStringLiteral("ping%1").arg(i);
        ping.role = CheckRole::Readiness;
        ping.interval = interval;
        ping.timeout = 500ms;
        RedisTarget target;
        target.port = redisPort;
        ping.target = target;
        service.checks.append(ping);
    }
    spec.services = {service};
    return spec;
}

} // namespace

// The feed a GUI reads, as the desktop app runs it: the session and the feed on a worker
// thread, batches received on this (the "GUI") thread through a queued connection, against
// a real redis-server. Many results a second become a few batches, none holds a check twice,
// and the last state of every check arrives.
class TestMonitorFeed : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString())); }

    void coalescesAcrossThreads_data()
    {
        QTest::addColumn<int>("checks");
        QTest::addColumn<int>("intervalMs");
        QTest::addColumn<int>("periodMs");
        QTest::newRow("50 checks at 50 ms, 200 ms batches") << 50 << 50 << 200;
        QTest::newRow("5 checks at 20 ms, 100 ms batches") << 5 << 20 << 100;
    }
    void coalescesAcrossThreads()
    {
        QFETCH(int, checks);
        QFETCH(int, intervalMs);
        QFETCH(int, periodMs);

        QThread worker;
        worker.start();
        auto* session = new MonitoringSession({QString(), {}, &SystemClock::instance(), {}});
        auto* feed = new MonitorFeed(*session, std::chrono::milliseconds(periodMs));
        session->moveToThread(&worker);
        feed->moveToThread(&worker);

        QList<MonitorBatch> batches;
        QList<Qt::HANDLE> threads;
        connect(feed, &MonitorFeed::batchReady, this, [&](const MonitorBatch& b) {
            batches.append(b);
            threads.append(QThread::currentThreadId());
        });
        QElapsedTimer clock;
        clock.start();
        const DeploymentSpec spec = deploymentOn(m_redis.port(), checks, std::chrono::milliseconds(intervalMs));
        QMetaObject::invokeMethod(session, [session, spec] { session->start({spec}); });
        QTest::qWait(1500);
        QMetaObject::invokeMethod(
            session, [session] { session->stop(2s); }, Qt::BlockingQueuedConnection);
        const qint64 elapsed = clock.elapsed();
        QTest::qWait(periodMs * 2); // the last batch after the stop

        // Counted on the worker thread once no monitor runs any more: what really happened.
        QHash<CheckKey, int> runs;
        QMetaObject::invokeMethod(
            session,
            [session, &runs] {
                for (const CheckSnapshot& c : session->monitors().front()->checkSnapshots())
                    runs.insert(c.key, c.state.runs);
            },
            Qt::BlockingQueuedConnection);
        QMetaObject::invokeMethod(
            session,
            [session, feed] {
                delete feed;
                delete session;
            },
            Qt::BlockingQueuedConnection);
        worker.quit();
        worker.wait();

        QVERIFY(!batches.isEmpty());
        for (Qt::HANDLE t : std::as_const(threads))
            QCOMPARE(t, QThread::currentThreadId());
        // The first batch is the full state of the new session.
        QCOMPARE(batches.first().checks.size(), checks);
        QCOMPARE(batches.first().deployments.size(), 1);
        QVERIFY(batches.first().deployments.first().checks.isEmpty());

        // Rate bounded by the period, however many results came in.
        int results = 0;
        for (const MonitorBatch& b : std::as_const(batches))
            results += b.results;
        const int totalRuns = std::accumulate(runs.cbegin(), runs.cend(), 0);
        QCOMPARE(results, totalRuns);
        QVERIFY2(totalRuns > checks * 10, qPrintable(QString::number(totalRuns)));
        QVERIFY2(batches.size() <= elapsed / periodMs + 3,
                 qPrintable(QStringLiteral("%1 batches in %2 ms").arg(batches.size()).arg(elapsed)));

        // A check at most once per batch; the last state each check was sent in is its final one.
        QHash<CheckKey, int> lastSent;
        for (const MonitorBatch& b : std::as_const(batches)) {
            QSet<CheckKey> inBatch;
            for (const CheckSnapshot& c : b.checks) {
                QVERIFY(!inBatch.contains(c.key));
                inBatch.insert(c.key);
                lastSent.insert(c.key, c.state.runs);
                QVERIFY(c.recent.size() <= c.state.runs);
            }
        }
        QCOMPARE(lastSent, runs);
    }

private:
    test::RedisServer m_redis;
};

QTEST_GUILESS_MAIN(TestMonitorFeed)
#include "tst_monitorfeed.moc"
