#include "SshServer.h"
#include "TestSupport.h"
#include "standin/NginxServer.h"
#include "standin/RedisServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;

namespace {

QString binary()
{
    return QStringLiteral(OKHEALTH_CHECK_BINARY);
}

// The current data row's tag, usable in a file name.
QString dataTagForFileName()
{
    return QString::fromUtf8(QTest::currentDataTag())
        .replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9]+")), QStringLiteral("-"));
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

struct CheckOutcome
{
    QString service;
    QString name;
    QString type;
    QString status;
    QString summary;
    QString hint;
};

} // namespace

// `okhealth-check run` on deployment files with "connection": {"type": "ssh"}, run as a process
// against a real OpenSSH server on this machine: the checks name 127.0.0.1 ports, which the SSH
// host (the same machine) reaches for them. Healthy through the tunnel, through a jump host,
// through a Host alias of ~/.ssh/config; and the ways the connection fails: an unknown host key,
// sshd stopped, port forwarding disabled.
class TestCliSsh : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_home.isValid());
        QVERIFY2(m_ssh.start(), qPrintable(m_ssh.errorString()));
        QVERIFY2(m_jump.start(), qPrintable(m_jump.errorString()));
        test::SshServer::Options noForwarding;
        noForwarding.allowTcpForwarding = false;
        QVERIFY2(m_noForwarding.start(noForwarding), qPrintable(m_noForwarding.errorString()));
        // Started once for its port, host keys and known_hosts, then stopped: nothing listens.
        QVERIFY2(m_stopped.start(), qPrintable(m_stopped.errorString()));
        m_stopped.stop();
        QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
        QVERIFY2(m_nginx.start(test::freePort()), qPrintable(m_nginx.errorString()));

        m_bothKnownHosts = m_dir.filePath(QStringLiteral("known_hosts_both"));
        QVERIFY(test::SshServer::writeKnownHosts(m_bothKnownHosts, {&m_jump, &m_ssh}));
        m_emptyKnownHosts = m_dir.filePath(QStringLiteral("known_hosts_empty"));
        QVERIFY(writeFile(m_emptyKnownHosts, {}));
        m_liveFile = m_dir.filePath(QStringLiteral("celery_worker.ready"));
        QVERIFY(writeFile(m_liveFile, "ready\n"));

        // The CLI's HOME: its ~/.ssh/config has the aliases; nothing of the account's own ~/.ssh.
        const QString config = QStringLiteral("Host okh-target\n"
                                              "    HostName 127.0.0.1\n"
                                              "    Port %1\n"
                                              "    User %2\n"
                                              "    IdentityFile %3\n"
                                              "    UserKnownHostsFile %4\n"
                                              "    ProxyJump okh-bastion\n"
                                              "Host okh-bastion\n"
                                              "    HostName 127.0.0.1\n"
                                              "    Port %5\n"
                                              "    IdentityFile %6\n"
                                              "    UserKnownHostsFile %4\n")
                                   .arg(m_ssh.port())
                                   .arg(m_ssh.user(), m_ssh.clientKey(), m_bothKnownHosts)
                                   .arg(m_jump.port())
                                   .arg(m_jump.clientKey());
        QVERIFY(writeFile(m_home.filePath(QStringLiteral(".ssh/config")), config.toUtf8()));
    }

    void run_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("exitCode");
        // Expected for the checks that connect somewhere (tcp, redis, http) and for those that
        // run a command on the SSH host (exec, file): a status and a text in summary or hint.
        QTest::addColumn<QString>("networkStatus");
        QTest::addColumn<QString>("networkText");
        QTest::addColumn<QString>("commandStatus");
        QTest::addColumn<QString>("commandText");
        QTest::addColumn<bool>("viaJumpHost"); // the jump host's sshd saw a login

        const QString healthy = QStringLiteral("healthy");
        const QString unknown = QStringLiteral("unknown");
        const QString unreachable = QStringLiteral("cannot reach deployment");
        QTest::newRow("healthy") << QStringLiteral("direct") << 0 << healthy << QString() << healthy << QString()
                                 << false;
        QTest::newRow("through a jump host")
            << QStringLiteral("jump") << 0 << healthy << QString() << healthy << QString() << true;
        QTest::newRow("Host alias of ~/.ssh/config, with its ProxyJump")
            << QStringLiteral("alias") << 0 << healthy << QString() << healthy << QString() << true;
        QTest::newRow("accept-new adds the unknown host key")
            << QStringLiteral("accept-new") << 0 << healthy << QString() << healthy << QString() << false;
        QTest::newRow("unknown host key: all unknown, the fingerprint shown")
            << QStringLiteral("unknown-host-key") << 1 << unknown << unreachable << unknown << unreachable << false;
        QTest::newRow("sshd stopped: all unknown")
            << QStringLiteral("sshd-stopped") << 1 << unknown << unreachable << unknown << unreachable << false;
        QTest::newRow("forwarding disabled: connections unknown, commands still run")
            << QStringLiteral("no-forwarding") << 1 << unknown << QStringLiteral("refused to forward") << healthy
            << QString() << false;
    }

    void run()
    {
        QFETCH(QString, scenario);
        QFETCH(int, exitCode);
        QFETCH(QString, networkStatus);
        QFETCH(QString, networkText);
        QFETCH(QString, commandStatus);
        QFETCH(QString, commandText);
        QFETCH(bool, viaJumpHost);

        const QString acceptNewFile = m_dir.filePath(QStringLiteral("known_hosts_accept_new"));
        QFile::remove(acceptNewFile);
        const QString path = m_dir.filePath(QStringLiteral("ssh-%1.json").arg(dataTagForFileName()));
        QVERIFY(writeFile(path, deploymentFile(connection(scenario, acceptNewFile))));

        const qsizetype jumpLogins = m_jump.logTail(100'000).count(QLatin1String("Accepted publickey"));
        QElapsedTimer wall;
        wall.start();
        const test::CommandResult r = test::runCommand(
            binary(), {QStringLiteral("run"), path, QStringLiteral("--format"), QStringLiteral("json")}, 60'000,
            cliEnvironment());
        qInfo("%s: exit %d after %lld ms", QTest::currentDataTag(), r.exitCode, wall.elapsed());
        QVERIFY2(r.finished, qPrintable(r.describe()));
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.describe()));

        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(r.standardOutput, &parseError);
        QVERIFY2(document.isObject(), qPrintable(parseError.errorString() + u'\n' + r.describe()));
        const QJsonObject root = document.object();
        QCOMPARE(root.value(QStringLiteral("healthy")).toBool(), exitCode == 0);
        QList<CheckOutcome> checks;
        for (const QJsonValue& service : root.value(QStringLiteral("services")).toArray()) {
            for (const QJsonValue& value : service.toObject().value(QStringLiteral("checks")).toArray()) {
                const QJsonObject check = value.toObject();
                checks.append({service.toObject().value(QStringLiteral("name")).toString(),
                               check.value(QStringLiteral("name")).toString(),
                               check.value(QStringLiteral("type")).toString(),
                               check.value(QStringLiteral("status")).toString(),
                               check.value(QStringLiteral("summary")).toString(),
                               check.value(QStringLiteral("hint")).toString()});
            }
        }
        QCOMPARE(checks.size(), 5);
        for (const CheckOutcome& c : checks) {
            const bool network = c.type != QLatin1String("exec") && c.type != QLatin1String("file");
            const QString where = c.service + u'.' + c.name + QStringLiteral(": ") + c.status + QStringLiteral(" | ")
                + c.summary + QStringLiteral(" | ") + c.hint;
            QVERIFY2(c.status == (network ? networkStatus : commandStatus), qPrintable(where));
            const QString text = network ? networkText : commandText;
            QVERIFY2(text.isEmpty() || c.summary.contains(text), qPrintable(where));
            // The operator compares this with `ssh-keygen -lf` on the server.
            if (scenario == QLatin1String("unknown-host-key"))
                QVERIFY2(c.summary.contains(m_ssh.hostKeySha256Fingerprint()), qPrintable(where));
        }

        // The jump host is used exactly when the file (or the ssh config) names one.
        const qsizetype jumpLoginsAfter = m_jump.logTail(100'000).count(QLatin1String("Accepted publickey"));
        QCOMPARE(jumpLoginsAfter > jumpLogins, viaJumpHost);

        if (scenario == QLatin1String("accept-new")) {
            QFile file(acceptNewFile);
            QVERIFY2(file.open(QIODevice::ReadOnly), "accept-new wrote no known_hosts file");
            const QByteArray written = file.readAll();
            const QByteArray entry = "[127.0.0.1]:" + QByteArray::number(m_ssh.port());
            QVERIFY2(written.contains(entry), written.constData());
        }
    }

    // The file's errors are the loader's: exit 2 with line:column and key path, before any
    // connection is tried.
    void refusedPolicy()
    {
        QJsonObject c = connection(QStringLiteral("direct"), {});
        c.insert(QStringLiteral("hostKeyPolicy"), QStringLiteral("no"));
        const QString path = m_dir.filePath(QStringLiteral("ssh-refused.json"));
        QVERIFY(writeFile(path, deploymentFile(c)));
        const test::CommandResult r
            = test::runCommand(binary(), {QStringLiteral("run"), path}, 30'000, cliEnvironment());
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QCOMPARE(r.standardOutput, QByteArray());
        const QString err = QString::fromUtf8(r.standardError);
        QVERIFY2(QRegularExpression(QRegularExpression::escape(path)
                                    + QStringLiteral(":\\d+:\\d+: deployments\\[0\\]\\.connection\\.hostKeyPolicy: "
                                                     "host key policy \"no\" is refused: OK Health always verifies"))
                     .match(err)
                     .hasMatch(),
                 qPrintable(err));
    }

private:
    // The child's environment without an ssh-agent, and with a HOME of the test's own.
    QProcessEnvironment cliEnvironment() const
    {
        QProcessEnvironment env = test::cliEnvironment();
        env.remove(QStringLiteral("SSH_AUTH_SOCK"));
        env.insert(QStringLiteral("HOME"), m_home.path());
        return env;
    }

    // The connection object of the deployment file for a scenario of run_data().
    QJsonObject connection(const QString& scenario, const QString& acceptNewFile) const
    {
        const auto server = [](const test::SshServer& s, const QString& knownHosts) {
            return QJsonObject{
                {QStringLiteral("host"), s.host()},  {QStringLiteral("port"), s.port()},
                {QStringLiteral("user"), s.user()},  {QStringLiteral("identityFiles"), QJsonArray{s.clientKey()}},
                {QStringLiteral("useAgent"), false}, {QStringLiteral("knownHostsFile"), knownHosts}};
        };
        QJsonObject c;
        if (scenario == QLatin1String("alias")) {
            c = QJsonObject{{QStringLiteral("host"), QStringLiteral("okh-target")},
                            {QStringLiteral("useAgent"), false}};
        } else if (scenario == QLatin1String("jump")) {
            c = server(m_ssh, m_bothKnownHosts);
            c.insert(QStringLiteral("jump"), server(m_jump, m_bothKnownHosts));
        } else if (scenario == QLatin1String("accept-new")) {
            c = server(m_ssh, acceptNewFile);
            c.insert(QStringLiteral("hostKeyPolicy"), QStringLiteral("accept-new"));
        } else if (scenario == QLatin1String("unknown-host-key")) {
            c = server(m_ssh, m_emptyKnownHosts);
        } else if (scenario == QLatin1String("sshd-stopped")) {
            c = server(m_stopped, m_stopped.knownHostsFile());
        } else if (scenario == QLatin1String("no-forwarding")) {
            c = server(m_noForwarding, m_noForwarding.knownHostsFile());
        } else {
            c = server(m_ssh, m_ssh.knownHostsFile());
        }
        c.insert(QStringLiteral("type"), QStringLiteral("ssh"));
        c.insert(QStringLiteral("connectTimeout"), QStringLiteral("5s"));
        return c;
    }

    // Redis (a ping and its port), nginx (livez) and, on the SSH host, a command and a file.
    QByteArray deploymentFile(const QJsonObject& connection) const
    {
        const auto check = [](const char* name, const char* type, QJsonObject fields) {
            fields.insert(QStringLiteral("name"), QLatin1String(name));
            fields.insert(QStringLiteral("type"), QLatin1String(type));
            fields.insert(QStringLiteral("role"), QStringLiteral("readiness"));
            fields.insert(QStringLiteral("timeout"), QStringLiteral("5s"));
            return fields;
        };
        const auto service = [](const char* name, const QJsonArray& checks) {
            return QJsonObject{{QStringLiteral("name"), QLatin1String(name)}, {QStringLiteral("checks"), checks}};
        };
        const QString localhost = QStringLiteral("127.0.0.1");
        const QJsonObject redisTarget{{QStringLiteral("host"), localhost}, {QStringLiteral("port"), m_redis.port()}};
        const QString livez = m_nginx.baseUrl() + QStringLiteral("/_healthz/livez/");
        const QJsonArray command{QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("test -d /")};
        QJsonArray services;
        services.append(
            service("redis", QJsonArray{check("ping", "redis", redisTarget), check("port", "tcp", redisTarget)}));
        services.append(
            service("nginx", QJsonArray{check("livez", "http", QJsonObject{{QStringLiteral("url"), livez}})}));
        services.append(service("host",
                                QJsonArray{check("shell", "exec", QJsonObject{{QStringLiteral("command"), command}}),
                                           check("ready", "file",
                                                 QJsonObject{{QStringLiteral("path"), m_liveFile},
                                                             {QStringLiteral("maxAge"), QStringLiteral("1h")}})}));
        const QJsonObject deployment{{QStringLiteral("name"), QStringLiteral("over-ssh")},
                                     {QStringLiteral("connection"), connection},
                                     {QStringLiteral("services"), services}};
        const QJsonObject file{{QStringLiteral("version"), 1}, {QStringLiteral("deployments"), QJsonArray{deployment}}};
        return QJsonDocument(file).toJson(QJsonDocument::Indented);
    }

    QTemporaryDir m_dir;
    QTemporaryDir m_home;
    test::SshServer m_ssh;
    test::SshServer m_jump;
    test::SshServer m_noForwarding;
    test::SshServer m_stopped;
    test::RedisServer m_redis;
    test::NginxServer m_nginx;
    QString m_bothKnownHosts;
    QString m_emptyKnownHosts;
    QString m_liveFile;
};

QTEST_GUILESS_MAIN(TestCliSsh)
#include "tst_cli_ssh.moc"
