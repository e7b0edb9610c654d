#include "ProbeRunner.h"
#include "TestSupport.h"
#include "probes/RedisProbe.h"
#include "standin/RedisServer.h"

#include <QTcpServer>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

// The Redis PING probe against real redis-server processes, with and without a password.
class TestRedisProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_open.start(), qPrintable(m_open.errorString()));
        QVERIFY2(m_locked.start(QStringLiteral("s3cr@t pw")), qPrintable(m_locked.errorString()));
    }

    void ping_data()
    {
        QTest::addColumn<bool>("locked");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<int>("db");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("summaryPart");

        const int healthy = int(ProbeStatus::Healthy);
        const int unknown = int(ProbeStatus::Unknown);
        QTest::newRow("open server") << false << QString() << QString() << 0 << healthy << QStringLiteral("PONG");
        QTest::newRow("open server, db 3") << false << QString() << QString() << 3 << healthy << QStringLiteral("PONG");
        QTest::newRow("db out of range") << false << QString() << QString() << 99 << unknown
                                         << QStringLiteral("ERR DB index is out of range");
        QTest::newRow("password") << true << QString() << QStringLiteral("s3cr@t pw") << 0 << healthy
                                  << QStringLiteral("PONG");
        QTest::newRow("ACL user default + password") << true << QStringLiteral("default") << QStringLiteral("s3cr@t pw")
                                                     << 1 << healthy << QStringLiteral("PONG");
        QTest::newRow("no password: NOAUTH verbatim")
            << true << QString() << QString() << 0 << unknown << QStringLiteral("NOAUTH Authentication required.");
        QTest::newRow("wrong password: WRONGPASS verbatim")
            << true << QString() << QStringLiteral("nope") << 0 << unknown << QStringLiteral("WRONGPASS");
    }
    void ping()
    {
        QFETCH(bool, locked);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(int, db);
        QFETCH(int, status);
        QFETCH(QString, summaryPart);
        RedisTarget target;
        target.port = locked ? m_locked.port() : m_open.port();
        target.user = user;
        target.password = password;
        target.db = db;
        RedisProbe probe(target, 2s);
        const ProbeResult r = test::runProbe(probe);
        QVERIFY2(r.summary.contains(summaryPart), qPrintable(r.summary));
        QCOMPARE(int(r.status), status);
        QVERIFY(!r.summary.contains(QStringLiteral("s3cr@t")));
        QVERIFY(r.latencyMs > 0.0 && r.latencyMs < 2000.0);
    }

    void stoppedServerIsRefused()
    {
        test::RedisServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        server.stop();
        RedisTarget target;
        target.port = server.port();
        RedisProbe probe(target, 2s);
        const ProbeResult r = test::runProbe(probe);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QVERIFY2(r.summary.contains(QStringLiteral("refused")), qPrintable(r.summary));
    }

    // A stopped (SIGSTOP) redis-server accepts connections in the kernel but never answers.
    void frozenServerTimesOutOnTime()
    {
        test::RedisServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QVERIFY(server.pause());
        RedisTarget target;
        target.port = server.port();
        RedisProbe probe(target, 300ms);
        const ProbeResult r = test::runProbe(probe);
        QVERIFY(server.resume());
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QVERIFY2(r.summary.contains(QStringLiteral("did not answer PING")), qPrintable(r.summary));
        QVERIFY2(r.latencyMs >= 300.0 && r.latencyMs < 350.0, qPrintable(QString::number(r.latencyMs)));
    }

    // Something else on the port (here an HTTP-ish banner) must give a clear error, not a hang.
    void nonRedisPeerIsNamed()
    {
        QTcpServer peer;
        QVERIFY(peer.listen(QHostAddress::LocalHost, 0));
        connect(&peer, &QTcpServer::newConnection, &peer, [&peer] {
            QTcpSocket* s = peer.nextPendingConnection();
            s->write("HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n");
        });
        RedisTarget target;
        target.port = peer.serverPort();
        RedisProbe probe(target, 2s);
        const ProbeResult r = test::runProbe(probe);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QVERIFY2(r.summary.contains(QStringLiteral("not a Redis server")), qPrintable(r.summary));
        QVERIFY2(r.summary.contains(QStringLiteral("HTTP/1.1 400")), qPrintable(r.summary));
        QVERIFY(r.latencyMs < 1000.0);
    }

private:
    test::RedisServer m_open;
    test::RedisServer m_locked;
};

QTEST_GUILESS_MAIN(TestRedisProbe)
#include "tst_redisprobe.moc"
