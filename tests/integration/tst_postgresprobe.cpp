#include "ProbeRunner.h"
#include "TestSupport.h"
#include "probes/PostgresProbe.h"
#include "standin/PostgresServer.h"

#include <QHash>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

namespace {

// pg_isready's own verdict on the same target: its exit code (0 accepting, 1 rejecting,
// 2 no response, 3 no attempt).
int pgIsReady(const QString& host, const QString& port)
{
    QProcess p;
    p.start(QStringLiteral("pg_isready"),
            {QStringLiteral("-h"), host, QStringLiteral("-p"), port, QStringLiteral("-t"), QStringLiteral("1")});
    if (!p.waitForFinished(10'000))
        return -1;
    return p.exitCode();
}

} // namespace

// The PostgreSQL readiness probe must agree with pg_isready on the same server in every class.
class TestPostgresProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_server.start(), qPrintable(m_server.errorString())); }

    void agreesWithPgIsReady_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<int>("expectedExit");
        QTest::addColumn<int>("status");
        QTest::newRow("running: accepting") << QStringLiteral("running") << 0 << int(ProbeStatus::Healthy);
        QTest::newRow("unknown user: still accepting")
            << QStringLiteral("unknown-user") << 0 << int(ProbeStatus::Healthy);
        QTest::newRow("pending smart shutdown: rejecting")
            << QStringLiteral("smart-shutdown") << 1 << int(ProbeStatus::Unhealthy);
        QTest::newRow("stopped: no response") << QStringLiteral("stopped") << 2 << int(ProbeStatus::Unhealthy);
        QTest::newRow("silent peer: no response") << QStringLiteral("silent") << 2 << int(ProbeStatus::Unhealthy);
        QTest::newRow("HTTP peer: no response") << QStringLiteral("http") << 2 << int(ProbeStatus::Unhealthy);
    }
    void agreesWithPgIsReady()
    {
        QFETCH(QString, state);
        QFETCH(int, expectedExit);
        QFETCH(int, status);

        PostgresTarget target;
        target.host = QStringLiteral("127.0.0.1");
        target.port = m_server.port();
        target.user = QStringLiteral("postgres");
        QTcpServer peer;
        test::PostgresServer own;
        if (state == QLatin1String("running")) {
            // the shared server as it is
        } else if (state == QLatin1String("unknown-user")) {
            target.user = QStringLiteral("nobody_here");
        } else if (state == QLatin1String("smart-shutdown") || state == QLatin1String("stopped")) {
            QVERIFY2(own.start(), qPrintable(own.errorString()));
            target.port = own.port();
            if (state == QLatin1String("smart-shutdown"))
                QVERIFY2(own.beginSmartShutdown(), qPrintable(own.errorString()));
            else
                own.stop();
        } else {
            QVERIFY(peer.listen(QHostAddress::LocalHost, 0));
            target.port = peer.serverPort();
            if (state == QLatin1String("http")) {
                connect(&peer, &QTcpServer::newConnection, &peer,
                        [&peer] { peer.nextPendingConnection()->write("HTTP/1.1 400 Bad Request\r\n\r\n"); });
            }
        }

        const int reference = pgIsReady(target.host, QString::number(target.port));
        PostgresProbe probe(target, 1s);
        const ProbeResult r = test::runProbe(probe);
        QCOMPARE(reference, expectedExit);
        const QHash<QString, int> exitCodeOf{{QStringLiteral("accepting connections"), 0},
                                             {QStringLiteral("rejecting connections"), 1},
                                             {QStringLiteral("no response"), 2},
                                             {QStringLiteral("no attempt"), 3}};
        QCOMPARE(exitCodeOf.value(r.detail(QStringLiteral("outcome")), -1), reference);
        QCOMPARE(int(r.status), status);
        if (state == QLatin1String("smart-shutdown")) {
            QCOMPARE(r.detail(QStringLiteral("sqlstate")), QStringLiteral("57P03"));
            QVERIFY2(r.summary.contains(QStringLiteral("shutting down")), qPrintable(r.summary));
            QVERIFY(own.endSmartShutdown());
        }
    }

    void noAttemptWithoutPort()
    {
        PostgresTarget target;
        target.port = 0;
        PostgresProbe probe(target, 1s);
        const ProbeResult r = test::runProbe(probe);
        QCOMPARE(r.status, ProbeStatus::Unknown);
        QCOMPARE(r.detail(QStringLiteral("outcome")), QStringLiteral("no attempt"));
    }

    void timeoutIsHonoured()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        PostgresTarget target;
        target.host = QStringLiteral("127.0.0.1");
        target.port = silent.serverPort();
        PostgresProbe probe(target, 250ms);
        const ProbeResult r = test::runProbe(probe);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QVERIFY2(r.latencyMs >= 250.0 && r.latencyMs < 300.0, qPrintable(QString::number(r.latencyMs)));
    }

private:
    test::PostgresServer m_server;
};

QTEST_GUILESS_MAIN(TestPostgresProbe)
#include "tst_postgresprobe.moc"
