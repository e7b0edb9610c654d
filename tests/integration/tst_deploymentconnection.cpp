#include "ProbeRunner.h"
#include "SshServer.h"
#include "TestSupport.h"
#include "engine/DeploymentConnection.h"
#include "exec/CommandExecutor.h"
#include "probes/Probe.h"
#include "transport/SshTunnel.h"

#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

// A deployment's connection on a real OpenSSH server: what probes are given (proxy, command
// executor, tunnel) for direct and SSH connections, the reachability it reports, and a probe
// created from its environment reaching a target through it.
class TestDeploymentConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_ssh.start(), qPrintable(m_ssh.errorString())); }

    void environmentAndReachability_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("reachable");
        QTest::addColumn<QString>("errorContains");
        QTest::newRow("direct") << QStringLiteral("direct") << true << QString();
        QTest::newRow("ssh, server up") << QStringLiteral("ssh") << true << QString();
        QTest::newRow("ssh, nothing listens") << QStringLiteral("ssh-refused") << false << QStringLiteral("127.0.0.1");
        QTest::newRow("ssh, unknown host key")
            << QStringLiteral("ssh-unknown-key") << false << QStringLiteral("SHA256:");
    }
    void environmentAndReachability()
    {
        QFETCH(QString, kind);
        QFETCH(bool, reachable);
        QFETCH(QString, errorContains);

        ConnectionSpec spec;
        if (kind != QLatin1String("direct")) {
            spec.type = ConnectionSpec::Type::Ssh;
            spec.ssh = sshSpec();
            if (kind == QLatin1String("ssh-refused"))
                spec.ssh.target.port = test::freePort();
            if (kind == QLatin1String("ssh-unknown-key"))
                spec.ssh.target.knownHostsFile = m_dir.filePath(QStringLiteral("empty_known_hosts"));
        }
        DeploymentConnection connection(spec, {});
        QSignalSpy reachability(&connection, &DeploymentConnection::reachabilityChanged);
        connection.start();

        const ProbeEnvironment& environment = connection.environment();
        QVERIFY(environment.network);
        QCOMPARE(environment.network->proxy().type(), environment.proxy.type());
        if (spec.type == ConnectionSpec::Type::Direct) {
            QVERIFY(connection.isDirect());
            QCOMPARE(environment.proxy.type(), QNetworkProxy::NoProxy);
            QVERIFY(environment.commands->isLocal());
            QVERIFY(!environment.tunnel);
            QVERIFY(connection.isUp());
            QVERIFY(connection.lastError().isEmpty());
            QTest::qWait(50);
            QCOMPARE(reachability.count(), 0); // nothing to report for a direct connection
        } else {
            QVERIFY(!connection.isDirect());
            QCOMPARE(environment.proxy.type(), QNetworkProxy::Socks5Proxy);
            QCOMPARE(environment.proxy.hostName(), QStringLiteral("127.0.0.1"));
            QVERIFY(!environment.commands->isLocal());
            QCOMPARE(environment.tunnel, connection.tunnel());
            QVERIFY(test::spinUntil([&] { return reachability.count() > 0; }, 15'000));
            QCOMPARE(reachability.first().at(0).toBool(), reachable);
            QCOMPARE(connection.isUp(), reachable);
            const QString error = reachability.first().at(1).toString();
            QVERIFY2(error.contains(errorContains), qPrintable(error));
            QCOMPARE(connection.lastError().isEmpty(), reachable);
        }

        if (!reachable)
            return;
        // A probe made from the environment reaches the SSH server's own port: through the
        // tunnel's SOCKS5 front for SSH, directly otherwise.
        CheckSpec check;
        check.name = QStringLiteral("tcp");
        check.target = TcpTarget{QStringLiteral("127.0.0.1"), m_ssh.port()};
        check.timeout = 5s;
        const std::unique_ptr<Probe> probe = createProbe(check, environment);
        const ProbeResult r = test::runProbe(*probe);
        QVERIFY2(r.status == ProbeStatus::Healthy, qPrintable(r.summary));
    }

private:
    SshSpec sshSpec() const
    {
        SshSpec s;
        s.target.host = m_ssh.host();
        s.target.port = m_ssh.port();
        s.target.user = m_ssh.user();
        s.target.identityFiles = {m_ssh.clientKey()};
        s.target.useAgent = false;
        s.target.knownHostsFile = m_ssh.knownHostsFile();
        s.connectTimeout = 10s;
        return s;
    }

    test::SshServer m_ssh;
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestDeploymentConnection)
#include "tst_deploymentconnection.moc"
