#include "SecretServiceDaemon.h"
#include "TestSupport.h"
#include "config/DeploymentLoader.h"
#include "config/DeploymentSaver.h"
#include "model/DeploymentModel.h"
#include "report/ReportFormat.h"
#include "run/CheckRun.h"
#include "secrets/Keychain.h"
#include "standin/RedisServer.h"
#include "window/MainWindow.h"
#include "window/RecentFiles.h"

#include <QDirIterator>
#include <QFile>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace okh;

namespace {

// Everything logged while a test runs, okhealth's debug categories included.
QStringList g_log;

void recordMessage(QtMsgType, const QMessageLogContext&, const QString& message)
{
    g_log << message;
}

QString describe(const DeploymentFile::Result& result)
{
    const auto* error = std::get_if<ConfigError>(&result);
    return error ? error->toString() : QStringLiteral("loaded");
}

// The forms a password can take in a file or a report: as typed and percent-encoded.
QList<QByteArray> formsOf(const QString& secret)
{
    return {secret.toUtf8(), QUrl::toPercentEncoding(secret)};
}

} // namespace

// Passwords in the OS keychain, against a real Secret Service (gnome-keyring-daemon on a
// private session bus) and a redis-server that requires a password: a saved file refers to
// its passwords and holds none, loading resolves them asynchronously and monitors with them,
// and no file, setting, report or log line on the way holds the password. A reference the
// keychain cannot resolve is a config error at its place in the file, naming the key.
class TestSecrets : public QObject
{
    Q_OBJECT

    test::SecretServiceDaemon m_secrets;
    standin::RedisServer m_redis;
    QTemporaryDir m_dir;
    const QString m_password = QStringLiteral("r3d!s-p@ss/w:rd");

    QString write(const QString& name, const QByteArray& content) const
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            return {};
        return path;
    }

    static DeploymentFile::Result load(const QString& path)
    {
        DeploymentLoader loader;
        QSignalSpy finished(&loader, &DeploymentLoader::finished);
        loader.load({path}, QProcessEnvironment());
        if (!finished.wait(20000))
            return ConfigError{path, 0, 0, {}, QStringLiteral("the loader did not finish")};
        const auto outcome = finished.first().at(1).value<DeploymentLoader::Outcome>();
        if (const auto* error = std::get_if<ConfigError>(&outcome))
            return *error;
        return std::get<QList<DeploymentFile>>(outcome).first();
    }

    static QString save(const QString& path, const DeploymentFile& file)
    {
        DeploymentSaver saver;
        QSignalSpy finished(&saver, &DeploymentSaver::finished);
        saver.save(path, file);
        if (!finished.wait(20000))
            return QStringLiteral("the saver did not finish");
        return finished.first().at(1).toString();
    }

    QByteArray fileWithRedis(const QString& url) const
    {
        return "{\n  \"version\": 1,\n  \"deployments\": [\n    {\"name\": \"prod\", \"connection\": {\"type\": "
               "\"direct\"}, \"services\": [\n      {\"name\": \"redis\", \"kind\": \"redis\", \"checks\": [\n"
               "        {\"name\": \"ping\", \"type\": \"redis\", \"role\": \"readiness\", \"interval\": \"200ms\", "
               "\"url\": \""
            + url.toUtf8() + "\"}\n      ]}\n    ]}\n  ]\n}\n";
    }

    void verifyNoSecretIn(const QByteArray& content, const QString& where) const
    {
        for (const QByteArray& form : formsOf(m_password))
            QVERIFY2(!content.contains(form), qPrintable(where + QStringLiteral(" holds the password")));
    }
    void verifyNoSecretInFile(const QString& path) const
    {
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        verifyNoSecretIn(file.readAll(), path);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QFile::remove(MainWindow::historyPath());
        QSettings().clear();
        RecentFiles::clear();
        QVERIFY2(m_secrets.startBus(), qPrintable(m_secrets.errorString()));
        QVERIFY2(m_secrets.startKeyring(), qPrintable(m_secrets.errorString()));
        // libsecret finds the session bus through this variable, once: before its first use.
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_secrets.busAddress().toUtf8());
        QVERIFY2(m_redis.start(m_password), qPrintable(m_redis.errorString()));
        QLoggingCategory::setFilterRules(QStringLiteral("okhealth.*.debug=true"));
        qInstallMessageHandler(recordMessage);
    }
    void cleanupTestCase()
    {
        qInstallMessageHandler(nullptr);
        QSettings().clear();
    }

    void readsWhatWasWritten()
    {
        QString writeError = QStringLiteral("no answer");
        bool answered = false;
        keychain::write({{QStringLiteral("t/one"), QStringLiteral("v1 é")}, {QStringLiteral("t/two"), QString()}}, this,
                        [&](const QString& error) {
                            writeError = error;
                            answered = true;
                        });
        QVERIFY(test::spinUntil([&] { return answered; }, 20000));
        QCOMPARE(writeError, QString());

        KeychainValues values;
        answered = false;
        keychain::read({QStringLiteral("t/one"), QStringLiteral("t/two"), QStringLiteral("t/absent")}, this,
                       [&](const KeychainValues& v) {
                           values = v;
                           answered = true;
                       });
        QVERIFY(test::spinUntil([&] { return answered; }, 20000));
        QCOMPARE(values.values.value(QStringLiteral("t/one")), QStringLiteral("v1 é"));
        QVERIFY(values.values.contains(QStringLiteral("t/two")));
        QVERIFY(!values.values.contains(QStringLiteral("t/absent")));
        QVERIFY2(values.failures.isEmpty(), qPrintable(values.failures.values().join(u'\n')));

        answered = false;
        keychain::remove({QStringLiteral("t/one"), QStringLiteral("t/absent")}, this, [&](const QString& error) {
            writeError = error;
            answered = true;
        });
        QVERIFY(test::spinUntil([&] { return answered; }, 20000));
        QCOMPARE(writeError, QString());
        answered = false;
        keychain::read({QStringLiteral("t/one")}, this, [&](const KeychainValues& v) {
            values = v;
            answered = true;
        });
        QVERIFY(test::spinUntil([&] { return answered; }, 20000));
        QVERIFY(!values.values.contains(QStringLiteral("t/one")));
    }

    void unresolvableReference_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing entry") << QStringLiteral("redis://:${keychain:prod/nope}@127.0.0.1:1/0")
                                       << QStringLiteral("keychain entry \"prod/nope\" was not found");
        QTest::newRow("malformed key") << QStringLiteral("redis://:${keychain:a b}@127.0.0.1:1/0")
                                       << QStringLiteral("\"${keychain:a b}\" is not a keychain key: keys are "
                                                         "letters, digits and '.', '_', '-', '/'");
    }
    void unresolvableReference()
    {
        QFETCH(QString, url);
        QFETCH(QString, message);
        const QString path = write(QStringLiteral("unresolved.json"), fileWithRedis(url));
        const auto result = load(path);
        const auto* error = std::get_if<ConfigError>(&result);
        QVERIFY2(error, "a file with an unresolvable reference does not load");
        // At the URL's value on line 6, in the file's own key path.
        const QString line = QString::fromUtf8(fileWithRedis(url)).split(u'\n').at(5);
        const int column = int(line.indexOf(QStringLiteral("\"redis://"))) + 1;
        QCOMPARE(
            error->toString(),
            QStringLiteral("%1:6:%2: deployments[0].services[0].checks[0].url: %3").arg(path).arg(column).arg(message));
    }

    // The whole way: a file with the password in a variable is loaded, saved (the password
    // goes to the keychain), loaded again without the variable, checked and monitored.
    void savedFileHoldsReferencesOnly()
    {
        g_log.clear();
        QProcessEnvironment env;
        // Inside a URL a variable is inserted as written: encoded, as for CELERY_BROKER_URL.
        env.insert(QStringLiteral("OKH_TEST_REDIS_PASSWORD"), QString::fromUtf8(QUrl::toPercentEncoding(m_password)));
        const auto original = DeploymentFile::parse(
            fileWithRedis(QStringLiteral("redis://:${OKH_TEST_REDIS_PASSWORD}@127.0.0.1:%1/0").arg(m_redis.port())),
            QStringLiteral("typed.json"), env);
        QVERIFY2(std::holds_alternative<DeploymentFile>(original), qPrintable(describe(original)));
        const DeploymentFile& spec = std::get<DeploymentFile>(original);

        const QString saved = m_dir.filePath(QStringLiteral("config/saved.json"));
        QCOMPARE(save(saved, spec), QString());
        verifyNoSecretInFile(saved);
        QFile savedFile(saved);
        QVERIFY(savedFile.open(QIODevice::ReadOnly));
        const QByteArray savedJson = savedFile.readAll();
        QVERIFY2(savedJson.contains("${keychain:prod/redis/ping/password}"), savedJson.constData());

        const auto reloaded = load(saved);
        QVERIFY2(std::holds_alternative<DeploymentFile>(reloaded), qPrintable(describe(reloaded)));
        QVERIFY(std::get<DeploymentFile>(reloaded) == spec);

        // A check run with the resolved password: healthy, and no report shows it.
        QNetworkAccessManager network;
        CheckRun run(std::get<DeploymentFile>(reloaded).deployments.first(), ProbeEnvironment{&network});
        QSignalSpy finished(&run, &CheckRun::finished);
        run.start();
        QVERIFY(finished.wait(10000));
        const auto report = finished.first().first().value<RunReport>();
        QCOMPARE(report.status(), ProbeStatus::Healthy);
        for (const QString& key : reportFormatKeys())
            verifyNoSecretIn(renderReport(report, *reportFormatFromKey(key)), key + QStringLiteral(" report"));

        // The window monitors it: healthy (redis answers only with the password).
        auto* window = new MainWindow;
        window->setAttribute(Qt::WA_DeleteOnClose);
        QSignalSpy opened(window, &MainWindow::deploymentsOpened);
        window->open({saved});
        QVERIFY(opened.wait(20000));
        const QModelIndex redis = window->model().serviceIndex(QStringLiteral("prod"), QStringLiteral("redis"));
        QVERIFY(test::spinUntil(
            [&] { return ProbeStatus(redis.data(DeploymentModel::StatusRole).toInt()) == ProbeStatus::Healthy; },
            10000));
        QPointer<MainWindow> alive(window);
        window->close();
        QVERIFY(test::spinUntil([&] { return alive.isNull(); }, 10000));

        QSettings settings;
        settings.sync();
        verifyNoSecretInFile(settings.fileName());
        verifyNoSecretInFile(MainWindow::historyPath());
        for (const QString& file : m_secrets.keyringFiles())
            verifyNoSecretInFile(file);
        QVERIFY(!g_log.isEmpty()); // the debug categories were on
        verifyNoSecretIn(g_log.join(u'\n').toUtf8(), QStringLiteral("the log"));
    }

    // Without a Secret Service: reading is a clear config error, and saving writes nothing.
    void noKeychain()
    {
        const QString saved = m_dir.filePath(QStringLiteral("config/saved.json"));
        QFile before(saved);
        QVERIFY(before.open(QIODevice::ReadOnly));
        const QByteArray contentBefore = before.readAll();
        before.close();
        m_secrets.stopKeyring();

        const auto result = load(saved);
        const auto* error = std::get_if<ConfigError>(&result);
        QVERIFY2(error, "no keychain, no password");
        QVERIFY2(error->message.startsWith(QStringLiteral("keychain entry \"prod/redis/ping/password\": the keychain "
                                                          "failed: ")),
                 qPrintable(error->toString()));
        QCOMPARE(error->keyPath, QStringLiteral("deployments[0].services[0].checks[0].password"));

        QProcessEnvironment env;
        env.insert(QStringLiteral("PW"), QStringLiteral("other-password"));
        const auto changed = DeploymentFile::parse(fileWithRedis(QStringLiteral("redis://:${PW}@127.0.0.1:1/0")),
                                                   QStringLiteral("changed.json"), env);
        QVERIFY(std::holds_alternative<DeploymentFile>(changed));
        const QString failure = save(saved, std::get<DeploymentFile>(changed));
        QVERIFY2(failure.startsWith(saved + QStringLiteral(": not saved, the passwords could not be stored: ")),
                 qPrintable(failure));
        QFile after(saved);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), contentBefore);
    }
};

QTEST_MAIN(TestSecrets)
#include "tst_secrets.moc"
