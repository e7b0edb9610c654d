#include "ProbeRunner.h"
#include "TestSupport.h"
#include "config/RedisUrl.h"
#include "probes/CeleryPingProbe.h"
#include "probes/HeartbeatProbe.h"
#include "standin/CeleryWorker.h"
#include "standin/RedisServer.h"

#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

// The native Celery ping and heartbeat listener against real Celery 5.2 workers on a real
// Redis broker. Safety first: a malformed broadcast can make every worker exit, so after every
// request the workers must still be alive, and the broker must hold no key of ours.
class TestCeleryPingProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!test::CeleryWorker::isAvailable(&why))
            QFAIL(qPrintable(why));
        QVERIFY2(m_redis.start(QStringLiteral("pa:ss@word")), qPrintable(m_redis.errorString()));
        // db 3, password with URL-special characters: both must survive the whole path.
        m_url = QStringLiteral("redis://:%1@127.0.0.1:%2/3")
                    .arg(QString::fromUtf8(QUrl::toPercentEncoding(m_redis.password())))
                    .arg(m_redis.port());
        for (auto* w : {&m_first, &m_second}) {
            test::CeleryWorker::Options options;
            options.brokerUrl = m_url;
            options.nodeName = w == &m_first ? QStringLiteral("celery@docker") : QStringLiteral("celery@8c2f0e1a9b7d");
            QVERIFY2(w->start(options), qPrintable(w->errorString()));
        }
        m_keysBefore = brokerKeys();
        QVERIFY2(!m_keysBefore.isEmpty(), "the workers register their bindings in db 3");
    }

    void ping_data()
    {
        QTest::addColumn<QStringList>("workers");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("summaryPart");
        QTest::addColumn<QString>("hintPart");
        QTest::addColumn<int>("maxMs");

        const int healthy = int(ProbeStatus::Healthy);
        const int unhealthy = int(ProbeStatus::Unhealthy);
        QTest::newRow("named worker answers") << QStringList{QStringLiteral("celery@docker")} << healthy
                                              << QStringLiteral("celery@docker: PONG") << QString() << 900;
        QTest::newRow("two named workers answer")
            << QStringList{QStringLiteral("celery@docker"), QStringLiteral("celery@8c2f0e1a9b7d")} << healthy
            << QStringLiteral("PONG") << QString() << 900;
        QTest::newRow("broadcast lists everyone")
            << QStringList() << healthy << QStringLiteral("celery@8c2f0e1a9b7d, celery@docker") << QString() << 2500;
        QTest::newRow("wrong name: the hint names who answers")
            << QStringList{QStringLiteral("celery@Docker")} << unhealthy
            << QStringLiteral("no reply to ping from 'celery@Docker' after 1 s")
            << QStringLiteral("celery@8c2f0e1a9b7d, celery@docker") << 3500;
    }
    void ping()
    {
        QFETCH(QStringList, workers);
        QFETCH(int, status);
        QFETCH(QString, summaryPart);
        QFETCH(QString, hintPart);
        QFETCH(int, maxMs);

        CeleryPingTarget target;
        target.broker = *parseRedisUrl(m_url).target;
        target.workers = workers;
        target.replyTimeout = 1s;
        CeleryPingProbe probe(target, 5s);
        const ProbeResult r = test::runProbe(probe);
        QVERIFY2(int(r.status) == status, qPrintable(r.summary));
        QVERIFY2(r.summary.contains(summaryPart), qPrintable(r.summary));
        if (!hintPart.isEmpty())
            QVERIFY2(r.hint.contains(hintPart), qPrintable(r.hint));
        QVERIFY2(r.latencyMs < maxMs, qPrintable(QString::number(r.latencyMs)));
        verifyWorkersAliveAndBrokerClean();
    }

    // A frozen worker (SIGSTOP) keeps its subscription but answers nothing: no reply in time,
    // and the hint says why rather than blaming the name.
    void frozenWorkerGetsNoReply()
    {
        QVERIFY(m_second.freeze());
        CeleryPingTarget target;
        target.broker = *parseRedisUrl(m_url).target;
        target.workers = {m_second.nodeName()};
        target.replyTimeout = 1s;
        CeleryPingProbe probe(target, 5s);
        const ProbeResult r = test::runProbe(probe);
        QVERIFY(m_second.thaw());
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QVERIFY2(r.summary.contains(QStringLiteral("no reply")), qPrintable(r.summary));
        QVERIFY2(r.latencyMs >= 1000.0, qPrintable(QString::number(r.latencyMs)));
        // The other worker still answers the broadcast, so the hint lists it.
        QVERIFY2(r.hint.contains(QStringLiteral("celery@docker")), qPrintable(r.hint));
        verifyWorkersAliveAndBrokerClean();
    }

    // A check timeout shorter than the ping's reply timeout: the probe must stop collecting in
    // time to remove its own binding (a BRPOP cut off by the timeout blocks the connection, and
    // what was queued behind it is lost with it).
    void checkTimeoutShorterThanThePingLeavesNoBinding()
    {
        const QStringList bindingsBefore = replyBindings();
        CeleryPingTarget target;
        target.broker = *parseRedisUrl(m_url).target;
        target.workers = {QStringLiteral("celery@nobody")};
        target.replyTimeout = 3s;
        CeleryPingProbe probe(target, 1s);
        const ProbeResult r = test::runProbe(probe);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QVERIFY2(r.summary.contains(QStringLiteral("after 1 s")), qPrintable(r.summary));
        QVERIFY2(r.hint.contains(QStringLiteral("ended the wait before the ping's own timeout (3 s)")),
                 qPrintable(r.hint));
        QCOMPARE(replyBindings(), bindingsBefore);
        verifyWorkersAliveAndBrokerClean();
    }

    void wrongDatabaseHasNoListeners()
    {
        CeleryPingTarget target;
        target.broker = *parseRedisUrl(m_url).target;
        target.broker.db = 5;
        target.workers = {QStringLiteral("celery@docker")};
        CeleryPingProbe probe(target, 5s);
        const ProbeResult r = test::runProbe(probe);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QVERIFY2(r.hint.contains(QStringLiteral("/5.celery.pidbox")), qPrintable(r.hint));
        // Nobody listens on /5.: no need to wait for the timeout.
        QVERIFY2(r.latencyMs < 500.0, qPrintable(QString::number(r.latencyMs)));
        verifyWorkersAliveAndBrokerClean();
    }

    void brokerErrors_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("brokerDown");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("summaryPart");
        QTest::newRow("no password: NOAUTH, the monitor's trouble")
            << QString() << false << int(ProbeStatus::Unknown) << QStringLiteral("NOAUTH");
        QTest::newRow("broker down") << QStringLiteral("x") << true << int(ProbeStatus::Unhealthy)
                                     << QStringLiteral("refused");
    }
    void brokerErrors()
    {
        QFETCH(QString, password);
        QFETCH(bool, brokerDown);
        QFETCH(int, status);
        QFETCH(QString, summaryPart);
        CeleryPingTarget target;
        target.broker = *parseRedisUrl(m_url).target;
        target.broker.password = password;
        if (brokerDown)
            target.broker.port = test::freePort();
        target.workers = {QStringLiteral("celery@docker")};
        CeleryPingProbe probe(target, 5s);
        const ProbeResult r = test::runProbe(probe);
        QVERIFY2(int(r.status) == status, qPrintable(r.summary));
        QVERIFY2(r.summary.contains(summaryPart), qPrintable(r.summary));
        QVERIFY(!r.summary.contains(m_redis.password()));
        verifyWorkersAliveAndBrokerClean();
    }

    void heartbeats_data()
    {
        QTest::addColumn<QStringList>("workers");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("part");
        QTest::newRow("named worker heard") << QStringList{QStringLiteral("celery@docker")} << int(ProbeStatus::Healthy)
                                            << QStringLiteral("celery@docker");
        QTest::newRow("everyone heard") << QStringList() << int(ProbeStatus::Healthy)
                                        << QStringLiteral("2 worker(s) alive");
        QTest::newRow("unknown name: hint lists who beats")
            << QStringList{QStringLiteral("celery@nobody")} << int(ProbeStatus::Unhealthy)
            << QStringLiteral("celery@8c2f0e1a9b7d, celery@docker");
    }
    void heartbeats()
    {
        QFETCH(QStringList, workers);
        QFETCH(int, status);
        QFETCH(QString, part);
        HeartbeatTarget target;
        target.broker = *parseRedisUrl(m_url).target;
        target.workers = workers;
        target.listen = 4500ms; // two 2-s heartbeat intervals
        HeartbeatProbe probe(target, 6s);
        const ProbeResult r = test::runProbe(probe);
        QVERIFY2(int(r.status) == status, qPrintable(r.summary));
        QVERIFY2(QString(r.summary + r.hint).contains(part), qPrintable(r.summary + u" | " + r.hint));
        const QString detail = r.detail(QStringLiteral("worker: celery@docker"));
        QVERIFY2(detail.contains(QStringLiteral("py-celery 5.")), qPrintable(detail));
        QVERIFY2(detail.contains(QStringLiteral("processed")), qPrintable(detail));
        verifyWorkersAliveAndBrokerClean();
    }

private:
    QStringList brokerKeys() const
    {
        const auto result = test::runCommand(
            QStringLiteral("redis-cli"),
            {QStringLiteral("-p"), QString::number(m_redis.port()), QStringLiteral("-a"), m_redis.password(),
             QStringLiteral("--no-auth-warning"), QStringLiteral("-n"), QStringLiteral("3"), QStringLiteral("--scan")});
        QStringList keys = QString::fromUtf8(result.standardOutput).split(u'\n', Qt::SkipEmptyParts);
        keys.sort();
        return keys;
    }

    // The members of kombu's reply binding set: a ping's own binding must not stay behind.
    QStringList replyBindings() const
    {
        const auto result = test::runCommand(
            QStringLiteral("redis-cli"),
            {QStringLiteral("-p"), QString::number(m_redis.port()), QStringLiteral("-a"), m_redis.password(),
             QStringLiteral("--no-auth-warning"), QStringLiteral("-n"), QStringLiteral("3"), QStringLiteral("SMEMBERS"),
             QStringLiteral("_kombu.binding.reply.celery.pidbox")});
        QStringList members = QString::fromUtf8(result.standardOutput).split(u'\n', Qt::SkipEmptyParts);
        members.sort();
        return members;
    }

    void verifyWorkersAliveAndBrokerClean()
    {
        QVERIFY2(m_first.isAlive(), qPrintable(m_first.logTail()));
        QVERIFY2(m_second.isAlive(), qPrintable(m_second.logTail()));
        QCOMPARE(brokerKeys(), m_keysBefore);
        // And they still answer Celery's own client.
        QVERIFY2(m_first.ping().succeeded(), qPrintable(m_first.logTail()));
    }

    test::RedisServer m_redis;
    test::CeleryWorker m_first;
    test::CeleryWorker m_second;
    QString m_url;
    QStringList m_keysBefore;
};

QTEST_GUILESS_MAIN(TestCeleryPingProbe)
#include "tst_celerypingprobe.moc"
