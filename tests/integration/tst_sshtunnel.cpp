#include "ProbeRunner.h"
#include "SilentPeer.h"
#include "SshServer.h"
#include "TestCertificates.h"
#include "TestSupport.h"
#include "engine/DeploymentMonitor.h"
#include "probes/ExecProbe.h"
#include "probes/FileProbe.h"
#include "probes/HttpProbe.h"
#include "probes/PostgresProbe.h"
#include "probes/RedisProbe.h"
#include "probes/TcpProbe.h"
#include "standin/NginxServer.h"
#include "standin/PostgresServer.h"
#include "standin/RedisServer.h"
#include "transport/PassphraseRequests.h"
#include "transport/SshTunnel.h"
#include "transport/TunnelVerdict.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <algorithm>
#include <csignal>
#include <sys/resource.h>

using namespace okh;
using namespace std::chrono_literals;

namespace {

// Waits for the tunnel to settle (up or down) and returns its state.
SshTunnel::State settle(SshTunnel& tunnel, int maxMs = 20'000)
{
    QElapsedTimer clock;
    clock.start();
    while (tunnel.state() == SshTunnel::State::Connecting && clock.elapsed() < maxMs) {
        QSignalSpy spy(&tunnel, &SshTunnel::stateChanged);
        spy.wait(200);
    }
    return tunnel.state();
}

bool waitForState(SshTunnel& tunnel, SshTunnel::State state, int maxMs)
{
    QElapsedTimer clock;
    clock.start();
    while (tunnel.state() != state && clock.elapsed() < maxMs) {
        QSignalSpy spy(&tunnel, &SshTunnel::stateChanged);
        spy.wait(200);
    }
    return tunnel.state() == state;
}

} // namespace

// The SSH transport against real OpenSSH servers: every probe type through direct-tcpip
// channels, exec and file checks over exec channels, host keys, authentication, forwarding
// disabled, a server killed and restarted mid-run, and a jump host.
class TestSshTunnel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_ssh.start(), qPrintable(m_ssh.errorString()));
        QVERIFY2(m_certs.generate(), qPrintable(m_certs.errorString()));
        m_redis.setTls({m_certs.serverCertFile(), m_certs.serverKeyFile(), m_certs.caFile(), false});
        QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
        QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
        QVERIFY2(m_nginx.start(test::freePort()), qPrintable(m_nginx.errorString()));
    }

    void probesThroughTheTunnel_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("tcp") << QStringLiteral("tcp");
        QTest::newRow("redis") << QStringLiteral("redis");
        QTest::newRow("rediss, certificate verified") << QStringLiteral("rediss");
        QTest::newRow("http") << QStringLiteral("http");
        QTest::newRow("postgres") << QStringLiteral("postgres");
        QTest::newRow("exec") << QStringLiteral("exec");
        QTest::newRow("file age, remote clock") << QStringLiteral("file");
    }
    void probesThroughTheTunnel()
    {
        QFETCH(QString, kind);
        SshTunnel tunnel(spec(m_ssh), {});
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Up);
        const ProbeResult r = probe(kind, tunnel);
        QVERIFY2(r.status == ProbeStatus::Healthy, qPrintable(r.summary + u" | " + r.hint));
        // The probe still names its target, not the tunnel's local endpoint.
        if (kind == QLatin1String("redis"))
            QVERIFY2(r.summary.contains(QString::number(m_redis.port())), qPrintable(r.summary));
        if (kind == QLatin1String("rediss"))
            QVERIFY2(r.summary.contains(QString::number(m_redis.tlsPort())), qPrintable(r.summary));
    }

    void execKeepsExitCodeAndOutput()
    {
        SshTunnel tunnel(spec(m_ssh), {});
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Up);
        ExecTarget target;
        // Quoting: an argument with spaces and shell syntax arrives as one argument.
        target.command = {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo \"$1\"; exit 3"),
                          QStringLiteral("sh"), QStringLiteral("a b; $(id)")};
        ExecProbe p(target, 5s, tunnel);
        const ProbeResult r = test::runProbe(p);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QCOMPARE(r.detail(QStringLiteral("exit code")), QStringLiteral("3"));
        QCOMPARE(r.detail(QStringLiteral("output")), QStringLiteral("a b; $(id)"));
    }

    // Closing an SSH channel does not stop its command: a hung check would leave one process on
    // the server per run. The command is bounded on the server too (GNU timeout, a second after
    // the check's own deadline).
    void timedOutCommandDoesNotOutliveItsCheck()
    {
        SshTunnel tunnel(spec(m_ssh), {});
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Up);
        ExecTarget target;
        const QString marker = QStringLiteral("31.4159"); // a sleep nobody else runs
        target.command = {QStringLiteral("sleep"), marker};
        ExecProbe p(target, 1s, tunnel);
        const ProbeResult r = test::runProbe(p);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        const auto running = [&] {
            const QByteArray wanted = QByteArray("sleep\0", 6) + marker.toLatin1(); // argv, NUL-separated
            for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
                QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
                if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().startsWith(wanted))
                    return true;
            }
            return false;
        };
        QElapsedTimer clock;
        clock.start();
        while (running() && clock.elapsed() < 5000)
            QThread::msleep(100);
        QVERIFY2(!running(), "the remote sleep outlived its check by 5 s");
    }

    void hostKeys_data()
    {
        QTest::addColumn<QString>("knownHosts");
        QTest::addColumn<int>("policy");
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("failure");
        const int strict = int(SshEndpoint::HostKeyPolicy::Strict);
        QTest::newRow("known") << QStringLiteral("plain") << strict << int(SshTunnel::State::Up)
                               << int(SshFailure::None);
        QTest::newRow("hashed entries") << QStringLiteral("hashed") << strict << int(SshTunnel::State::Up)
                                        << int(SshFailure::None);
        QTest::newRow("unknown key refused")
            << QStringLiteral("empty") << strict << int(SshTunnel::State::Down) << int(SshFailure::HostKeyUnknown);
        QTest::newRow("changed key refused")
            << QStringLiteral("wrong") << strict << int(SshTunnel::State::Down) << int(SshFailure::HostKeyChanged);
        QTest::newRow("changed key refused even with accept-new")
            << QStringLiteral("wrong") << int(SshEndpoint::HostKeyPolicy::AcceptNew) << int(SshTunnel::State::Down)
            << int(SshFailure::HostKeyChanged);
    }
    void hostKeys()
    {
        QFETCH(QString, knownHosts);
        QFETCH(int, policy);
        QFETCH(int, state);
        QFETCH(int, failure);
        SshSpec s = spec(m_ssh);
        s.target.hostKeyPolicy = SshEndpoint::HostKeyPolicy(policy);
        if (knownHosts == QLatin1String("hashed"))
            s.target.knownHostsFile = m_ssh.hashedKnownHostsFile();
        else if (knownHosts == QLatin1String("wrong"))
            s.target.knownHostsFile = m_ssh.wrongKnownHostsFile();
        else if (knownHosts == QLatin1String("empty"))
            s.target.knownHostsFile = m_dir.filePath(QStringLiteral("none"));
        SshTunnel tunnel(s, {});
        tunnel.start();
        QCOMPARE(int(settle(tunnel)), state);
        QCOMPARE(int(tunnel.failure()), failure);
        if (state == int(SshTunnel::State::Down)) {
            // The fingerprint as OpenSSH shows it, so the operator can compare it.
            QVERIFY2(tunnel.lastError().contains(m_ssh.hostKeySha256Fingerprint()), qPrintable(tunnel.lastError()));
        }
    }

    void acceptNewAddsTheKey()
    {
        const QString file = m_dir.filePath(QStringLiteral("accept-new"));
        SshSpec s = spec(m_ssh);
        s.target.knownHostsFile = file;
        s.target.hostKeyPolicy = SshEndpoint::HostKeyPolicy::AcceptNew;
        {
            SshTunnel tunnel(s, {});
            tunnel.start();
            QCOMPARE(settle(tunnel), SshTunnel::State::Up);
        }
        QVERIFY(QFile::exists(file));
        // The added line satisfies strict checking, and the real ssh client too.
        s.target.hostKeyPolicy = SshEndpoint::HostKeyPolicy::Strict;
        SshTunnel again(s, {});
        again.start();
        QCOMPARE(settle(again), SshTunnel::State::Up);
        QVERIFY2(sshAccepts(file), qPrintable(m_sshOutput));
    }

    // Strict checking meets an unknown key: it is reported once (not at every retry) with the
    // fingerprint OpenSSH prints; trusting it writes exactly its line, and the tunnel comes up
    // at once instead of after its backoff.
    void unknownKeyReportedThenTrusted()
    {
        const QString file = m_dir.filePath(QStringLiteral("ssh-dir/known_hosts")); // folder missing too
        SshSpec s = spec(m_ssh);
        s.target.knownHostsFile = file;
        SshTunnel tunnel(s, {});
        QSignalSpy rejected(&tunnel, &SshTunnel::hostKeyRejected);
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Down);
        QTRY_COMPARE(rejected.size(), 1);
        const auto key = rejected.first().at(0).value<SshHostKey>();
        QCOMPARE(rejected.first().at(1).value<SshFailure>(), SshFailure::HostKeyUnknown);
        QCOMPARE(key.fingerprint, m_ssh.hostKeySha256Fingerprint());
        QCOMPARE(key.keyType, QStringLiteral("ED25519"));
        QCOMPARE(key.knownHostsFile, file);
        const QString name = QStringLiteral("[127.0.0.1]:%1").arg(m_ssh.port());
        QCOMPARE(key.knownHostsName, name);
        QVERIFY2(key.knownHostsLine.startsWith((name + QStringLiteral(" ssh-ed25519 ")).toUtf8()),
                 key.knownHostsLine.constData());

        QSignalSpy states(&tunnel, &SshTunnel::stateChanged);
        tunnel.retryNow();
        // Tried again (Connecting), failed again (Down), asked nobody again.
        QVERIFY(QTest::qWaitFor(
            [&] {
                return std::any_of(states.cbegin(), states.cend(), [](const QList<QVariant>& args) {
                    return args.first().value<SshTunnel::State>() == SshTunnel::State::Down;
                });
            },
            3000));
        QCOMPARE(rejected.size(), 1);

        QString error;
        QVERIFY2(trustHostKey(key, &error), qPrintable(error));
        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), key.knownHostsLine + '\n');
        QCOMPARE(written.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup),
                 QFile::Permissions());
        QElapsedTimer clock;
        clock.start();
        tunnel.retryNow();
        QVERIFY2(waitForState(tunnel, SshTunnel::State::Up, 5000), qPrintable(tunnel.lastError()));
        QVERIFY2(clock.elapsed() < 1500, qPrintable(QString::number(clock.elapsed()))); // not the backoff
        QVERIFY2(sshAccepts(file), qPrintable(m_sshOutput));
    }

    // A changed key is reported as changed, never as unknown, and known_hosts stays as it was.
    void changedKeyNeverOfferedForTrust()
    {
        QFile wrong(m_ssh.wrongKnownHostsFile());
        QVERIFY(wrong.open(QIODevice::ReadOnly));
        const QByteArray before = wrong.readAll();
        wrong.close();
        SshSpec s = spec(m_ssh);
        s.target.knownHostsFile = m_ssh.wrongKnownHostsFile();
        SshTunnel tunnel(s, {});
        QSignalSpy rejected(&tunnel, &SshTunnel::hostKeyRejected);
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Down);
        QTRY_COMPARE(rejected.size(), 1);
        QCOMPARE(rejected.first().at(1).value<SshFailure>(), SshFailure::HostKeyChanged);
        QCOMPARE(rejected.first().at(0).value<SshHostKey>().fingerprint, m_ssh.hostKeySha256Fingerprint());
        QVERIFY(wrong.open(QIODevice::ReadOnly));
        QCOMPARE(wrong.readAll(), before);
    }

    // The GUI's way to a key's passphrase: the SSH thread asks and goes on without it; a wrong
    // answer is asked for again, the right one brings the tunnel up at once; nothing it says
    // contains the passphrase.
    void passphraseAskedWithoutWaiting()
    {
        SshSpec s = spec(m_ssh);
        s.target.identityFiles = {m_ssh.encryptedClientKey()};
        PassphraseRequests requests;
        SshTunnel tunnel(s, requests.source());
        connect(&requests, &PassphraseRequests::answered, &tunnel, &SshTunnel::retryNow);
        QSignalSpy requested(&requests, &PassphraseRequests::requested);
        tunnel.start();
        QVERIFY(requested.wait(10'000));
        QCOMPARE(requested.first().first().toString(), m_ssh.encryptedClientKey());
        QCOMPARE(settle(tunnel), SshTunnel::State::Down);
        QCOMPARE(tunnel.failure(), SshFailure::AuthFailed);
        QVERIFY(requests.isPending(m_ssh.encryptedClientKey()));
        QCOMPARE(requested.size(), 1); // retries while nobody answered ask no more

        requests.answer(m_ssh.encryptedClientKey(), QStringLiteral("not the passphrase"));
        QVERIFY(requested.wait(5000)); // wrong: asked again
        QVERIFY(requests.wasAnswered(m_ssh.encryptedClientKey()));
        QCOMPARE(settle(tunnel), SshTunnel::State::Down);
        QVERIFY(!tunnel.lastError().contains(QStringLiteral("not the passphrase")));

        requests.answer(m_ssh.encryptedClientKey(), m_ssh.passphrase());
        QVERIFY2(waitForState(tunnel, SshTunnel::State::Up, 5000), qPrintable(tunnel.lastError()));
        QVERIFY(!requests.isPending(m_ssh.encryptedClientKey()));
    }

    void authentication_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("passphrase"); // "-": the source declines
        QTest::addColumn<int>("state");
        QTest::newRow("ed25519 key") << QStringLiteral("plain") << QString() << int(SshTunnel::State::Up);
        // libssh2 1.10 signs RSA with SHA-1, which OpenSSH 9 refuses unless told otherwise.
        QTest::newRow("PEM RSA key: refused by a default OpenSSH, and said why")
            << QStringLiteral("rsa") << QString() << int(SshTunnel::State::Down);
        QTest::newRow("encrypted key, passphrase asked")
            << QStringLiteral("encrypted") << m_ssh.passphrase() << int(SshTunnel::State::Up);
        QTest::newRow("encrypted key, passphrase declined")
            << QStringLiteral("encrypted") << QStringLiteral("-") << int(SshTunnel::State::Down);
        QTest::newRow("key not authorized")
            << QStringLiteral("unauthorized") << QString() << int(SshTunnel::State::Down);
    }
    void authentication()
    {
        QFETCH(QString, key);
        QFETCH(QString, passphrase);
        QFETCH(int, state);
        SshSpec s = spec(m_ssh);
        s.target.identityFiles = {key == QLatin1String("rsa")                ? m_ssh.pemRsaClientKey()
                                      : key == QLatin1String("encrypted")    ? m_ssh.encryptedClientKey()
                                      : key == QLatin1String("unauthorized") ? m_ssh.unauthorizedClientKey()
                                                                             : m_ssh.clientKey()};
        int asked = 0;
        PassphraseSource source = [&asked, passphrase](const QString&) -> std::optional<QString> {
            ++asked;
            if (passphrase == QLatin1String("-"))
                return std::nullopt;
            return passphrase;
        };
        SshTunnel tunnel(s, source);
        tunnel.start();
        QCOMPARE(int(settle(tunnel)), state);
        if (state == int(SshTunnel::State::Down)) {
            QCOMPARE(tunnel.failure(), SshFailure::AuthFailed);
            QVERIFY(!tunnel.lastError().contains(m_ssh.passphrase()));
            if (key == QLatin1String("rsa"))
                QVERIFY2(tunnel.lastError().contains(QStringLiteral("SHA-1")), qPrintable(tunnel.lastError()));
        }
        QCOMPARE(asked > 0, key == QLatin1String("encrypted"));
    }

    void rsaKeyWhereTheServerAcceptsSha1()
    {
        test::SshServer legacy;
        test::SshServer::Options options;
        options.acceptSshRsaSha1 = true;
        QVERIFY2(legacy.start(options), qPrintable(legacy.errorString()));
        SshSpec s = spec(legacy);
        s.target.identityFiles = {legacy.pemRsaClientKey()};
        SshTunnel tunnel(s, {});
        tunnel.start();
        QVERIFY2(settle(tunnel) == SshTunnel::State::Up, qPrintable(tunnel.lastError()));
    }

    void connectionFailures_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("failure");
        QTest::newRow("dns") << QStringLiteral("no-such-host.invalid") << int(SshFailure::Dns);
        QTest::newRow("refused") << QStringLiteral("refused") << int(SshFailure::Refused);
        QTest::newRow("timeout: a peer that never speaks SSH") << QStringLiteral("silent") << int(SshFailure::Timeout);
    }
    void connectionFailures()
    {
        QFETCH(QString, host);
        QFETCH(int, failure);
        test::SilentPeer silent;
        SshSpec s = spec(m_ssh);
        s.connectTimeout = 2s;
        if (host == QLatin1String("refused")) {
            s.target.port = test::freePort();
        } else if (host == QLatin1String("silent")) {
            QVERIFY(silent.start());
            s.target.port = silent.port();
        } else {
            s.target.host = host;
        }
        SshTunnel tunnel(s, {});
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Down);
        QCOMPARE(int(tunnel.failure()), failure);
        // The checks of an unreachable deployment are unknown, never unhealthy.
        const ProbeResult r = probe(QStringLiteral("redis"), tunnel);
        QCOMPARE(r.status, ProbeStatus::Unknown);
    }

    void forwardingDisabled()
    {
        test::SshServer noForwarding;
        test::SshServer::Options options;
        options.allowTcpForwarding = false;
        QVERIFY2(noForwarding.start(options), qPrintable(noForwarding.errorString()));
        SshTunnel tunnel(spec(noForwarding), {});
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Up);
        for (const QString& kind : {QStringLiteral("redis"), QStringLiteral("http")}) {
            const ProbeResult r = probe(kind, tunnel);
            QVERIFY2(r.status == ProbeStatus::Unknown, qPrintable(kind + u": " + r.summary));
            QVERIFY2(r.summary.contains(QStringLiteral("refused to forward"))
                         || r.hint.contains(QStringLiteral("AllowTcpForwarding")),
                     qPrintable(r.summary + u" | " + r.hint));
        }
    }

    // sshd dies mid-run: the tunnel goes down (checks unknown), reconnects with backoff when
    // sshd is back, and results resume without a restart.
    void serverKilledAndRestarted()
    {
        test::SshServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        SshSpec s = spec(server);
        s.keepalive = 2s;
        SshTunnel tunnel(s, {});
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Up);
        QCOMPARE(probe(QStringLiteral("redis"), tunnel).status, ProbeStatus::Healthy);
        const quint64 generation = tunnel.generation();

        server.kill();
        QVERIFY2(waitForState(tunnel, SshTunnel::State::Down, 15'000), "the loss is noticed");
        QCOMPARE(probe(QStringLiteral("redis"), tunnel).status, ProbeStatus::Unknown);

        QVERIFY2(server.restart(), qPrintable(server.errorString()));
        QVERIFY2(waitForState(tunnel, SshTunnel::State::Up, 40'000), qPrintable(tunnel.lastError()));
        QVERIFY(tunnel.generation() > generation);
        QCOMPARE(probe(QStringLiteral("redis"), tunnel).status, ProbeStatus::Healthy);
    }

    // An idle tunnel (keepalives only) must neither spin nor lose its session, and the server's
    // own keepalive requests (ClientAliveInterval) must be answered.
    void idleTunnelStaysQuietAndAlive()
    {
        test::SshServer server;
        test::SshServer::Options options;
        options.clientAliveIntervalSeconds = 1;
        options.clientAliveCountMax = 2;
        QVERIFY2(server.start(options), qPrintable(server.errorString()));
        SshSpec s = spec(server);
        s.keepalive = 1s;
        SshTunnel tunnel(s, {});
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Up);
        QCOMPARE(probe(QStringLiteral("redis"), tunnel).status, ProbeStatus::Healthy);
        const quint64 epoch = tunnel.epochNow();
        rusage before{};
        getrusage(RUSAGE_SELF, &before);
        QTest::qWait(4000);
        rusage after{};
        getrusage(RUSAGE_SELF, &after);
        const double cpu
            = double(after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec - before.ru_stime.tv_sec)
            + double(after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec
                     - before.ru_stime.tv_usec)
                / 1e6;
        QVERIFY2(cpu < 0.5, qPrintable(QStringLiteral("%1 s CPU while idle").arg(cpu)));
        QCOMPARE(tunnel.state(), SshTunnel::State::Up);
        QCOMPARE(tunnel.epochNow(), epoch); // no reconnect: sshd's client-alive checks were answered
        QCOMPARE(probe(QStringLiteral("redis"), tunnel).status, ProbeStatus::Healthy);
    }

    // The local SOCKS endpoint needs the tunnel's own random secret: another local user cannot
    // reach the deployment network with the monitor's SSH credentials.
    void tunnelEndpointNeedsItsSecret_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("connects");
        QTest::newRow("no credentials") << QString() << QString() << false;
        QTest::newRow("a guessed password") << QStringLiteral("okhealth") << QStringLiteral("guess") << false;
        QTest::newRow("the tunnel's own") << QStringLiteral("-") << QString() << true;
    }
    void tunnelEndpointNeedsItsSecret()
    {
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(bool, connects);
        SshTunnel tunnel(spec(m_ssh), {});
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Up);
        QNetworkProxy proxy = tunnel.proxy();
        if (user != QLatin1String("-")) {
            proxy.setUser(user);
            proxy.setPassword(password);
        }
        QTcpSocket socket;
        socket.setProxy(proxy);
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_redis.port());
        QCOMPARE(socket.waitForConnected(3000), connects);
    }

    // libssh2 runs one channel open per session at a time, and a second call while one is in
    // progress completes the first one's open instead. Two clients whose requests cross (the later
    // accepted one asks first) must each still reach their own target.
    void crossingChannelOpensReachTheirOwnTargets_data()
    {
        QTest::addColumn<int>("pauseMicroseconds"); // between the two CONNECT requests
        for (const int pause : {0, 50, 100, 200, 400, 800})
            QTest::addRow("%d us apart", pause) << pause;
    }
    void crossingChannelOpensReachTheirOwnTargets()
    {
        QFETCH(int, pauseMicroseconds);
        SshTunnel tunnel(spec(m_ssh), {});
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Up);
        const QNetworkProxy proxy = tunnel.proxy();
        for (int round = 0; round < 20; ++round) {
            // Accepted in this order: the Redis client first, then the nginx one.
            QTcpSocket toRedis;
            QTcpSocket toNginx;
            QVERIFY(socksLogin(toRedis, proxy));
            QVERIFY(socksLogin(toNginx, proxy));
            // The nginx request goes first; the Redis one arrives while that open may be running.
            toNginx.write(socksConnectRequest(m_nginx.port()));
            QVERIFY(toNginx.waitForBytesWritten(2000));
            QThread::usleep(ulong(pauseMicroseconds));
            toRedis.write(socksConnectRequest(m_redis.port()));
            QVERIFY(toRedis.waitForBytesWritten(2000));
            QVERIFY2(socksConnected(toNginx), "nginx: no SOCKS success reply");
            QVERIFY2(socksConnected(toRedis), "redis: no SOCKS success reply");

            toRedis.write("PING\r\n");
            toNginx.write("GET /_healthz/livez/ HTTP/1.0\r\nHost: localhost\r\n\r\n");
            const QByteArray redisReply = readSome(toRedis, 7);
            const QByteArray nginxReply = readSome(toNginx, 12);
            QVERIFY2(redisReply.startsWith("+PONG"),
                     qPrintable(QStringLiteral("round %1: the Redis client got %2")
                                    .arg(round)
                                    .arg(QString::fromLatin1(redisReply))));
            QVERIFY2(nginxReply.startsWith("HTTP/1.1 200"),
                     qPrintable(QStringLiteral("round %1: the nginx client got %2")
                                    .arg(round)
                                    .arg(QString::fromLatin1(nginxReply))));
        }
    }

    // A congested SSH connection (here: sshd frozen while eight connections send 1.5 MB each to
    // Redis) leaves one channel's packet half sent; libssh2 1.10 then answers BAD_USE to every
    // other channel until it is finished. That is back-pressure, not a broken session: every
    // connection must come through whole, on the same SSH connection.
    void congestionIsBackPressureNotFailure()
    {
        test::SshServer congested;
        QVERIFY2(congested.start(), qPrintable(congested.errorString()));
        SshTunnel tunnel(spec(congested), {});
        tunnel.start();
        QCOMPARE(settle(tunnel), SshTunnel::State::Up);
        const quint64 epoch = tunnel.epochNow();
        const QNetworkProxy proxy = tunnel.proxy();

        constexpr qsizetype Pings = 250'000;
        const QByteArray pong("+PONG\r\n");
        std::vector<std::unique_ptr<QTcpSocket>> connections;
        for (int i = 0; i < 8; ++i) {
            connections.push_back(std::make_unique<QTcpSocket>());
            QTcpSocket& socket = *connections.back();
            QVERIFY(socksLogin(socket, proxy));
            socket.write(socksConnectRequest(m_redis.port()));
            QVERIFY(socksConnected(socket));
        }
        const QList<qint64> frozen = congested.connectionPids();
        QVERIFY(!frozen.isEmpty());
        struct ResumeOnExit // whatever happens below, our sshd does not stay stopped
        {
            const QList<qint64>& pids;
            ~ResumeOnExit()
            {
                for (const qint64 pid : pids)
                    ::kill(pid_t(pid), SIGCONT);
            }
        } resume{frozen};
        for (const qint64 pid : frozen)
            ::kill(pid_t(pid), SIGSTOP);
        const QByteArray pings = QByteArray("PING\r\n").repeated(Pings);
        for (auto& socket : connections)
            socket->write(pings);
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 1500) { // fill every buffer on the way to the frozen sshd
            for (auto& socket : connections)
                socket->waitForBytesWritten(10);
        }
        for (const qint64 pid : frozen)
            ::kill(pid_t(pid), SIGCONT);

        std::vector<QByteArray> replies(connections.size());
        const auto complete = [&] {
            return std::all_of(replies.begin(), replies.end(),
                               [&](const QByteArray& r) { return r.size() >= Pings * pong.size(); });
        };
        clock.restart();
        while (!complete() && clock.elapsed() < 60'000) {
            for (size_t i = 0; i < connections.size(); ++i) {
                QTcpSocket& socket = *connections[i];
                if (socket.bytesToWrite() > 0)
                    socket.waitForBytesWritten(1);
                if (socket.bytesAvailable() > 0 || socket.waitForReadyRead(5))
                    replies[i] += socket.readAll();
            }
            if (std::any_of(connections.begin(), connections.end(),
                            [](const auto& c) { return c->state() != QAbstractSocket::ConnectedState; }))
                break; // a connection was dropped: no need to wait for the rest
        }
        for (size_t i = 0; i < replies.size(); ++i) {
            QVERIFY2(replies[i] == pong.repeated(Pings),
                     qPrintable(QStringLiteral("connection %1: %2 of %3 bytes, state %4")
                                    .arg(i)
                                    .arg(replies[i].size())
                                    .arg(Pings * pong.size())
                                    .arg(int(connections[i]->state()))));
        }
        QCOMPARE(tunnel.state(), SshTunnel::State::Up);
        QCOMPARE(tunnel.epochNow(), epoch); // never reconnected
    }

    // The engine over one tunnel: many checks of every network kind at short intervals, so
    // channel opens overlap all the time. Every result must come from its own target (a crossed
    // channel shows as a Redis PING answered by nginx, and so on) and be healthy.
    void manyMixedChecksOverOneTunnel()
    {
        DeploymentSpec deployment;
        deployment.name = QStringLiteral("busy");
        deployment.connection.type = ConnectionSpec::Type::Ssh;
        deployment.connection.ssh = spec(m_ssh);
        ServiceSpec service{QStringLiteral("all"), QStringLiteral("other"), {}, {}, {}, {}};
        for (int i = 0; i < 12; ++i) {
            const auto add = [&](const QString& kind, ProbeTarget target) {
                CheckSpec c;
                c.name = kind + QString::number(i);
                c.role = CheckRole::Readiness;
                c.interval = 100ms;
                c.timeout = 2s;
                c.target = std::move(target);
                service.checks.append(c);
            };
            RedisTarget redis;
            redis.port = m_redis.port();
            add(QStringLiteral("redis"), redis);
            HttpTarget http;
            http.url = QUrl(m_nginx.baseUrl() + QStringLiteral("/_healthz/livez/"));
            add(QStringLiteral("http"), http);
            PostgresTarget postgres;
            postgres.host = QStringLiteral("127.0.0.1");
            postgres.port = m_postgres.port();
            postgres.user = QStringLiteral("postgres");
            add(QStringLiteral("postgres"), postgres);
            add(QStringLiteral("tcp"), TcpTarget{QStringLiteral("127.0.0.1"), m_nginx.port()});
        }
        deployment.services = {service};

        DeploymentMonitor monitor(deployment, {});
        QSignalSpy updates(&monitor, &DeploymentMonitor::checkUpdated);
        monitor.start();
        QTest::qWait(4000);
        monitor.stop();
        QStringList wrong;
        bool up = false; // until the tunnel is up, checks are unknown ("not connected yet")
        for (const auto& args : updates) {
            const CheckSnapshot c = args.at(0).value<CheckSnapshot>();
            up = up || c.state.last.status == ProbeStatus::Healthy;
            if (up && c.state.last.status != ProbeStatus::Healthy)
                wrong.append(c.key.check + QStringLiteral(": ") + c.state.last.summary);
        }
        // Enough overlapping opens to matter, even in a slow sanitizer build on a busy machine.
        QVERIFY2(updates.size() >= 200, qPrintable(QString::number(updates.size())));
        QVERIFY2(wrong.isEmpty(),
                 qPrintable(QStringLiteral("%1 of %2 results not healthy, e.g.\n").arg(wrong.size()).arg(updates.size())
                            + QStringList(wrong.mid(0, 5)).join(u'\n')));
    }

    void jumpHost()
    {
        test::SshServer jump;
        QVERIFY2(jump.start(), qPrintable(jump.errorString()));
        const QString knownHosts = m_dir.filePath(QStringLiteral("both"));
        QVERIFY(test::SshServer::writeKnownHosts(knownHosts, {&jump, &m_ssh}));
        SshSpec s = spec(m_ssh);
        s.target.knownHostsFile = knownHosts;
        SshEndpoint hop = spec(jump).target;
        hop.knownHostsFile = knownHosts;
        s.jumps = {hop};
        SshTunnel tunnel(s, {});
        tunnel.start();
        QVERIFY2(settle(tunnel) == SshTunnel::State::Up, qPrintable(tunnel.lastError()));
        for (const QString& kind : {QStringLiteral("redis"), QStringLiteral("http"), QStringLiteral("exec")}) {
            const ProbeResult r = probe(kind, tunnel);
            QVERIFY2(r.status == ProbeStatus::Healthy, qPrintable(kind + u": " + r.summary));
        }
    }

private:
    // SOCKS5 by hand (RFC 1928/1929), so the test decides when each request goes out.
    static bool socksLogin(QTcpSocket& socket, const QNetworkProxy& proxy)
    {
        socket.connectToHost(proxy.hostName(), proxy.port());
        if (!socket.waitForConnected(2000))
            return false;
        socket.write(QByteArray("\x05\x01\x02", 3));
        if (readSome(socket, 2) != QByteArray("\x05\x02", 2))
            return false;
        const QByteArray user = proxy.user().toUtf8();
        const QByteArray password = proxy.password().toUtf8();
        socket.write(QByteArray(1, '\x01') + char(user.size()) + user + char(password.size()) + password);
        return readSome(socket, 2) == QByteArray("\x01\x00", 2);
    }
    static QByteArray socksConnectRequest(quint16 port)
    {
        return QByteArray("\x05\x01\x00\x01\x7f\x00\x00\x01", 8) + char(port >> 8) + char(port & 0xff);
    }
    static bool socksConnected(QTcpSocket& socket)
    {
        const QByteArray reply = readSome(socket, 10);
        return reply.size() == 10 && reply.at(1) == '\x00';
    }
    // Exactly n bytes, or what arrived within two seconds.
    static QByteArray readSome(QTcpSocket& socket, qsizetype n)
    {
        QByteArray data;
        QElapsedTimer clock;
        clock.start();
        while (data.size() < n && clock.elapsed() < 2000) {
            if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(100))
                continue;
            data += socket.read(n - data.size());
        }
        return data;
    }

    // Whether OpenSSH's own client, checking strictly, accepts this server with `knownHosts`.
    bool sshAccepts(const QString& knownHosts)
    {
        const auto ssh = test::runCommand(QStringLiteral("ssh"),
                                          {QStringLiteral("-F"), QStringLiteral("/dev/null"), QStringLiteral("-p"),
                                           QString::number(m_ssh.port()), QStringLiteral("-i"), m_ssh.clientKey(),
                                           QStringLiteral("-o"), QStringLiteral("IdentitiesOnly=yes"),
                                           QStringLiteral("-o"), QStringLiteral("BatchMode=yes"), QStringLiteral("-o"),
                                           QStringLiteral("StrictHostKeyChecking=yes"), QStringLiteral("-o"),
                                           QStringLiteral("UserKnownHostsFile=") + knownHosts,
                                           m_ssh.user() + QStringLiteral("@127.0.0.1"), QStringLiteral("true")});
        m_sshOutput = ssh.describe();
        return ssh.succeeded();
    }

    static SshSpec spec(const test::SshServer& server)
    {
        SshSpec s;
        s.target.host = server.host();
        s.target.port = server.port();
        s.target.user = server.user();
        s.target.identityFiles = {server.clientKey()};
        s.target.useAgent = false;
        s.target.knownHostsFile = server.knownHostsFile();
        s.connectTimeout = 10s;
        return s;
    }

    ProbeResult probe(const QString& kind, SshTunnel& tunnel)
    {
        std::unique_ptr<Probe> p;
        ProbeTarget target;
        QNetworkAccessManager network;
        network.setProxy(tunnel.proxy());
        if (kind == QLatin1String("tcp")) {
            target = TcpTarget{QStringLiteral("127.0.0.1"), m_redis.port()};
            p = std::make_unique<TcpProbe>(std::get<TcpTarget>(target), 5s);
        } else if (kind == QLatin1String("redis")) {
            RedisTarget t;
            t.port = m_redis.port();
            target = t;
            p = std::make_unique<RedisProbe>(t, 5s);
        } else if (kind == QLatin1String("rediss")) {
            RedisTarget t;
            t.port = m_redis.tlsPort();
            t.tls = RedisTls{true, RedisTls::Verify::Required, m_certs.caFile(), {}, {}, false};
            target = t;
            p = std::make_unique<RedisProbe>(t, 5s);
        } else if (kind == QLatin1String("http")) {
            HttpTarget t;
            t.url = QUrl(m_nginx.baseUrl() + QStringLiteral("/_healthz/livez/"));
            target = t;
            p = std::make_unique<HttpProbe>(t, 5s, &network);
        } else if (kind == QLatin1String("postgres")) {
            PostgresTarget t;
            t.host = QStringLiteral("127.0.0.1");
            t.port = m_postgres.port();
            t.user = QStringLiteral("postgres");
            p = std::make_unique<PostgresProbe>(t, 5s);
        } else if (kind == QLatin1String("exec")) {
            ExecTarget t;
            t.command = {QStringLiteral("true")};
            p = std::make_unique<ExecProbe>(t, 5s, tunnel);
        } else {
            const QString path = m_dir.filePath(QStringLiteral("live"));
            QFile f(path);
            f.open(QIODevice::WriteOnly);
            f.close();
            FileTarget t;
            t.path = path;
            t.maxAge = 70s;
            p = std::make_unique<FileProbe>(t, 5s, tunnel);
        }
        p->setProxy(tunnel.proxy());
        const quint64 epoch = tunnel.epochNow();
        // As the engine judges it: the tunnel's own trouble is never the service's.
        return TunnelVerdict::judge(tunnel, target, epoch, test::runProbe(*p));
    }

    test::SshServer m_ssh;
    test::TestCertificates m_certs;
    test::RedisServer m_redis; // with TLS on a second port
    test::PostgresServer m_postgres;
    test::NginxServer m_nginx;
    QTemporaryDir m_dir;
    QString m_sshOutput; // what the last sshAccepts() printed
};

QTEST_GUILESS_MAIN(TestSshTunnel)
#include "tst_sshtunnel.moc"
