#include "ProbeRunner.h"
#include "TestCertificates.h"
#include "TestSupport.h"
#include "config/RedisUrl.h"
#include "probes/CeleryPingProbe.h"
#include "probes/HeartbeatProbe.h"
#include "probes/RedisProbe.h"
#include "standin/CeleryWorker.h"
#include "standin/RedisServer.h"

#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

// rediss:// against a real redis-server with TLS (tls-port beside its plain port), its
// certificates made by openssl for the test: kombu's ssl_* parameters, the failures an
// operator meets (untrusted CA, host name, plain and TLS ports mixed up, client certificates),
// and Celery's ping to a real worker whose broker is TLS-only.
class TestRedisTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_certs.generate(), qPrintable(m_certs.errorString()));
        m_server.setTls({m_certs.serverCertFile(), m_certs.serverKeyFile(), m_certs.caFile(), false});
        QVERIFY2(m_server.start(QStringLiteral("s3cr@t")), qPrintable(m_server.errorString()));
        m_mutual.setTls({m_certs.serverCertFile(), m_certs.serverKeyFile(), m_certs.caFile(), true});
        QVERIFY2(m_mutual.start(), qPrintable(m_mutual.errorString()));
    }

    // {tls}, {plain}, {mutual}: ports; {ca}, {other-ca}, {client-cert}, {client-key}: files.
    void ping_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("summaryPart");
        QTest::addColumn<QString>("hintPart");
        const int healthy = int(ProbeStatus::Healthy);
        const int unhealthy = int(ProbeStatus::Unhealthy);
        const int unknown = int(ProbeStatus::Unknown);
        const QString base = QStringLiteral("rediss://:s3cr%40t@127.0.0.1:{tls}/0");
        QTest::newRow("no ssl_* parameters: TLS without verification, as kombu")
            << base << healthy << QStringLiteral("PONG") << QString();
        QTest::newRow("verified against its CA") << base + QStringLiteral("?ssl_cert_reqs=required&ssl_ca_certs={ca}")
                                                 << healthy << QStringLiteral("PONG") << QString();
        QTest::newRow("CERT_NONE ignores an unrelated CA")
            << base + QStringLiteral("?ssl_cert_reqs=none&ssl_ca_certs={other-ca}") << healthy << QStringLiteral("PONG")
            << QString();
        // Qt lists the (accepted) name mismatch first; the summary names the real refusal.
        QTest::newRow("a CA alone means required: untrusted")
            << base + QStringLiteral("?ssl_ca_certs={other-ca}") << unhealthy << QStringLiteral("untrusted")
            << QStringLiteral("ssl_ca_certs");
        QTest::newRow("required against the system CAs")
            << base + QStringLiteral("?ssl_cert_reqs=required") << unhealthy << QStringLiteral("TLS handshake")
            << QStringLiteral("not trusted");
        // The certificate is for redis.test; the monitor connects to 127.0.0.1.
        QTest::newRow("host name checked on request")
            << base + QStringLiteral("?ssl_cert_reqs=required&ssl_ca_certs={ca}&ssl_check_hostname=true") << unhealthy
            << QStringLiteral("TLS handshake") << QStringLiteral("ssl_check_hostname");
        QTest::newRow("wrong password over TLS: the monitor's credentials")
            << QStringLiteral("rediss://:nope@127.0.0.1:{tls}/0") << unknown << QStringLiteral("WRONGPASS")
            << QString();
        QTest::newRow("TLS to the plain port")
            << QStringLiteral("rediss://:s3cr%40t@127.0.0.1:{plain}/0") << unhealthy
            << QStringLiteral("TLS handshake did not finish") << QStringLiteral("does not speak TLS on this port");
        QTest::newRow("plain RESP to the TLS port")
            << QStringLiteral("redis://:s3cr%40t@127.0.0.1:{tls}/0") << unhealthy
            << QStringLiteral("closed the connection") << QStringLiteral("rediss://");
        QTest::newRow("CA file missing: the monitor's trouble")
            << base + QStringLiteral("?ssl_ca_certs=/nonexistent/okh-ca.pem") << unknown
            << QStringLiteral("/nonexistent/okh-ca.pem") << QString();
        QTest::newRow("server wants a client certificate, none given")
            << QStringLiteral("rediss://127.0.0.1:{mutual}/0?ssl_cert_reqs=required&ssl_ca_certs={ca}") << unhealthy
            << QStringLiteral("certificate required") << QStringLiteral("tls-auth-clients");
        QTest::newRow("client certificate and key in one file (load_cert_chain)")
            << QStringLiteral("rediss://127.0.0.1:{mutual}/0?ssl_cert_reqs=required&ssl_ca_certs={ca}"
                              "&ssl_certfile={client-combined}")
            << healthy << QStringLiteral("PONG") << QString();
        QTest::newRow("client key of another certificate: the monitor's trouble")
            << QStringLiteral("rediss://127.0.0.1:{mutual}/0?ssl_cert_reqs=required&ssl_ca_certs={ca}"
                              "&ssl_certfile={client-cert}&ssl_keyfile={server-key}")
            << unknown << QStringLiteral("cannot set up TLS") << QStringLiteral("ssl_keyfile");
        QTest::newRow("client certificate given")
            << QStringLiteral("rediss://127.0.0.1:{mutual}/0?ssl_cert_reqs=required&ssl_ca_certs={ca}"
                              "&ssl_certfile={client-cert}&ssl_keyfile={client-key}")
            << healthy << QStringLiteral("PONG") << QString();
    }
    void ping()
    {
        QFETCH(QString, url);
        QFETCH(int, status);
        QFETCH(QString, summaryPart);
        QFETCH(QString, hintPart);
        const RedisUrlResult parsed = parseRedisUrl(expand(url));
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        RedisProbe probe(*parsed.target, 3s);
        const ProbeResult r = test::runProbe(probe);
        const QString text = r.summary + QStringLiteral(" | hint: ") + r.hint;
        QVERIFY2(int(r.status) == status, qPrintable(text));
        QVERIFY2(r.summary.contains(summaryPart), qPrintable(text));
        QVERIFY2(r.hint.contains(hintPart), qPrintable(text));
    }

    // A real Celery worker whose broker is TLS-only (kombu's rediss:// with ssl_cert_reqs)
    // answers the native ping over TLS, and its heartbeats are heard there.
    void celeryPingOverTls()
    {
        test::CeleryWorker worker;
        test::CeleryWorker::Options options;
        options.brokerUrl = expand(QStringLiteral("rediss://:s3cr%40t@127.0.0.1:{tls}/0?ssl_cert_reqs=required"
                                                  "&ssl_ca_certs={ca}"));
        QVERIFY2(worker.start(options), qPrintable(worker.errorString()));

        const RedisUrlResult broker = parseRedisUrl(options.brokerUrl);
        QVERIFY2(broker.ok(), qPrintable(broker.error));
        QVERIFY(broker.target->tls.enabled);
        CeleryPingTarget target;
        target.broker = *broker.target;
        target.workers = {options.nodeName};
        CeleryPingProbe probe(target, 5s);
        const ProbeResult r = test::runProbe(probe);
        QVERIFY2(r.status == ProbeStatus::Healthy, qPrintable(r.summary + u' ' + r.hint));

        // Its heartbeats, heard over the same TLS broker.
        HeartbeatTarget heartbeats;
        heartbeats.broker = *broker.target;
        heartbeats.workers = {options.nodeName};
        heartbeats.listen = 4500ms; // two 2-s heartbeat intervals
        HeartbeatProbe listener(heartbeats, 6s);
        const ProbeResult heard = test::runProbe(listener);
        QVERIFY2(heard.status == ProbeStatus::Healthy, qPrintable(heard.summary + u' ' + heard.hint));
        QVERIFY(!heard.detail(QStringLiteral("worker: ") + options.nodeName).isEmpty());
        QVERIFY(worker.isAlive());
    }

private:
    QString expand(QString url) const
    {
        return url.replace(QLatin1String("{tls}"), QString::number(m_server.tlsPort()))
            .replace(QLatin1String("{plain}"), QString::number(m_server.port()))
            .replace(QLatin1String("{mutual}"), QString::number(m_mutual.tlsPort()))
            .replace(QLatin1String("{ca}"), m_certs.caFile())
            .replace(QLatin1String("{other-ca}"), m_certs.otherCaFile())
            .replace(QLatin1String("{client-cert}"), m_certs.clientCertFile())
            .replace(QLatin1String("{client-key}"), m_certs.clientKeyFile())
            .replace(QLatin1String("{client-combined}"), m_certs.clientCombinedFile())
            .replace(QLatin1String("{server-key}"), m_certs.serverKeyFile());
    }

    test::TestCertificates m_certs;
    test::RedisServer m_server;
    test::RedisServer m_mutual;
};

QTEST_GUILESS_MAIN(TestRedisTls)
#include "tst_redistls.moc"
