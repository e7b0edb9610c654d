#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;

namespace {

struct Outcome
{
    int exitCode = -1;
    QString stdOut;
    QString stdErr;
};

Outcome validate(const QStringList& arguments, const QProcessEnvironment& environment)
{
    const auto result = test::runCommand(QStringLiteral(OKHEALTH_CHECK_BINARY),
                                         QStringList{QStringLiteral("validate")} + arguments, 30000, environment);
    if (!result.started || !result.finished)
        qFatal("okhealth-check validate did not run to its end");
    return {result.exitCode, QString::fromUtf8(result.standardOutput), QString::fromUtf8(result.standardError)};
}

} // namespace

// `okhealth-check validate`: exit 0 and what would be watched for valid files, exit 2 and the
// loader's file:line:column message for invalid ones; nothing is connected to.
class TestCliValidate : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcessEnvironment m_env = test::cliEnvironment();

    QString write(const QString& name, const QByteArray& json)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QString example(const QString& name) const
    {
        return test::sourceDir() + QStringLiteral("/resources/examples/") + name;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_env.insert(QStringLiteral("HOME"), m_dir.path()); // no ~/.ssh/config
        m_env.insert(QStringLiteral("OPENKLANT_REDIS_PASSWORD"), QStringLiteral("hunter2"));
        m_env.insert(QStringLiteral("OPENKLANT_FLOWER_PASSWORD"), QStringLiteral("hunter3"));
    }

    void validFilePrintsWhatItWatches()
    {
        const auto result = validate({example(QStringLiteral("openklant-kubernetes.json"))}, m_env);
        QVERIFY2(result.exitCode == 0, qPrintable(result.stdErr));
        QVERIFY2(result.stdErr.isEmpty(), qPrintable(result.stdErr));
        QVERIFY2(result.stdOut.contains(QStringLiteral("openklant-kubernetes.json: valid: 1 deployment, ")),
                 qPrintable(result.stdOut));
        QVERIFY2(result.stdOut.contains(QStringLiteral("  service redis (redis)\n")), qPrintable(result.stdOut));
        QVERIFY2(result.stdOut.contains(QStringLiteral("    ping: readiness redis, every ")),
                 qPrintable(result.stdOut));
        // Variables resolved, passwords never shown.
        QVERIFY2(!result.stdOut.contains(QStringLiteral("hunter")), qPrintable(result.stdOut));
        QVERIFY2(!result.stdOut.contains(QStringLiteral("${")), qPrintable(result.stdOut));
    }

    void invalid_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("syntax") << QByteArray("{\"version\": 1,\n \"deployments\": [}")
                                << QStringLiteral("bad.json:2:19: invalid JSON: ");
        QTest::newRow("unknown key") << QByteArray("{\"version\": 1, \"deploymnets\": []}")
                                     << QStringLiteral("bad.json:1:16: deploymnets: unknown key \"deploymnets\"; did "
                                                       "you mean \"deployments\"?");
        QTest::newRow("unset variable")
            << QByteArray("{\"version\": 1, \"deployments\": [{\"name\": \"${OKH_UNSET_FOR_TEST}\", "
                          "\"connection\": {\"type\": \"direct\"}, \"profile\": \"openklant\"}]}")
            << QStringLiteral("bad.json:1:41: deployments[0].name: environment variable OKH_UNSET_FOR_TEST is not set");
    }
    void invalid()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const QString path = write(QStringLiteral("bad.json"), json);
        const auto result = validate({path}, m_env);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.stdOut.isEmpty(), qPrintable(result.stdOut));
        QVERIFY2(result.stdErr.startsWith(m_dir.path() + u'/' + message), qPrintable(result.stdErr));
    }

    // Every file is checked, so a pipeline sees all broken files at once; one bad file fails it.
    void severalFiles()
    {
        const QString bad = write(QStringLiteral("broken.json"), QByteArray("{\"version\": 2}"));
        const QString good = example(QStringLiteral("openklant-local.json"));
        const auto result = validate({bad, good, QStringLiteral("--quiet")}, m_env);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.stdOut.isEmpty(), qPrintable(result.stdOut)); // --quiet
        QVERIFY2(result.stdErr.startsWith(bad + QStringLiteral(":1:13: version: unsupported version 2")),
                 qPrintable(result.stdErr));
        const auto allGood = validate({good, example(QStringLiteral("openklant-kubernetes.json"))}, m_env);
        QCOMPARE(allGood.exitCode, 0);
        QCOMPARE(allGood.stdOut.count(QStringLiteral(": valid: ")), 2);
    }

    void usage()
    {
        const auto none = validate({}, m_env);
        QCOMPARE(none.exitCode, 2);
        QVERIFY2(none.stdErr.contains(QStringLiteral("usage: okhealth-check validate FILE...")),
                 qPrintable(none.stdErr));
        const auto missing = validate({m_dir.filePath(QStringLiteral("nothing-here.json"))}, m_env);
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.stdErr.contains(QStringLiteral("nothing-here.json: cannot read the file")),
                 qPrintable(missing.stdErr));
    }
};

QTEST_GUILESS_MAIN(TestCliValidate)
#include "tst_cli_validate.moc"
