#include "ConfigSamples.h"
#include "TestSupport.h"
#include "config/DeploymentFile.h"
#include "config/DeploymentWriter.h"
#include "config/RedisUrl.h"
#include "util/Durations.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using okh::DeploymentFile;
using okh::DeploymentWriter;

namespace {

QString describe(const DeploymentFile::Result& result)
{
    const auto* error = std::get_if<okh::ConfigError>(&result);
    return error ? error->toString() : QStringLiteral("loaded");
}

} // namespace

// DeploymentWriter writes what DeploymentFile reads back to the same specs: every sample and
// example file is loaded, written and loaded again.
class TestDeploymentWriter : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home; // no ~/.ssh/config: the samples say all there is
    QString m_keyFile;

    QProcessEnvironment environmentFor(const QString& path) const
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("OKH_TEST_KEY"), m_keyFile);
        // The shipped Kubernetes example takes its passwords from the environment.
        env.insert(QStringLiteral("OPENKLANT_REDIS_PASSWORD"), QStringLiteral("r3dis$pa:ss"));
        env.insert(QStringLiteral("OPENKLANT_FLOWER_PASSWORD"), QStringLiteral("fl0wer"));
        QFile variables(path.chopped(5) + QStringLiteral(".env"));
        if (variables.open(QIODevice::ReadOnly)) {
            for (const QString& line : QString::fromUtf8(variables.readAll()).split(u'\n', Qt::SkipEmptyParts))
                env.insert(line.section(u'=', 0, 0), line.section(u'=', 1));
        }
        return env;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        m_keyFile = m_home.filePath(QStringLiteral("id_test"));
        QFile key(m_keyFile);
        QVERIFY(key.open(QIODevice::WriteOnly));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("path");
        QStringList paths = okh::test::sampleFilePaths();
        const QDir examples(okh::test::sourceDir() + QStringLiteral("/resources/examples"));
        for (const QString& name : examples.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
            paths << examples.filePath(name);
        QVERIFY(paths.size() >= 10);
        for (const QString& path : paths)
            QTest::newRow(qPrintable(QFileInfo(path).fileName())) << path;
    }
    void roundTrip()
    {
        QFETCH(QString, path);
        const QProcessEnvironment env = environmentFor(path);
        const auto loaded = DeploymentFile::load(path, env);
        const auto* original = std::get_if<DeploymentFile>(&loaded);
        QVERIFY2(original, qPrintable(describe(loaded)));

        const DeploymentWriter::Output output = DeploymentWriter::write(*original);
        const QByteArray& written = output.json;
        // Written files need only the keychain entries the writer gave: the passwords.
        okh::KeychainValues keychain;
        for (const okh::KeychainEntry& entry : output.secrets) {
            QVERIFY2(!keychain.values.contains(entry.key), qPrintable(entry.key));
            keychain.values.insert(entry.key, entry.value);
            QVERIFY2(!written.contains(entry.value.toUtf8()), qPrintable(entry.key));
        }
        const auto reloaded = DeploymentFile::parse(written, QStringLiteral("written.json"), env, keychain);
        const auto* again = std::get_if<DeploymentFile>(&reloaded);
        QVERIFY2(again, qPrintable(describe(reloaded) + u'\n' + QString::fromUtf8(written)));
        QVERIFY2(*again == *original, written.constData());
        // Writing is stable: a saved file does not change when saved again.
        const DeploymentWriter::Output second = DeploymentWriter::write(*again);
        QCOMPARE(second.json, written);
        QCOMPARE(second.secrets, output.secrets);
    }

    // The Kubernetes example takes its passwords from the environment; written, they are
    // keychain references, one entry per distinct password, and the command keeps its text.
    void passwordsBecomeKeychainEntries()
    {
        const QString path = okh::test::sourceDir() + QStringLiteral("/resources/examples/openklant-kubernetes.json");
        const auto loaded = DeploymentFile::load(path, environmentFor(path));
        const auto* file = std::get_if<DeploymentFile>(&loaded);
        QVERIFY2(file, qPrintable(describe(loaded)));
        const DeploymentWriter::Output output = DeploymentWriter::write(*file);
        const QString text = QString::fromUtf8(output.json);
        QStringList values;
        for (const okh::KeychainEntry& entry : output.secrets)
            values << entry.value;
        values.sort();
        QCOMPARE(values, (QStringList{QStringLiteral("fl0wer"), QStringLiteral("r3dis$pa:ss")}));
        for (const okh::KeychainEntry& entry : output.secrets) {
            QVERIFY2(okh::isValidKeychainKey(entry.key), qPrintable(entry.key));
            QVERIFY2(text.contains(okh::keychainReference(entry.key)), qPrintable(text));
        }
        QVERIFY2(!text.contains(QStringLiteral("r3dis")) && !text.contains(QStringLiteral("fl0wer")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("r3dis%24pa%3Ass")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("REDISCLI_AUTH=\\\"$REDIS_PASSWORD\\\"")), qPrintable(text));
    }

    void credentialHeadersGoToTheKeychain()
    {
        const QByteArray json = "{\"version\": 1, \"deployments\": [{\"name\": \"d\", \"connection\": "
                                "{\"type\": \"direct\"}, \"services\": [{\"name\": \"api\", \"kind\": \"web\", "
                                "\"checks\": [{\"name\": \"h\", \"type\": \"http\", \"role\": \"readiness\", "
                                "\"url\": \"http://api:8000/\", \"headers\": {\"Authorization\": \"Token ${TOKEN}\", "
                                "\"Accept\": \"application/json\"}}]}]}]}";
        QProcessEnvironment env;
        env.insert(QStringLiteral("TOKEN"), QStringLiteral("t0ken-value"));
        const auto loaded = DeploymentFile::parse(json, QStringLiteral("h.json"), env);
        const auto* file = std::get_if<DeploymentFile>(&loaded);
        QVERIFY2(file, qPrintable(describe(loaded)));
        const DeploymentWriter::Output output = DeploymentWriter::write(*file);
        QCOMPARE(output.secrets.size(), 1);
        QCOMPARE(output.secrets.first().key, QStringLiteral("d/api/h/authorization"));
        QCOMPARE(output.secrets.first().value, QStringLiteral("Token t0ken-value"));
        QVERIFY2(!output.json.contains("t0ken"), output.json.constData());
        QVERIFY2(output.json.contains("\"Accept\": \"application/json\""), output.json.constData());
    }

    void writesReadableJson()
    {
        const auto loaded = DeploymentFile::parse(
            okh::test::configFile(QStringLiteral("samples/ssh.json")), QStringLiteral("ssh.json"),
            environmentFor(okh::test::configDataDir() + QStringLiteral("/samples/ssh.json")));
        const auto* file = std::get_if<DeploymentFile>(&loaded);
        QVERIFY2(file, qPrintable(describe(loaded)));
        const QString text = QString::fromUtf8(DeploymentWriter::write(*file).json);
        // Members in the documentation's order, short objects on one line, defaults left out.
        QVERIFY2(text.startsWith(QStringLiteral("{\n    \"version\": 1,\n    \"deployments\": [\n        {\n"
                                                "            \"name\": \"behind-bastion\",\n")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("{\"host\": \"bastion.example.org\", \"user\": \"jump\"}")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("\"components\": {\"DatabaseBackend\": \"db\"}")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("\"keepalive\": \"30s\"")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("\"interval\"")), qPrintable(text)); // every check keeps 10 s
        // No variables are needed to read it; the Redis password is a keychain reference.
        QCOMPARE(text.count(QStringLiteral("${")), text.count(QStringLiteral("${keychain:")));
        QVERIFY2(text.contains(QStringLiteral(
                     "\"url\": \"rediss://:${keychain:one-jump/cache/tls/password}@redis.internal:6380/1?")),
                 qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("s%40cret")), qPrintable(text));
        QVERIFY(text.endsWith(QStringLiteral("}\n")));
    }

    void durationText_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0s");
        QTest::newRow("milliseconds") << qint64(500) << QStringLiteral("500ms");
        QTest::newRow("seconds") << qint64(10'000) << QStringLiteral("10s");
        QTest::newRow("mixed") << qint64(90'500) << QStringLiteral("1m30s500ms");
        QTest::newRow("hours") << qint64(3'600'000) << QStringLiteral("1h");
        QTest::newRow("a year") << qint64(366LL * 24 * 3'600'000) << QStringLiteral("8784h");
    }
    void durationText()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(okh::durationText(std::chrono::milliseconds(ms)), text);
        QCOMPARE(okh::parseDuration(text), std::optional(std::chrono::milliseconds(ms)));
    }

    void redisUrlReadsBack_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("plain") << QStringLiteral("redis://127.0.0.1:6379/0");
        QTest::newRow("password with reserved characters") << QStringLiteral("redis://:p%40ss%2Fw%3Ard@cache:6380/3");
        QTest::newRow("user and password") << QStringLiteral("redis://default:s3cret@cache:6379/0");
        QTest::newRow("user only") << QStringLiteral("redis://reader@cache:6379/0");
        QTest::newRow("IPv6") << QStringLiteral("redis://[::1]:6379/2");
        QTest::newRow("tls without checks") << QStringLiteral("rediss://cache:6380/0");
        QTest::newRow("tls verified") << QStringLiteral(
            "rediss://cache:6380/0?ssl_cert_reqs=required&ssl_ca_certs=/etc/ssl/ca%20file.pem&ssl_certfile=/c.pem"
            "&ssl_keyfile=/k.pem&ssl_check_hostname=true");
        QTest::newRow("tls parameters without cert_reqs")
            << QStringLiteral("rediss://cache:6380/0?ssl_ca_certs=/ca.pem");
    }
    void redisUrlReadsBack()
    {
        QFETCH(QString, url);
        const auto parsed = okh::parseRedisUrl(url);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        const QString written = okh::redisUrl(*parsed.target);
        const auto again = okh::parseRedisUrl(written);
        QVERIFY2(again.ok(), qPrintable(written + QStringLiteral(": ") + again.error));
        QVERIFY2(*again.target == *parsed.target, qPrintable(written));
    }
};

QTEST_GUILESS_MAIN(TestDeploymentWriter)
#include "tst_deploymentwriter.moc"
