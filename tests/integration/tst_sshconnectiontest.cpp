#include "SshServer.h"
#include "TestSupport.h"
#include "transport/SshConnectionTest.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

// Test Connection against a real OpenSSH server: a login that works shows the target's key
// fingerprint (as ssh-keygen -l prints it); an unknown or changed host key, a refused key and
// a port nobody listens on are each said in the transport's words, the offered key's
// fingerprint with the host key failures; the known_hosts file is never written.
class TestSshConnectionTest : public QObject
{
    Q_OBJECT

    test::SshServer m_ssh;
    QTemporaryDir m_dir;

    SshSpec spec() const
    {
        SshSpec s;
        s.target.host = m_ssh.host();
        s.target.port = m_ssh.port();
        s.target.user = m_ssh.user();
        s.target.identityFiles = {m_ssh.clientKey()};
        s.target.useAgent = false;
        s.target.knownHostsFile = m_ssh.knownHostsFile();
        s.connectTimeout = 5s;
        return s;
    }
    static SshConnectionTest::Result run(const SshSpec& spec)
    {
        SshConnectionTest test;
        QSignalSpy finished(&test, &SshConnectionTest::finished);
        test.start(spec);
        if (!finished.wait(30000))
            return {false, {}, SshFailure::Other, QStringLiteral("the test did not finish")};
        return finished.first().first().value<SshConnectionTest::Result>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_ssh.start(), qPrintable(m_ssh.errorString()));
    }

    void logsIn()
    {
        const auto result = run(spec());
        QVERIFY2(result.ok, qPrintable(result.message));
        QCOMPARE(result.hostKey.fingerprint, m_ssh.hostKeySha256Fingerprint());
        QCOMPARE(result.hostKey.keyType, QStringLiteral("ED25519"));
    }

    void failures_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<SshFailure>("failure");
        QTest::addColumn<bool>("showsKey");
        QTest::newRow("unknown host key") << QStringLiteral("unknown") << SshFailure::HostKeyUnknown << true;
        QTest::newRow("changed host key") << QStringLiteral("changed") << SshFailure::HostKeyChanged << true;
        QTest::newRow("key not authorized") << QStringLiteral("unauthorized") << SshFailure::AuthFailed << false;
        QTest::newRow("nothing listens") << QStringLiteral("closed") << SshFailure::Refused << false;
    }
    void failures()
    {
        QFETCH(QString, variant);
        QFETCH(SshFailure, failure);
        QFETCH(bool, showsKey);
        SshSpec s = spec();
        const QString empty = m_dir.filePath(QStringLiteral("empty_known_hosts"));
        if (variant == QLatin1String("unknown")) {
            QFile file(empty);
            QVERIFY(file.open(QIODevice::WriteOnly)); // exists, and knows nobody
            file.close();
            s.target.knownHostsFile = empty;
        } else if (variant == QLatin1String("changed")) {
            s.target.knownHostsFile = m_ssh.wrongKnownHostsFile();
        } else if (variant == QLatin1String("unauthorized")) {
            s.target.identityFiles = {m_ssh.unauthorizedClientKey()};
        } else {
            QTcpServer closed;
            QVERIFY(closed.listen(QHostAddress::LocalHost));
            s.target.port = closed.serverPort();
        }
        const auto result = run(s);
        QVERIFY(!result.ok);
        QCOMPARE(result.failure, failure);
        QVERIFY2(!result.message.isEmpty(), "the transport's words");
        if (showsKey)
            QCOMPARE(result.hostKey.fingerprint, m_ssh.hostKeySha256Fingerprint());
        if (variant == QLatin1String("unknown")) {
            QFile file(empty);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), QByteArray()); // reported, not trusted
        }
    }
};

QTEST_GUILESS_MAIN(TestSshConnectionTest)
#include "tst_sshconnectiontest.moc"
