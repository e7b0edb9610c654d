#include "CeleryBeat.h"
#include "TestSupport.h"
#include "standin/CeleryWorker.h"
#include "standin/ProcessTree.h"
#include "standin/RedisServer.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

namespace {

QDateTime modified(const QString& path)
{
    return QFileInfo(path).fileTime(QFileDevice::FileModificationTime);
}

// `celery -A okh_celery inspect ping -d <node>`: Celery's own command line, independent of the
// fixture's okh_ping.py. Exit 0 and "pong" on a reply; exit 69 (EX_UNAVAILABLE) without one.
test::CommandResult inspectPing(const QString& brokerUrl, const QString& node, int timeoutSeconds = 2)
{
    return test::runCommand(test::CeleryWorker::python(),
                            {QStringLiteral("-m"), QStringLiteral("celery"), QStringLiteral("-A"),
                             QStringLiteral("okh_celery"), QStringLiteral("inspect"), QStringLiteral("ping"),
                             QStringLiteral("-d"), node, QStringLiteral("-t"), QString::number(timeoutSeconds)},
                            30000, test::CeleryWorker::appEnvironment(brokerUrl));
}

} // namespace

// The CeleryWorker and CeleryBeat fixtures against real redis-server, celery worker and celery
// beat processes, checked with tools that do not trust the fixture: the files on disk, Celery's
// own `inspect ping`, and the process states in /proc.
class TestCeleryFixture : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!test::CeleryWorker::isAvailable(&why))
            QSKIP(qPrintable(why));
        QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
        test::CeleryWorker::Options options;
        options.brokerUrl = m_redis.url();
        options.nodeName = QStringLiteral("celery@okhtest");
        QVERIFY2(m_worker.start(options), qPrintable(m_worker.errorString()));
        qCInfo(lcTestFixture) << "solo worker ready after" << m_worker.startupSeconds() << "s";
    }

    void readyWorkerHasBothFiles()
    {
        QVERIFY(m_worker.isAlive());
        QVERIFY(m_worker.pid() > 0);
        QCOMPARE(m_worker.nodeName(), QStringLiteral("celery@okhtest"));
        QVERIFY2(QFileInfo(m_worker.readinessFile()).isFile(), qPrintable(m_worker.readinessFile()));
        QVERIFY2(QFileInfo(m_worker.livenessFile()).isFile(), qPrintable(m_worker.livenessFile()));
        QVERIFY(m_worker.logTail().contains(QStringLiteral("celery@okhtest ready.")));
    }

    void livenessFileIsTouchedEverySecond()
    {
        const QDateTime before = modified(m_worker.livenessFile());
        QTRY_VERIFY_WITH_TIMEOUT(modified(m_worker.livenessFile()) > before, 3000);
    }

    void answersCeleryInspectPing()
    {
        const test::CommandResult r = inspectPing(m_worker.brokerUrl(), m_worker.nodeName());
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        QVERIFY2(r.standardOutput.contains("celery@okhtest: OK"), qPrintable(r.describe()));
        QVERIFY2(r.standardOutput.contains("pong"), qPrintable(r.describe()));
    }

    void answersControlPing()
    {
        const test::CommandResult r = m_worker.ping();
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        QCOMPARE(r.standardOutput.trimmed(), QByteArrayLiteral("celery@okhtest: PONG."));
    }

    void otherNodeNameGetsNoReply()
    {
        // destination is an exact match on the node name (kombu/pidbox.py, Node.handle_message).
        const test::CommandResult r = test::CeleryWorker::ping(m_worker.brokerUrl(), QStringLiteral("celery@okh"), 1s);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.standardError.contains("No reply to ping from 'celery@okh' after 1s."), qPrintable(r.describe()));
    }

    void runsATask()
    {
        const test::CommandResult r
            = test::runCommand(test::CeleryWorker::python(),
                               {QStringLiteral("-c"), QStringLiteral("from okh_celery import add; add.delay(2, 3)")},
                               30000, test::CeleryWorker::appEnvironment(m_worker.brokerUrl()));
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        QTRY_VERIFY2_WITH_TIMEOUT(m_worker.logTail(100).contains(QStringLiteral("succeeded in")),
                                  qPrintable(m_worker.logTail()), 10000);
    }

    void frozenWorkerNeitherAnswersNorTouches()
    {
        QVERIFY(m_worker.freeze());
        QVERIFY(m_worker.isFrozen());
        QVERIFY(m_worker.isAlive());
        const QDateTime before = modified(m_worker.livenessFile());
        const test::CommandResult r = m_worker.ping(1s);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.standardError.contains("No reply to ping from 'celery@okhtest'"), qPrintable(r.describe()));
        // The ping took over a second, more than the probe frequency: a running loop would have
        // touched the file by now.
        QCOMPARE(modified(m_worker.livenessFile()), before);

        QVERIFY(m_worker.thaw());
        QVERIFY(!m_worker.isFrozen());
        const test::CommandResult again = m_worker.ping();
        QVERIFY2(again.succeeded(), qPrintable(again.describe()));
        QTRY_VERIFY_WITH_TIMEOUT(modified(m_worker.livenessFile()) > before, 3000);
    }

    void gracefulStopDeletesBothFiles()
    {
        const qint64 pid = m_worker.pid();
        QVERIFY(m_worker.stop());
        QVERIFY(!m_worker.isAlive());
        QVERIFY(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)));
        QVERIFY(!QFileInfo::exists(m_worker.readinessFile()));
        QVERIFY(!QFileInfo::exists(m_worker.livenessFile()));
        QVERIFY2(m_worker.logTail().contains(QStringLiteral("Warm shutdown")), qPrintable(m_worker.logTail()));
        const test::CommandResult r = m_worker.ping(1s);
        QCOMPARE(r.exitCode, 2);
    }

    // A password with characters that need percent-encoding in the URL (kombu decodes them).
    void passwordProtectedBroker()
    {
        test::RedisServer locked;
        QVERIFY2(locked.start(QStringLiteral("s3cr@t pw")), qPrintable(locked.errorString()));
        test::CeleryWorker worker;
        test::CeleryWorker::Options options;
        options.brokerUrl = locked.url();
        options.nodeName = QStringLiteral("celery@okhtest-pw");
        QVERIFY2(worker.start(options), qPrintable(worker.errorString()));
        const test::CommandResult r = inspectPing(locked.url(), options.nodeName);
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        QVERIFY2(r.standardOutput.contains("celery@okhtest-pw: OK"), qPrintable(r.describe()));

        // A crash: SIGKILL leaves both files behind, and nothing touches the liveness file any more.
        const qint64 pid = worker.pid();
        worker.kill();
        QVERIFY(!worker.isAlive());
        QVERIFY(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)));
        QVERIFY(QFileInfo(worker.readinessFile()).isFile());
        QVERIFY(QFileInfo(worker.livenessFile()).isFile());
        const QDateTime before = modified(worker.livenessFile());
        const test::CommandResult gone = worker.ping(1s);
        QCOMPARE(gone.exitCode, 2);
        QCOMPARE(modified(worker.livenessFile()), before);
    }

    void remoteControlDisabledNeverAnswers()
    {
        test::CeleryWorker worker;
        test::CeleryWorker::Options options;
        options.brokerUrl = m_redis.url();
        options.nodeName = QStringLiteral("celery@okhtest-noremote");
        options.remoteControl = false;
        QVERIFY2(worker.start(options), qPrintable(worker.errorString()));
        QVERIFY(QFileInfo(worker.readinessFile()).isFile());
        const test::CommandResult r = worker.ping(1s);
        QCOMPARE(r.exitCode, 2);
    }

    // The prefork pool: freeze() must stop the pool process too, and stop() must leave none.
    void preforkFreezeStopsThePool()
    {
        test::CeleryWorker worker;
        test::CeleryWorker::Options options;
        options.brokerUrl = m_redis.url();
        options.nodeName = QStringLiteral("celery@okhtest-prefork");
        options.pool = test::CeleryWorker::Pool::Prefork;
        QVERIFY2(worker.start(options), qPrintable(worker.errorString()));
        qCInfo(lcTestFixture) << "prefork worker ready after" << worker.startupSeconds() << "s";
        const QList<qint64> pool = worker.childPids();
        QCOMPARE(pool.size(), 1);

        QVERIFY(worker.freeze());
        for (const qint64 child : pool)
            QVERIFY(test::waitForStopState(child, true));
        QVERIFY(worker.thaw());
        for (const qint64 child : pool)
            QVERIFY(test::waitForStopState(child, false));
        QVERIFY(worker.ping().succeeded());

        // Frozen at stop time: the pool is continued too, so the warm shutdown completes in grace.
        QVERIFY(worker.freeze());
        QVERIFY(worker.stop());
        for (const qint64 child : pool)
            QVERIFY(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(child)));
        QVERIFY(!QFileInfo::exists(worker.readinessFile()));
    }

    void beatTouchesItsFileForEveryTask()
    {
        test::CeleryBeat beat;
        QVERIFY2(beat.start({m_redis.url(), 1}), qPrintable(beat.errorString()));
        qCInfo(lcTestFixture) << "beat published its first task after" << beat.startupSeconds() << "s";
        QVERIFY(QFileInfo(beat.livenessFile()).isFile());
        const QDateTime first = modified(beat.livenessFile());
        QTRY_VERIFY_WITH_TIMEOUT(modified(beat.livenessFile()) > first, 3000);
        QVERIFY2(beat.logTail().contains(QStringLiteral("Sending due task okh-add-every-interval")),
                 qPrintable(beat.logTail()));
        // Beat's tasks reach the broker: the queue named celery is a Redis list.
        QVERIFY(!test::tcpExchange(m_redis.port(), QByteArrayLiteral("LLEN celery\r\n")).startsWith(":0"));

        QVERIFY(beat.freeze());
        const QDateTime frozen = modified(beat.livenessFile());
        // Proving that nothing happens takes waiting longer than the 1 s schedule.
        QTest::qWait(1500);
        QCOMPARE(modified(beat.livenessFile()), frozen);
        QVERIFY(beat.thaw());
        QTRY_VERIFY_WITH_TIMEOUT(modified(beat.livenessFile()) > frozen, 3000);

        QVERIFY(beat.stop());
        QVERIFY(!beat.isAlive());
        QVERIFY(!QFileInfo::exists(beat.livenessFile()));
    }

private:
    test::RedisServer m_redis;
    test::CeleryWorker m_worker;
};

QTEST_GUILESS_MAIN(TestCeleryFixture)
#include "tst_celeryfixture.moc"
