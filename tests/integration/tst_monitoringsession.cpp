#include "TestSupport.h"
#include "engine/MonitoringSession.h"
#include "standin/RedisServer.h"
#include "store/HistoryStore.h"

#include <QCoreApplication>
#include <QFuture>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(okh::MonitoringSession::Failure)

namespace {

DeploymentSpec deploymentOn(quint16 redisPort)
{
    CheckSpec ping;
    ping.name = QStringLiteral("ping");
    ping.role = CheckRole::Readiness;
    ping.interval = 100ms;
    ping.timeout = 500ms;
    RedisTarget target;
    target.port = redisPort;
    ping.target = target;
    DeploymentSpec spec;
    spec.name = QStringLiteral("local");
    spec.services = {ServiceSpec{QStringLiteral("redis"), QStringLiteral("redis"), {}, {ping}, {}, {}}};
    return spec;
}

} // namespace

// The monitoring session `serve` and the desktop app run, on a real redis-server: the history
// file is locked for one writer, opened before any monitor starts, holds what the monitors
// recorded once stop() reports it flushed, and a session that cannot have its history starts
// nothing.
class TestMonitoringSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<MonitoringSession::Failure>();
        QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
    }

    void recordsAndFlushesOnStop_data()
    {
        QTest::addColumn<bool>("withHistory");
        QTest::newRow("with a history file") << true;
        QTest::newRow("without history") << false;
    }
    void recordsAndFlushesOnStop()
    {
        QFETCH(bool, withHistory);
        const QString path = withHistory ? m_dir.filePath(QStringLiteral("sub/dir/history.sqlite")) : QString();
        MonitoringSession session({path, {}, &SystemClock::instance(), {}});
        QSignalSpy started(&session, &MonitoringSession::started);
        QSignalSpy failed(&session, &MonitoringSession::failed);
        QSignalSpy updates(&session, &MonitoringSession::checkUpdated);
        QSignalSpy flips(&session, &MonitoringSession::verdictChanged);
        session.start({deploymentOn(m_redis.port())});
        QVERIFY(test::spinUntil([&] { return !started.isEmpty() || !failed.isEmpty(); }, 5000));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).toString()));
        QCOMPARE(session.monitors().size(), size_t(1));
        QCOMPARE(session.checkCount(), 1);
        QCOMPARE(session.history() != nullptr, withHistory);
        QVERIFY(test::spinUntil([&] { return updates.size() >= 3; }, 5000));
        QCOMPARE(flips.size(), 1); // unknown → healthy, once
        QCOMPARE(flips.first().at(2).value<ProbeStatus>(), ProbeStatus::Healthy);

        QSignalSpy stopped(&session, &MonitoringSession::stopped);
        session.stop(5s);
        QVERIFY(test::spinUntil([&] { return !stopped.isEmpty(); }, 6000));
        QCOMPARE(stopped.first().at(0).toBool(), true);
        const qsizetype seen = updates.size();
        QTest::qWait(300); // three intervals: no monitor runs after stop()
        QCOMPARE(updates.size(), seen);
        if (!withHistory)
            return;
        // The store keeps one result per check and second (history.md): one row per second seen.
        QSet<qint64> seconds;
        for (const QList<QVariant>& update : std::as_const(updates))
            seconds.insert(update.at(0).value<CheckSnapshot>().state.lastResultMs / 1000);
        const StoreStats stats = session.history()->stats().result();
        QVERIFY(stats.open);
        QCOMPARE(stats.results, qint64(seconds.size()));
    }

    void cannotHaveItsHistory_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<MonitoringSession::Failure>("failure");
        QTest::addColumn<QString>("messageContains");
        QTest::newRow("another writer holds it")
            << QStringLiteral("locked") << MonitoringSession::Failure::HistoryLocked
            << QStringLiteral("is already written by another process (pid %1 on ")
                   .arg(QCoreApplication::applicationPid());
        QTest::newRow("a directory where the file should be")
            << QStringLiteral("directory") << MonitoringSession::Failure::HistoryUnavailable
            << QStringLiteral("cannot open the history file");
    }
    // One deployment replaced while monitored: only its monitor restarts, with the new checks;
    // the other deployment's monitor is the same object and keeps reporting; a removed one
    // reports nothing more.
    void replacesAndRemovesOneDeployment()
    {
        MonitoringSession session({QString(), {}, &SystemClock::instance(), {}});
        QSignalSpy started(&session, &MonitoringSession::started);
        DeploymentSpec first = deploymentOn(m_redis.port());
        DeploymentSpec second = deploymentOn(m_redis.port());
        second.name = QStringLiteral("other");
        session.start({first, second});
        QVERIFY(started.wait(5000));
        DeploymentMonitor* untouched = session.monitor(QStringLiteral("other"));
        QVERIFY(untouched);

        QSet<QString> seen;
        connect(&session, &MonitoringSession::checkUpdated, this,
                [&seen](const CheckSnapshot& c) { seen.insert(c.key.deployment + u'/' + c.key.check); });
        DeploymentSpec changed = first;
        changed.services.first().checks.first().name = QStringLiteral("ping-renamed");
        QSignalSpy services(&session, &MonitoringSession::servicesChanged);
        session.replaceDeployment(changed);
        QCOMPARE(session.monitors().size(), size_t(2));
        QCOMPARE(session.monitor(QStringLiteral("other")), untouched);
        QCOMPARE(session.monitor(QStringLiteral("local"))->spec().services.first().checks.first().name,
                 QStringLiteral("ping-renamed"));
        QVERIFY(services.contains({QStringLiteral("local")}));
        QCOMPARE(session.checkCount(), 2);
        seen.clear();
        QVERIFY(test::spinUntil([&] { return seen.contains(QStringLiteral("local/ping-renamed")); }, 3000));
        QVERIFY(test::spinUntil([&] { return seen.contains(QStringLiteral("other/ping")); }, 3000));
        QTest::qWait(300); // any late result of the replaced monitor would have come by now
        seen.clear();
        QTest::qWait(300);
        QVERIFY2(!seen.contains(QStringLiteral("local/ping")), "the replaced monitor reports no more");

        // A new name is added beside the others; removing one stops it.
        DeploymentSpec third = deploymentOn(m_redis.port());
        third.name = QStringLiteral("third");
        session.replaceDeployment(third);
        QCOMPARE(session.monitors().size(), size_t(3));
        QVERIFY(session.removeDeployment(QStringLiteral("other")));
        QVERIFY(!session.removeDeployment(QStringLiteral("other")));
        QCOMPARE(session.monitor(QStringLiteral("other")), nullptr);
        QTest::qWait(200);
        seen.clear();
        QVERIFY(test::spinUntil([&] { return seen.contains(QStringLiteral("third/ping")); }, 3000));
        QVERIFY(!seen.contains(QStringLiteral("other/ping")));

        QSignalSpy stopped(&session, &MonitoringSession::stopped);
        session.stop(5s);
        QVERIFY(stopped.wait(6000));
    }

    void cannotHaveItsHistory()
    {
        QFETCH(QString, kind);
        QFETCH(MonitoringSession::Failure, failure);
        QFETCH(QString, messageContains);
        const QString path = m_dir.filePath(kind + QStringLiteral(".sqlite"));
        std::unique_ptr<MonitoringSession> first;
        if (kind == QLatin1String("locked")) {
            first = std::make_unique<MonitoringSession>(
                MonitoringSession::Options{path, {}, &SystemClock::instance(), {}});
            QSignalSpy started(first.get(), &MonitoringSession::started);
            first->start({deploymentOn(m_redis.port())});
            QVERIFY(started.wait(5000));
        } else {
            QVERIFY(QDir().mkpath(path));
        }

        MonitoringSession second({path, {}, &SystemClock::instance(), {}});
        QSignalSpy started(&second, &MonitoringSession::started);
        QSignalSpy failed(&second, &MonitoringSession::failed);
        QSignalSpy updates(&second, &MonitoringSession::checkUpdated);
        second.start({deploymentOn(m_redis.port())});
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.first().at(0).value<MonitoringSession::Failure>(), failure);
        const QString message = failed.first().at(1).toString();
        QVERIFY2(message.contains(messageContains), qPrintable(message));
        QVERIFY2(message.contains(path), qPrintable(message));
        QTest::qWait(300);
        QVERIFY(started.isEmpty());
        QVERIFY(second.monitors().empty());
        QVERIFY(updates.isEmpty());
    }

private:
    test::RedisServer m_redis;
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestMonitoringSession)
#include "tst_monitoringsession.moc"
