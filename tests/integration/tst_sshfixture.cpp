// The SshServer fixture checked with tools that do not trust it: the real OpenSSH client
// (ssh, ssh -L, ssh -J), ssh-keygen, and the process states in /proc.

#include "SshServer.h"
#include "TestSupport.h"
#include "standin/ManagedProcess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace okh::test;

namespace {

// A process as /proc/<pid>/stat names it: pid and start time (field 22), so that a later
// process that reuses the pid does not count as the same one.
struct ProcessIdentity
{
    qint64 pid = 0;
    QByteArray startTime;
};

// The start time of a live (not zombie) process; empty when it is gone.
QByteArray liveStartTime(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = file.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20 || fields.at(0) == "Z" || fields.at(0) == "X")
        return {};
    return fields.at(19);
}

QList<ProcessIdentity> identify(const QList<qint64>& pids)
{
    QList<ProcessIdentity> identities;
    for (const qint64 pid : pids)
        identities << ProcessIdentity{pid, liveStartTime(pid)};
    return identities;
}

// The pids of `processes` that still run as the same process.
QList<qint64> survivors(const QList<ProcessIdentity>& processes)
{
    QList<qint64> alive;
    for (const ProcessIdentity& process : processes) {
        const QByteArray now = liveStartTime(process.pid);
        if (!now.isEmpty() && now == process.startTime)
            alive << process.pid;
    }
    return alive;
}

QString describePids(const QList<qint64>& pids)
{
    QStringList parts;
    for (const qint64 pid : pids) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        const QByteArray command = cmdline.open(QIODevice::ReadOnly) ? cmdline.readAll().replace('\0', ' ') : "?";
        parts << QStringLiteral("%1 (%2)").arg(pid).arg(QString::fromLocal8Bit(command).trimmed());
    }
    return parts.join(QStringLiteral(", "));
}

// The exact command line, e.g. the command of a session once its shell has exec'd it.
bool anyCommandLineIs(const QList<qint64>& pids, const QByteArray& command)
{
    for (const qint64 pid : pids) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().replace('\0', ' ').trimmed() == command)
            return true;
    }
    return false;
}

bool anyCommandLineContains(const QList<qint64>& pids, const QByteArray& text)
{
    for (const qint64 pid : pids) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().replace('\0', ' ').contains(text))
            return true;
    }
    return false;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Echoes every byte back, served from the test's thread (QTRY_* and QSignalSpy::wait spin it).
class EchoServer : public QTcpServer
{
public:
    EchoServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->write(socket->readAll()); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
};

} // namespace

class TestSshFixture : public QObject
{
    Q_OBJECT

private:
    // An ssh_config for `ssh -F`: it also reaches the ssh that -J starts (command-line -i and
    // -o options do not), and keeps ~/.ssh/config, the agent and /etc/ssh out of the test.
    QString writeClientConfig(const QString& name, const QString& key, const QString& knownHosts,
                              const QStringList& extra = {})
    {
        const QString path = m_clientDir.filePath(name + QStringLiteral(".ssh_config"));
        QStringList lines = extra;
        lines << QStringLiteral("Host *") << QStringLiteral("  User %1").arg(m_server.user())
              << QStringLiteral("  IdentityFile %1").arg(key) << QStringLiteral("  IdentitiesOnly yes")
              << QStringLiteral("  IdentityAgent none") << QStringLiteral("  UserKnownHostsFile %1").arg(knownHosts)
              << QStringLiteral("  GlobalKnownHostsFile /dev/null") << QStringLiteral("  StrictHostKeyChecking yes")
              << QStringLiteral("  UpdateHostKeys no") << QStringLiteral("  BatchMode yes")
              << QStringLiteral("  ConnectTimeout 10") << QStringLiteral("  ControlMaster no")
              << QStringLiteral("  ControlPath none");
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        file.write(lines.join(QLatin1Char('\n')).toUtf8() + '\n');
        return path;
    }

    QProcessEnvironment clientEnvironment() const
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), m_clientDir.path());
        environment.remove(QStringLiteral("SSH_AUTH_SOCK"));
        return environment;
    }

    CommandResult ssh(const QString& config, const QStringList& arguments, const QProcessEnvironment& environment = {})
    {
        return runCommand(m_ssh, QStringList{QStringLiteral("-F"), config} + arguments, 30000,
                          environment.isEmpty() ? clientEnvironment() : environment);
    }

    CommandResult echoOk(const SshServer& server, const QString& config)
    {
        return ssh(config,
                   {QStringLiteral("-p"), QString::number(server.port()), server.host(), QStringLiteral("echo ok")});
    }

    // Started by this test, checked for leftovers at the end.
    void watch(const SshServer& server) { m_configFiles << server.configFile().toLocal8Bit(); }

    QString m_ssh;
    QString m_keygen;
    QTemporaryDir m_clientDir{QStringLiteral("/tmp/okh-sshclient-XXXXXX")};
    SshServer m_server;
    QList<QByteArray> m_configFiles;

private Q_SLOTS:
    void initTestCase()
    {
        m_ssh = QStandardPaths::findExecutable(QStringLiteral("ssh"));
        m_keygen = QStandardPaths::findExecutable(QStringLiteral("ssh-keygen"));
        if (m_ssh.isEmpty() || m_keygen.isEmpty())
            QSKIP("ssh and ssh-keygen not found (Debian package openssh-client)");
        QVERIFY(m_clientDir.isValid());
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        qCInfo(lcTestFixture) << "sshd ready on port" << m_server.port() << "after" << timer.elapsed() << "ms";
        watch(m_server);
        QVERIFY(m_server.port() != 22);
        QVERIFY(m_server.pid() > 0);
        QCOMPARE(m_server.user(), QStringLiteral("root"));
        QCOMPARE(readFile(m_server.directory() + QStringLiteral("/sshd.pid")).trimmed().toLongLong(), m_server.pid());
    }

    void keyFormats_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("client") << m_server.clientKey() << QByteArray("-----BEGIN OPENSSH PRIVATE KEY-----");
        QTest::newRow("encrypted") << m_server.encryptedClientKey()
                                   << QByteArray("-----BEGIN OPENSSH PRIVATE KEY-----");
        QTest::newRow("pem rsa") << m_server.pemRsaClientKey() << QByteArray("-----BEGIN RSA PRIVATE KEY-----");
        QTest::newRow("unauthorized") << m_server.unauthorizedClientKey()
                                      << QByteArray("-----BEGIN OPENSSH PRIVATE KEY-----");
    }

    void keyFormats()
    {
        QFETCH(QString, key);
        QFETCH(QByteArray, header);
        QVERIFY(readFile(key).startsWith(header));
        // ssh and ssh-keygen refuse private keys that others can read.
        QCOMPARE(QFileInfo(key).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
    }

    // `ssh-keygen -y` derives the public key from the private one: with the passphrase for the
    // encrypted key, and it fails with none or a wrong one.
    void passphraseProtectsEncryptedKey_data()
    {
        QTest::addColumn<QString>("passphrase");
        QTest::addColumn<bool>("opens");
        QTest::newRow("right") << m_server.passphrase() << true;
        QTest::newRow("none") << QString() << false;
        QTest::newRow("wrong") << QStringLiteral("wrong horse") << false;
    }

    void passphraseProtectsEncryptedKey()
    {
        QFETCH(QString, passphrase);
        QFETCH(bool, opens);
        const CommandResult r = runCommand(m_keygen,
                                           {QStringLiteral("-y"), QStringLiteral("-P"), passphrase,
                                            QStringLiteral("-f"), m_server.encryptedClientKey()});
        QCOMPARE(r.succeeded(), opens);
        if (opens) {
            const QByteArray expected = readFile(m_server.encryptedClientKey() + QStringLiteral(".pub"));
            QCOMPARE(r.standardOutput.split(' ').mid(0, 2), expected.split(' ').mid(0, 2));
        }
    }

    void fingerprintsMatchSshKeygen_data()
    {
        QTest::addColumn<QString>("publicKey");
        QTest::addColumn<QString>("fingerprint");
        QTest::newRow("ed25519") << m_server.hostPublicKey() << m_server.hostKeySha256Fingerprint();
        QTest::newRow("rsa") << m_server.rsaHostPublicKey() << m_server.rsaHostKeySha256Fingerprint();
    }

    void fingerprintsMatchSshKeygen()
    {
        QFETCH(QString, publicKey);
        QFETCH(QString, fingerprint);
        const CommandResult r = runCommand(m_keygen, {QStringLiteral("-l"), QStringLiteral("-f"), publicKey});
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        // "256 SHA256:<base64> comment (ED25519)"
        QVERIFY(fingerprint.startsWith(QStringLiteral("SHA256:")));
        QCOMPARE(QString::fromLatin1(r.standardOutput.split(' ').value(1)), fingerprint);
    }

    void knownHostsFiles()
    {
        const QByteArray host = "[127.0.0.1]:" + QByteArray::number(m_server.port());
        const QByteArray plain = readFile(m_server.knownHostsFile());
        QVERIFY2(plain.startsWith(QByteArray(host + " ssh-ed25519 AAAA")), plain.constData());
        QVERIFY2(plain.contains(QByteArray('\n' + host + " ssh-rsa AAAA")), plain.constData());
        QCOMPARE(plain, m_server.knownHostsLines());

        const QByteArray hashed = readFile(m_server.hashedKnownHostsFile());
        QVERIFY2(hashed.startsWith("|1|"), hashed.constData());
        QVERIFY(!hashed.contains("127.0.0.1"));
        QVERIFY(!QFileInfo::exists(m_server.hashedKnownHostsFile() + QStringLiteral(".old")));
        // ssh-keygen -F finds the host in the hashed file.
        const CommandResult found = runCommand(
            m_keygen,
            {QStringLiteral("-F"), QString::fromLatin1(host), QStringLiteral("-f"), m_server.hashedKnownHostsFile()});
        QVERIFY2(found.succeeded(), qPrintable(found.describe()));

        const QByteArray wrong = readFile(m_server.wrongKnownHostsFile());
        QVERIFY2(wrong.startsWith(QByteArray(host + " ssh-ed25519 AAAA")), wrong.constData());
        QVERIFY(wrong.trimmed() != plain.split('\n').first().trimmed());
    }

    void login_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("knownHosts");
        QTest::addColumn<bool>("askPassphrase");
        QTest::addColumn<bool>("succeeds");
        QTest::addColumn<QByteArray>("message");

        const QString empty = m_clientDir.filePath(QStringLiteral("known_hosts_empty"));
        QFile emptyFile(empty);
        if (!emptyFile.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(empty));
        QTest::newRow("ed25519 key") << m_server.clientKey() << m_server.knownHostsFile() << false << true
                                     << QByteArray();
        QTest::newRow("hashed known_hosts")
            << m_server.clientKey() << m_server.hashedKnownHostsFile() << false << true << QByteArray();
        QTest::newRow("pem rsa key") << m_server.pemRsaClientKey() << m_server.knownHostsFile() << false << true
                                     << QByteArray();
        QTest::newRow("encrypted key, passphrase from askpass")
            << m_server.encryptedClientKey() << m_server.knownHostsFile() << true << true << QByteArray();
        QTest::newRow("encrypted key, no passphrase") << m_server.encryptedClientKey() << m_server.knownHostsFile()
                                                      << false << false << QByteArray("Permission denied (publickey)");
        QTest::newRow("unauthorized key") << m_server.unauthorizedClientKey() << m_server.knownHostsFile() << false
                                          << false << QByteArray("Permission denied (publickey)");
        QTest::newRow("changed host key") << m_server.clientKey() << m_server.wrongKnownHostsFile() << false << false
                                          << QByteArray("REMOTE HOST IDENTIFICATION HAS CHANGED");
        QTest::newRow("unknown host") << m_server.clientKey() << empty << false << false
                                      << QByteArray("Host key verification failed.");
    }

    void login()
    {
        QFETCH(QString, key);
        QFETCH(QString, knownHosts);
        QFETCH(bool, askPassphrase);
        QFETCH(bool, succeeds);
        QFETCH(QByteArray, message);

        QProcessEnvironment environment = clientEnvironment();
        QStringList extra;
        if (askPassphrase) {
            // SSH_ASKPASS_REQUIRE=force (OpenSSH 8.4+): ask the program even without a display.
            const QString askpass = m_clientDir.filePath(QStringLiteral("askpass.sh"));
            QFile script(askpass);
            QVERIFY(script.open(QIODevice::WriteOnly | QIODevice::Truncate));
            script.write("#!/bin/sh\necho '" + m_server.passphrase().toUtf8() + "'\n");
            script.close();
            QVERIFY(script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
            environment.insert(QStringLiteral("SSH_ASKPASS"), askpass);
            environment.insert(QStringLiteral("SSH_ASKPASS_REQUIRE"), QStringLiteral("force"));
            // BatchMode would forbid the passphrase prompt; options given first win.
            extra << QStringLiteral("BatchMode no") << QStringLiteral("NumberOfPasswordPrompts 1");
        }
        const QString config = writeClientConfig(QStringLiteral("login"), key, knownHosts, extra);
        const CommandResult r
            = ssh(config,
                  {QStringLiteral("-p"), QString::number(m_server.port()), m_server.host(), QStringLiteral("echo ok")},
                  environment);
        if (succeeds) {
            QVERIFY2(r.succeeded(), qPrintable(r.describe() + QStringLiteral("\nsshd log:\n") + m_server.logTail()));
            QCOMPARE(r.standardOutput, QByteArrayLiteral("ok\n"));
        } else {
            QVERIFY2(r.finished && r.exitCode == 255, qPrintable(r.describe()));
            QVERIFY2(r.standardError.contains(message), qPrintable(r.describe()));
            QVERIFY(r.standardOutput.isEmpty());
        }
    }

    // The real client limited to SHA-1 RSA ("ssh-rsa") for host key and user auth, as libssh2
    // 1.10 is: OpenSSH 9.2 refuses both by default, and accepts both with acceptSshRsaSha1,
    // the RSA host key then verified by the RSA line of knownHostsFile().
    void sshRsaSha1_data()
    {
        QTest::addColumn<bool>("accept");
        QTest::addColumn<QString>("hostKeyAlgorithms");
        QTest::addColumn<bool>("succeeds");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("default server, ssh-rsa host key")
            << false << QStringLiteral("ssh-rsa") << false << QByteArray("no matching host key type found");
        QTest::newRow("default server, ssh-rsa user auth")
            << false << QStringLiteral("ssh-ed25519") << false << QByteArray("Permission denied (publickey)");
        QTest::newRow("acceptSshRsaSha1") << true << QStringLiteral("ssh-rsa") << true << QByteArray();
    }

    void sshRsaSha1()
    {
        QFETCH(bool, accept);
        QFETCH(QString, hostKeyAlgorithms);
        QFETCH(bool, succeeds);
        QFETCH(QByteArray, message);
        SshServer::Options options;
        options.acceptSshRsaSha1 = accept;
        SshServer server;
        QVERIFY2(server.start(options), qPrintable(server.errorString()));
        watch(server);
        const QString config
            = writeClientConfig(QStringLiteral("ssh-rsa"), server.pemRsaClientKey(), server.knownHostsFile(),
                                {QStringLiteral("HostKeyAlgorithms %1").arg(hostKeyAlgorithms),
                                 QStringLiteral("PubkeyAcceptedAlgorithms ssh-rsa")});
        const CommandResult r = echoOk(server, config);
        if (succeeds) {
            QVERIFY2(r.succeeded(), qPrintable(r.describe() + QStringLiteral("\n") + server.logTail()));
            QVERIFY2(server.logTail(300).contains(QLatin1String("kex: host key algorithm: ssh-rsa")),
                     qPrintable(server.logTail()));
            QVERIFY2(server.logTail(300).contains(QLatin1String("Accepted publickey for root")),
                     qPrintable(server.logTail()));
        } else {
            QCOMPARE(r.exitCode, 255);
            QVERIFY2(r.standardError.contains(message), qPrintable(r.describe()));
        }
    }

    // ssh -L to an echo server in this process: passes bytes when forwarding is allowed, and
    // with AllowTcpForwarding no sshd refuses the direct-tcpip channel (RFC 4254 section 7.2,
    // SSH_OPEN_ADMINISTRATIVELY_PROHIBITED), the same channel libssh2_channel_direct_tcpip opens.
    void localForwarding_data()
    {
        QTest::addColumn<bool>("allowed");
        QTest::newRow("allowed") << true;
        QTest::newRow("prohibited") << false;
    }

    void localForwarding()
    {
        QFETCH(bool, allowed);
        SshServer* server = &m_server;
        SshServer prohibited;
        if (!allowed) {
            SshServer::Options options;
            options.allowTcpForwarding = false;
            QVERIFY2(prohibited.start(options), qPrintable(prohibited.errorString()));
            watch(prohibited);
            server = &prohibited;
        }
        EchoServer echo;
        QVERIFY(echo.listen(QHostAddress::LocalHost, 0));
        const quint16 localPort = freePort();
        const QString config
            = writeClientConfig(QStringLiteral("forward"), server->clientKey(), server->knownHostsFile());
        ManagedProcess forward(m_clientDir.filePath(QStringLiteral("ssh-L-%1.log").arg(localPort)));
        forward.setEnvironment(clientEnvironment());
        QVERIFY2(forward.start(m_ssh,
                               {QStringLiteral("-F"), config, QStringLiteral("-N"), QStringLiteral("-o"),
                                QStringLiteral("ExitOnForwardFailure=yes"), QStringLiteral("-L"),
                                QStringLiteral("127.0.0.1:%1:127.0.0.1:%2").arg(localPort).arg(echo.serverPort()),
                                QStringLiteral("-p"), QString::number(server->port()), server->host()}),
                 qPrintable(forward.errorString()));

        // Until ssh listens, connections are refused; each retry is a fresh socket.
        std::unique_ptr<QTcpSocket> socket;
        QByteArray received;
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                socket = std::make_unique<QTcpSocket>();
                socket->connectToHost(QHostAddress::LocalHost, localPort);
                return socket->waitForConnected(200);
            }(),
            qPrintable(forward.logTail()), 15000);
        connect(socket.get(), &QTcpSocket::readyRead, this, [&] { received += socket->readAll(); });
        const QByteArray payload = "through the tunnel\n";
        socket->write(payload);
        if (allowed) {
            QTRY_COMPARE_WITH_TIMEOUT(received, payload, 10000);
            QVERIFY(forward.isRunning());
        } else {
            QTRY_VERIFY2_WITH_TIMEOUT(forward.logTail().contains(QLatin1String("administratively prohibited")),
                                      qPrintable(forward.logTail()), 10000);
            QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 10000);
            QVERIFY(received.isEmpty());
            QVERIFY2(server->logTail(200).contains(QLatin1String("refused local port forward")),
                     qPrintable(server->logTail()));
        }
        socket.reset();
        forward.stop();
    }

    // ssh -J through one instance to another: the jump sshd opens a direct-tcpip channel to
    // the target; both host keys come from one known_hosts file.
    void jumpHost()
    {
        SshServer jump;
        QVERIFY2(jump.start(), qPrintable(jump.errorString()));
        watch(jump);
        SshServer target;
        SshServer::Options options;
        options.authorizedKeysExtra = QString::fromLatin1(jump.clientPublicKeyLine());
        QVERIFY2(target.start(options), qPrintable(target.errorString()));
        watch(target);

        const QString chain = m_clientDir.filePath(QStringLiteral("known_hosts_chain"));
        QString error;
        QVERIFY2(SshServer::writeKnownHosts(chain, {&jump, &target}, &error), qPrintable(error));
        QCOMPARE(readFile(chain), jump.knownHostsLines() + target.knownHostsLines());
        const QStringList arguments{QStringLiteral("-J"),
                                    QStringLiteral("%1@127.0.0.1:%2").arg(jump.user()).arg(jump.port()),
                                    QStringLiteral("-p"),
                                    QString::number(target.port()),
                                    QStringLiteral("%1@127.0.0.1").arg(target.user()),
                                    QStringLiteral("echo ok")};

        const CommandResult r = ssh(writeClientConfig(QStringLiteral("jump"), jump.clientKey(), chain), arguments);
        QVERIFY2(r.succeeded(),
                 qPrintable(r.describe() + QStringLiteral("\njump log:\n") + jump.logTail()
                            + QStringLiteral("\ntarget log:\n") + target.logTail()));
        QCOMPARE(r.standardOutput, QByteArrayLiteral("ok\n"));
        QVERIFY2(jump.logTail(500).contains(QStringLiteral("target 127.0.0.1 port %1").arg(target.port())),
                 qPrintable(jump.logTail()));

        // Without the jump host's key the first hop fails.
        const CommandResult unknownJump = ssh(
            writeClientConfig(QStringLiteral("jump-unknown"), jump.clientKey(), target.knownHostsFile()), arguments);
        QCOMPARE(unknownJump.exitCode, 255);
        QVERIFY2(unknownJump.standardError.contains("Host key verification failed."),
                 qPrintable(unknownJump.describe()));
    }

    // A restart keeps port and host keys: the same known_hosts still verifies the server.
    void restartKeepsPortAndHostKey()
    {
        const quint16 port = m_server.port();
        const QString fingerprint = m_server.hostKeySha256Fingerprint();
        const QList<ProcessIdentity> before = identify({m_server.pid()});
        const QString config
            = writeClientConfig(QStringLiteral("restart"), m_server.clientKey(), m_server.knownHostsFile());
        QVERIFY2(echoOk(m_server, config).succeeded(), qPrintable(m_server.logTail()));

        QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
        QCOMPARE(m_server.port(), port);
        QCOMPARE(m_server.hostKeySha256Fingerprint(), fingerprint);
        QVERIFY(m_server.pid() != before.first().pid);
        QVERIFY2(survivors(before).isEmpty(), qPrintable(describePids(survivors(before))));
        const CommandResult r = echoOk(m_server, config);
        QVERIFY2(r.succeeded(), qPrintable(r.describe() + QStringLiteral("\n") + m_server.logTail()));
        QCOMPARE(r.standardOutput, QByteArrayLiteral("ok\n"));
    }

    // An open session's processes end with the server, whether stopped or killed, and after a
    // restart the server takes new logins on its port.
    void sessionsEndWithServer_data()
    {
        QTest::addColumn<bool>("crash");
        QTest::newRow("stop") << false;
        QTest::newRow("kill") << true;
    }

    void sessionsEndWithServer()
    {
        QFETCH(bool, crash);
        SshServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        watch(server);
        const QString config
            = writeClientConfig(QStringLiteral("session"), server.clientKey(), server.knownHostsFile());
        ManagedProcess session(m_clientDir.filePath(QStringLiteral("session-%1.log").arg(server.port())));
        session.setEnvironment(clientEnvironment());
        QVERIFY(session.start(m_ssh,
                              {QStringLiteral("-F"), config, QStringLiteral("-p"), QString::number(server.port()),
                               server.host(), QStringLiteral("sleep 300")}));
        QTRY_VERIFY2_WITH_TIMEOUT(anyCommandLineIs(server.connectionPids(), "sleep 300"),
                                  qPrintable(server.logTail() + QStringLiteral("\n") + session.logTail()), 15000);

        const QList<qint64> pids = server.connectionPids() << server.pid();
        // The listener, the connection's sshd (for root no separate post-auth child: sshd.c
        // privsep_postauth) and the command.
        QVERIFY2(pids.size() >= 3, qPrintable(describePids(pids)));
        const QList<ProcessIdentity> processes = identify(pids);
        const QString description = describePids(pids);
        QElapsedTimer timer;
        timer.start();
        if (crash)
            server.kill();
        else
            server.stop();
        qCInfo(lcTestFixture) << (crash ? "kill()" : "stop()") << "took" << timer.elapsed() << "ms for" << description;
        QVERIFY(!server.isRunning());
        QCOMPARE(server.pid(), 0);
        QVERIFY2(survivors(processes).isEmpty(), qPrintable(describePids(survivors(processes))));
        // The client sees its connection go.
        QVERIFY(session.waitForExit(std::chrono::seconds(10)));
        QCOMPARE(session.exitCode(), 255);

        QVERIFY2(server.restart(), qPrintable(server.errorString()));
        const CommandResult r = echoOk(server, config);
        QVERIFY2(r.succeeded(), qPrintable(r.describe() + QStringLiteral("\nsshd log:\n") + server.logTail(60)));
    }

    // What a session leaves running after it ends (here a daemon-style double fork into a new
    // session) is re-parented to the listener, not init, so stop() still ends it.
    void leftoverProcessesEndWithServer()
    {
        SshServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        watch(server);
        const QString config
            = writeClientConfig(QStringLiteral("leftover"), server.clientKey(), server.knownHostsFile());
        const CommandResult r = ssh(config,
                                    {QStringLiteral("-p"), QString::number(server.port()), server.host(),
                                     QStringLiteral("setsid -f sleep 301 </dev/null >/dev/null 2>&1; echo started")});
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        QCOMPARE(r.standardOutput, QByteArrayLiteral("started\n"));
        QTRY_VERIFY2_WITH_TIMEOUT(anyCommandLineIs(server.connectionPids(), "sleep 301"),
                                  qPrintable(describePids(server.connectionPids())), 10000);
        const QList<ProcessIdentity> processes = identify(server.connectionPids() << server.pid());
        server.stop();
        QVERIFY2(survivors(processes).isEmpty(), qPrintable(describePids(survivors(processes))));
    }

    // Sessions get an empty HOME of the fixture's, not the account's dotfiles.
    void sessionEnvironment()
    {
        const QString config
            = writeClientConfig(QStringLiteral("environment"), m_server.clientKey(), m_server.knownHostsFile());
        const CommandResult r = ssh(config,
                                    {QStringLiteral("-p"), QString::number(m_server.port()), m_server.host(),
                                     QStringLiteral("echo \"$HOME\"; id -un")});
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        QCOMPARE(QString::fromLocal8Bit(r.standardOutput), m_server.sessionHome() + QStringLiteral("\nroot\n"));
    }

    void cleanupTestCase()
    {
        const QList<ProcessIdentity> listener = identify(m_server.connectionPids() << m_server.pid());
        m_server.stop();
        QVERIFY2(survivors(listener).isEmpty(), qPrintable(describePids(survivors(listener))));
        // No listener of ours, by the config file on its command line.
        const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString& entry : entries) {
            bool isPid = false;
            const qint64 pid = entry.toLongLong(&isPid);
            if (!isPid || liveStartTime(pid).isEmpty())
                continue;
            for (const QByteArray& configFile : std::as_const(m_configFiles))
                QVERIFY2(!anyCommandLineContains({pid}, configFile), qPrintable(describePids({pid})));
        }
    }
};

QTEST_GUILESS_MAIN(TestSshFixture)
#include "tst_sshfixture.moc"
