#include "GarbagePeer.h"
#include "SilentPeer.h"
#include "TestSupport.h"
#include "standin/DjangoServer.h"
#include "standin/PostgresServer.h"
#include "standin/RedisServer.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>
#include <memory>

using namespace okh;

namespace {

test::CommandResult okhealthCheck(const QStringList& arguments, int timeoutMs = 15000)
{
    return test::runCommand(QStringLiteral(OKHEALTH_CHECK_BINARY), arguments, timeoutMs, test::cliEnvironment());
}

int countOf(const QString& haystack, const QString& needle)
{
    return int(haystack.count(needle));
}

} // namespace

// `okhealth-check health-check`, run as a process, against a real Django serving maykin-common's
// health URLs (with its PostgreSQL and Redis) and against peers that misbehave. Expected
// lines, streams and exit codes are those of `maykin-common health-check`
// (docs/cli.md; upstream maykin_common/cli.py on requests).
class TestCliHealthCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!test::DjangoServer::isAvailable(&why))
            QSKIP(qPrintable(why));
        QVERIFY2(m_django.startWithBackends(m_redis, m_postgres), qPrintable(m_django.errorString()));
    }

    void djangoEndpoints_data()
    {
        QTest::addColumn<QStringList>("arguments"); // {port}: Django's port
        QTest::addColumn<QByteArray>("expectedStdout");
        QTest::addColumn<QByteArray>("expectedStderr");
        QTest::addColumn<int>("exitCode");

        const QByteArray up = QByteArrayLiteral("UP, response status code: 200\n");
        QTest::newRow("livez, absolute URL")
            << QStringList{QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:{port}/_healthz/livez/")}
            << up << QByteArray() << 0;
        QTest::newRow("livez, --endpoint=URL and --timeout=3")
            << QStringList{QStringLiteral("--endpoint=http://127.0.0.1:{port}/_healthz/livez/"),
                           QStringLiteral("--timeout=3")}
            << up << QByteArray() << 0;
        QTest::newRow("readyz: cache and database working")
            << QStringList{QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:{port}/_healthz/readyz/")}
            << up << QByteArray() << 0;
        QTest::newRow("healthz: every check")
            << QStringList{QStringLiteral("--endpoint"), QStringLiteral("http://localhost:{port}/_healthz/")} << up
            << QByteArray() << 0;
        QTest::newRow("no scheme: http:// is prepended, the path is kept")
            << QStringList{QStringLiteral("--endpoint=127.0.0.1:{port}/_healthz/readyz/")} << up << QByteArray() << 0;
        QTest::newRow("APPEND_SLASH redirect of readyz is followed")
            << QStringList{QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:{port}/_healthz/readyz")}
            << up << QByteArray() << 0;
        QTest::newRow("a path of / is used as is (Django: 404)")
            << QStringList{QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:{port}/")} << QByteArray()
            << QByteArrayLiteral("DOWN, response status code: 404\n") << 1;
        QTest::newRow("unknown path") << QStringList{QStringLiteral("--endpoint"),
                                                     QStringLiteral("http://127.0.0.1:{port}/_healthz/nope/")}
                                      << QByteArray() << QByteArrayLiteral("DOWN, response status code: 404\n") << 1;
    }

    void djangoEndpoints()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, expectedStdout);
        QFETCH(QByteArray, expectedStderr);
        QFETCH(int, exitCode);
        for (QString& a : arguments)
            a.replace(QLatin1String("{port}"), QString::number(m_django.port()));

        const test::CommandResult r = okhealthCheck(QStringList{QStringLiteral("health-check")} + arguments);
        QVERIFY2(r.finished, qPrintable(r.describe()));
        QCOMPARE(r.exitCode, exitCode);
        QCOMPARE(r.standardOutput, expectedStdout);
        QCOMPARE(r.standardError, expectedStderr);
    }

    // requests follows Django's APPEND_SLASH answer: /_healthz → 301 → /_healthz/ → 200.
    void redirectIsFollowed()
    {
        const QString before = m_django.logTail(100000);
        const test::CommandResult r = okhealthCheck(
            {QStringLiteral("health-check"), QStringLiteral("--endpoint=%1/_healthz").arg(m_django.baseUrl())});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.standardOutput, QByteArrayLiteral("UP, response status code: 200\n"));
        QCOMPARE(r.standardError, QByteArray());
        // The server's own access log shows both requests.
        QTRY_VERIFY2_WITH_TIMEOUT(countOf(m_django.logTail(100000), QStringLiteral("\"GET /_healthz HTTP/1.1\" 301"))
                                      == countOf(before, QStringLiteral("\"GET /_healthz HTTP/1.1\" 301")) + 1,
                                  qPrintable(m_django.logTail()), 10000);
        QTRY_VERIFY2_WITH_TIMEOUT(countOf(m_django.logTail(100000), QStringLiteral("\"GET /_healthz/ HTTP/1.1\" 200"))
                                      == countOf(before, QStringLiteral("\"GET /_healthz/ HTTP/1.1\" 200")) + 1,
                                  qPrintable(m_django.logTail()), 10000);
    }

    // "localhost:PORT": no scheme and no path, so http:// and /_healthz/livez/ are added.
    void completesHostOnlyEndpoint()
    {
        const QString livez = QStringLiteral("\"GET /_healthz/livez/ HTTP/1.1\" 200");
        const int before = countOf(m_django.logTail(100000), livez);
        const test::CommandResult r = okhealthCheck(
            {QStringLiteral("health-check"), QStringLiteral("--endpoint=localhost:%1").arg(m_django.port())});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.standardOutput, QByteArrayLiteral("UP, response status code: 200\n"));
        QCOMPARE(r.standardError, QByteArray());
        QTRY_VERIFY2_WITH_TIMEOUT(countOf(m_django.logTail(100000), livez) == before + 1,
                                  qPrintable(m_django.logTail()), 10000);
    }

    // Request errors print the requests exception's class name. The expectations were taken
    // from requests 2.28 (/usr/bin/python3) against the same peers: a response whose headers
    // arrive but whose body never ends raises ReadTimeoutError inside iter_content, which
    // requests re-raises as ConnectionError (requests/models.py, Response.iter_content).
    void requestErrors_data()
    {
        QTest::addColumn<QString>("peer");
        QTest::addColumn<int>("timeoutSeconds");
        QTest::addColumn<QByteArray>("expectedStderr");
        QTest::addColumn<int>("minMs");
        QTest::addColumn<int>("maxMs");

        QTest::newRow("refused port") << QStringLiteral("refused") << 3 << QByteArrayLiteral("DOWN (ConnectionError)\n")
                                      << 0 << 1500;
        QTest::newRow("silent peer, --timeout 1")
            << QStringLiteral("silent") << 1 << QByteArrayLiteral("DOWN (ReadTimeout)\n") << 900 << 1800;
        QTest::newRow("SSH banner instead of HTTP")
            << QStringLiteral("ssh") << 1 << QByteArrayLiteral("DOWN (ConnectionError)\n") << 0 << 1800;
        QTest::newRow("400 headers, body never ends, --timeout 1")
            << QStringLiteral("http400") << 1 << QByteArrayLiteral("DOWN (ConnectionError)\n") << 900 << 1800;
    }

    void requestErrors()
    {
        QFETCH(QString, peer);
        QFETCH(int, timeoutSeconds);
        QFETCH(QByteArray, expectedStderr);
        QFETCH(int, minMs);
        QFETCH(int, maxMs);

        std::unique_ptr<test::SilentPeer> server;
        if (peer == QLatin1String("silent"))
            server = std::make_unique<test::SilentPeer>();
        else if (peer == QLatin1String("ssh"))
            server = std::make_unique<test::GarbagePeer>(test::GarbagePeer::sshBanner());
        else if (peer == QLatin1String("http400"))
            server = std::make_unique<test::GarbagePeer>(test::GarbagePeer::httpBadRequest());
        quint16 port = 0;
        if (server) {
            QVERIFY2(server->start(), qPrintable(server->errorString()));
            port = server->port();
        } else {
            port = test::freePort();
        }

        QElapsedTimer wall;
        wall.start();
        const test::CommandResult r = okhealthCheck(
            {QStringLiteral("health-check"), QStringLiteral("--endpoint=http://127.0.0.1:%1/_healthz/livez/").arg(port),
             QStringLiteral("--timeout"), QString::number(timeoutSeconds)});
        const qint64 elapsed = wall.elapsed();
        QVERIFY2(r.finished, qPrintable(r.describe()));
        QCOMPARE(r.standardError, expectedStderr);
        QCOMPARE(r.standardOutput, QByteArray());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(elapsed >= minMs && elapsed < maxMs,
                 qPrintable(QStringLiteral("took %1 ms, expected %2..%3 ms").arg(elapsed).arg(minMs).arg(maxMs)));
        if (server)
            QVERIFY(server->acceptedConnections() >= 1);
    }

    // typer/click: a bad option value or an unexpected argument is a usage error, exit 2,
    // with a message on stderr and nothing on stdout.
    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("stderrPart");

        QTest::newRow("--timeout abc") << QStringList{QStringLiteral("--timeout"), QStringLiteral("abc")}
                                       << QStringLiteral("--timeout");
        QTest::newRow("--timeout 1.5 (an integer option)")
            << QStringList{QStringLiteral("--timeout"), QStringLiteral("1.5")} << QStringLiteral("--timeout");
        QTest::newRow("--timeout without a value")
            << QStringList{QStringLiteral("--timeout")} << QStringLiteral("timeout");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << QStringLiteral("bogus");
        QTest::newRow("unexpected extra argument")
            << QStringList{QStringLiteral("--endpoint=http://127.0.0.1:1/"), QStringLiteral("extra")}
            << QStringLiteral("extra");
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, stderrPart);
        const test::CommandResult r = okhealthCheck(QStringList{QStringLiteral("health-check")} + arguments);
        QVERIFY2(r.finished, qPrintable(r.describe()));
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.standardOutput, QByteArray());
        QVERIFY2(QString::fromUtf8(r.standardError).contains(stderrPart), qPrintable(r.describe()));
    }

    void help()
    {
        const test::CommandResult r = okhealthCheck({QStringLiteral("health-check"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.standardError, QByteArray());
        const QString text = QString::fromUtf8(r.standardOutput);
        QVERIFY2(text.contains(QLatin1String("--endpoint")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("--timeout")), qPrintable(text));
    }

    // The usage line names the command it documents, as `maykin-common health-check --help`
    // does ("Usage: maykin-common health-check [OPTIONS]").
    void helpUsageNamesTheCommand()
    {
        const test::CommandResult r = okhealthCheck({QStringLiteral("health-check"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        const QString firstLine = QString::fromUtf8(r.standardOutput).section(u'\n', 0, 0);
        QVERIFY2(firstLine.contains(QRegularExpression(QStringLiteral("^Usage: \\S*okhealth-check health-check "))),
                 qPrintable(firstLine));
    }

    // Last: stops PostgreSQL for good (a restarted server would get another port).
    void readyzWithDatabaseStopped()
    {
        m_postgres.stop();
        const QString readyz = m_django.baseUrl() + QStringLiteral("/_healthz/readyz/");
        const test::CommandResult r
            = okhealthCheck({QStringLiteral("health-check"), QStringLiteral("--endpoint"), readyz});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.standardOutput, QByteArray());
        QCOMPARE(r.standardError, QByteArrayLiteral("DOWN, response status code: 500\n"));

        // livez runs no checks: still up.
        const test::CommandResult livez = okhealthCheck({QStringLiteral("health-check"), QStringLiteral("--endpoint"),
                                                         m_django.baseUrl() + QStringLiteral("/_healthz/livez/")});
        QCOMPARE(livez.exitCode, 0);
        QCOMPARE(livez.standardOutput, QByteArrayLiteral("UP, response status code: 200\n"));
    }

private:
    test::RedisServer m_redis;
    test::PostgresServer m_postgres;
    test::DjangoServer m_django;
};

QTEST_GUILESS_MAIN(TestCliHealthCheck)
#include "tst_cli_healthcheck.moc"
