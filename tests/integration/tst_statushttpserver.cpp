#include "TestSupport.h"
#include "server/StatusHttpServer.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

// The small HTTP server's limits, spoken to over real loopback sockets with short timeouts
// (okhealth-check serve's own endpoints are tested in tst_serve).
class TestStatusHttpServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        StatusHttpServer::Options options;
        options.idleTimeout = 800ms;
        m_server = std::make_unique<StatusHttpServer>(options);
        m_server->addRoute("/small", [] { return StatusHttpServer::Response{200, "text/plain", "ok\n"}; });
        // Far more than the kernel's socket buffers hold, so the write stalls on a peer that
        // does not read.
        m_server->addRoute("/big", [] {
            return StatusHttpServer::Response{200, "text/plain", QByteArray(48 * 1024 * 1024, 'x')};
        });
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    }
    void cleanup() { m_server.reset(); }

    // Answers that end the connection, and those that keep it.
    void connectionAfterAnswer_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("closes");
        QTest::newRow("HTTP/1.1 keeps it") << QByteArray("GET /small HTTP/1.1\r\nHost: x\r\n\r\n") << 200 << false;
        QTest::newRow("HTTP/1.0 closes, keep-alive asked or not")
            << QByteArray("GET /small HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << 200 << true;
        QTest::newRow("POST without a body: 405, kept")
            << QByteArray("POST /small HTTP/1.1\r\nHost: x\r\n\r\n") << 405 << false;
        QTest::newRow("POST with a body: 405 (the method is wrong first), closed")
            << QByteArray("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi") << 405 << true;
        QTest::newRow("GET with a body: 413, closed")
            << QByteArray("GET /small HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi") << 413 << true;
    }
    void connectionAfterAnswer()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(bool, closes);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(client.waitForConnected(2000));
        client.write(request);
        QByteArray answer;
        QVERIFY(test::spinUntil(
            [&] {
                answer += client.readAll();
                return answer.contains("\r\n\r\n");
            },
            2000));
        QCOMPARE(answer.mid(9, 3).toInt(), status);
        // Closed at once, or still open well within the idle time.
        const bool closed = test::spinUntil([&] { return client.state() == QAbstractSocket::UnconnectedState; }, 400);
        QCOMPARE(closed, closes);
        QCOMPARE(answer.contains("Connection: close\r\n"), closes);
    }

    // A peer that asks for a big response, never reads it, and trickles bytes to look alive is
    // dropped after the idle time: only write progress counts.
    void peerThatNeverReadsIsDropped()
    {
        QTcpSocket client;
        client.setReadBufferSize(1024); // Qt stops reading the kernel buffer: the window closes
        client.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(client.waitForConnected(2000));
        client.write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
        // The server has the connection and the response is on its way.
        QVERIFY(test::spinUntil([&] { return m_server->connectionCount() == 1 && client.bytesAvailable() > 0; }, 2000));
        QElapsedTimer clock;
        clock.start();
        const bool dropped = test::spinUntil(
            [&] {
                if (clock.elapsed() % 200 < 20)
                    client.write("G"); // a byte of a next request, now and then
                return m_server->connectionCount() == 0;
            },
            5000);
        QVERIFY2(dropped, qPrintable(QStringLiteral("still open after %1 ms").arg(clock.elapsed())));
        // The idle time (0.8 s) from the last write progress, not from the last trickled byte.
        QVERIFY2(clock.elapsed() >= 500 && clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
    }

private:
    std::unique_ptr<StatusHttpServer> m_server;
};

QTEST_GUILESS_MAIN(TestStatusHttpServer)
#include "tst_statushttpserver.moc"
