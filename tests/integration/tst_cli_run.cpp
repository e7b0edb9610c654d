#include "TestSupport.h"
#include "config/OpenKlantProfile.h"
#include "standin/DjangoServer.h"
#include "standin/ManagedProcess.h"
#include "standin/NginxServer.h"
#include "standin/PostgresServer.h"
#include "standin/RedisServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QXmlStreamReader>

using namespace okh;

namespace {

const QString kDeployment = QStringLiteral("cli-e2e");
// The openklant profile's checks of the services this test serves: web and nginx
// healthz/livez/readyz, redis ping, db pg_isready.
constexpr int kProfileChecks = 8;

QString binary()
{
    return QStringLiteral(OKHEALTH_CHECK_BINARY);
}

test::CommandResult okhealthCheck(const QStringList& arguments,
                                  const QProcessEnvironment& environment = test::cliEnvironment())
{
    return test::runCommand(binary(), arguments, 30000, environment);
}

// The current data row's tag, usable in a file name.
QString dataTagForFileName()
{
    return QString::fromUtf8(QTest::currentDataTag())
        .replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9]+")), QStringLiteral("-"));
}

QByteArray toJson(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

QJsonObject fileWith(const QJsonArray& deployments)
{
    return {{QStringLiteral("version"), 1}, {QStringLiteral("deployments"), deployments}};
}

QJsonObject direct()
{
    return {{QStringLiteral("type"), QStringLiteral("direct")}};
}

// What a report says, whatever its format, for the assertions every format shares.
struct ReportSummary
{
    QString error; // empty when the report is well-formed
    int checks = 0;
    int failures = 0; // unhealthy gating checks
};

// JSON report (docs/cli.md): the run's status and, for every check, status/latencyMs/summary.
ReportSummary summariseJson(const QByteArray& bytes, QJsonObject* rootOut = nullptr)
{
    ReportSummary s;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (!doc.isObject()) {
        s.error = QStringLiteral("not a JSON object: %1").arg(parseError.errorString());
        return s;
    }
    const QJsonObject root = doc.object();
    if (rootOut)
        *rootOut = root;
    const QStringList statuses{QStringLiteral("healthy"), QStringLiteral("unhealthy"), QStringLiteral("unknown")};
    if (root.value(QStringLiteral("deployment")).toString().isEmpty())
        s.error = QStringLiteral("no deployment name");
    if (!statuses.contains(root.value(QStringLiteral("status")).toString()))
        s.error = QStringLiteral("bad run status");
    for (const QJsonValue& service : root.value(QStringLiteral("services")).toArray()) {
        for (const QJsonValue& value : service.toObject().value(QStringLiteral("checks")).toArray()) {
            const QJsonObject check = value.toObject();
            ++s.checks;
            const QString where = service.toObject().value(QStringLiteral("name")).toString() + u'.'
                + check.value(QStringLiteral("name")).toString();
            if (!statuses.contains(check.value(QStringLiteral("status")).toString()))
                s.error = where + QStringLiteral(": no valid status");
            if (!check.value(QStringLiteral("latencyMs")).isDouble()
                || check.value(QStringLiteral("latencyMs")).toDouble() < 0)
                s.error = where + QStringLiteral(": no latencyMs");
            if (check.value(QStringLiteral("summary")).toString().isEmpty())
                s.error = where + QStringLiteral(": no summary");
            if (check.value(QStringLiteral("status")).toString() == QLatin1String("unhealthy")
                && check.value(QStringLiteral("role")).toString() != QLatin1String("info"))
                ++s.failures;
        }
    }
    return s;
}

// JUnit report: well-formed XML, one <testcase> per check, <failure> per unhealthy gating check,
// and the counts in <testsuites> agreeing with the elements.
ReportSummary summariseJunit(const QByteArray& bytes)
{
    ReportSummary s;
    QXmlStreamReader xml(bytes);
    int declaredTests = -1;
    int declaredFailures = -1;
    int suiteFailures = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("testsuites")) {
            declaredTests = xml.attributes().value(QStringLiteral("tests")).toInt();
            declaredFailures = xml.attributes().value(QStringLiteral("failures")).toInt();
        } else if (name == QLatin1String("testsuite")) {
            suiteFailures += xml.attributes().value(QStringLiteral("failures")).toInt();
        } else if (name == QLatin1String("testcase")) {
            ++s.checks;
        } else if (name == QLatin1String("failure")) {
            ++s.failures;
        }
    }
    if (xml.hasError())
        s.error = QStringLiteral("XML error at %1:%2: %3")
                      .arg(xml.lineNumber())
                      .arg(xml.columnNumber())
                      .arg(xml.errorString());
    else if (declaredTests != s.checks)
        s.error = QStringLiteral("testsuites tests=%1, %2 testcases").arg(declaredTests).arg(s.checks);
    else if (declaredFailures != s.failures || suiteFailures != s.failures)
        s.error = QStringLiteral("testsuites failures=%1, testsuite failures sum %2, %3 <failure> elements")
                      .arg(declaredFailures)
                      .arg(suiteFailures)
                      .arg(s.failures);
    return s;
}

} // namespace

// `okhealth-check run`, run as a process, on deployment files pointing at real servers: Django
// (on PostgreSQL and Redis), nginx in front of it, Redis and PostgreSQL themselves. Exit codes,
// the three report formats, --output, --wait-ready, configuration errors and password masking.
class TestCliRun : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!test::DjangoServer::isAvailable(&why))
            QSKIP(qPrintable(why));
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_django.startWithBackends(m_redis, m_postgres), qPrintable(m_django.errorString()));
        QVERIFY2(m_nginx.start(m_django.port()), qPrintable(m_nginx.errorString()));
        m_profileFile = writeFile(QStringLiteral("profile.json"), toJson(fileWith({profileDeployment()})));
    }

    // Every format, to stdout or to a file, on the healthy deployment.
    void healthyReports_data()
    {
        QTest::addColumn<QString>("format"); // empty: the default (text)
        QTest::addColumn<bool>("toFile");
        QTest::newRow("text (default)") << QString() << false;
        QTest::newRow("text to --output") << QStringLiteral("text") << true;
        QTest::newRow("json") << QStringLiteral("json") << false;
        QTest::newRow("json to --output") << QStringLiteral("json") << true;
        QTest::newRow("junit") << QStringLiteral("junit") << false;
        QTest::newRow("junit to --output") << QStringLiteral("junit") << true;
    }

    void healthyReports()
    {
        QFETCH(QString, format);
        QFETCH(bool, toFile);
        QStringList args{QStringLiteral("run"), m_profileFile};
        if (!format.isEmpty())
            args << QStringLiteral("--format") << format;
        const QString output = m_dir.filePath(QStringLiteral("report-%1").arg(dataTagForFileName()));
        if (toFile)
            args << QStringLiteral("--output") << output;

        const test::CommandResult r = okhealthCheck(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QByteArray report = r.standardOutput;
        if (toFile) {
            QCOMPARE(r.standardOutput, QByteArray());
            QFile file(output);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(output));
            report = file.readAll();
            // The verdict line still goes to the terminal.
            const QString err = QString::fromUtf8(r.standardError);
            QVERIFY2(err.startsWith(kDeployment + QStringLiteral(": HEALTHY")), qPrintable(err));
            QCOMPARE(err.count(u'\n'), 1);
        } else {
            QCOMPARE(r.standardError, QByteArray());
        }

        if (format.isEmpty() || format == QLatin1String("text")) {
            const QStringList lines = QString::fromUtf8(report).split(u'\n');
            QVERIFY2(lines.first().contains(kDeployment), qPrintable(lines.first()));
            QVERIFY2(lines.first().contains(QLatin1String("HEALTHY")), qPrintable(lines.first()));
            QVERIFY2(!lines.first().contains(QLatin1String("UNHEALTHY")), qPrintable(lines.first()));
            QVERIFY2(!report.contains("\x1b["), "colour codes without a terminal");
            for (const QString& service :
                 {QStringLiteral("web"), QStringLiteral("nginx"), QStringLiteral("redis"), QStringLiteral("db")})
                QVERIFY2(report.contains((u'\n' + service + QStringLiteral(" (")).toUtf8()), qPrintable(service));
        } else if (format == QLatin1String("json")) {
            QJsonObject root;
            const ReportSummary s = summariseJson(report, &root);
            QVERIFY2(s.error.isEmpty(), qPrintable(s.error + u'\n' + QString::fromUtf8(report)));
            QCOMPARE(root.value(QStringLiteral("deployment")).toString(), kDeployment);
            QCOMPARE(root.value(QStringLiteral("status")).toString(), QStringLiteral("healthy"));
            QCOMPARE(root.value(QStringLiteral("healthy")).toBool(), true);
            QCOMPARE(s.checks, kProfileChecks);
            QStringList names;
            for (const QJsonValue& service : root.value(QStringLiteral("services")).toArray()) {
                names << service.toObject().value(QStringLiteral("name")).toString();
                QCOMPARE(service.toObject().value(QStringLiteral("status")).toString(), QStringLiteral("healthy"));
            }
            QCOMPARE(names,
                     (QStringList{QStringLiteral("web"), QStringLiteral("nginx"), QStringLiteral("redis"),
                                  QStringLiteral("db")}));
        } else {
            const ReportSummary s = summariseJunit(report);
            QVERIFY2(s.error.isEmpty(), qPrintable(s.error + u'\n' + QString::fromUtf8(report)));
            QCOMPARE(s.checks, kProfileChecks);
            QCOMPARE(s.failures, 0);
        }
    }

    // --wait-ready: the web server starts two seconds after the command; rounds repeat, one
    // second apart, until its readiness check passes.
    void waitReadyForLateServer()
    {
        const quint16 port = test::freePort();
        QJsonObject readyz{{QStringLiteral("name"), QStringLiteral("readyz")},
                           {QStringLiteral("type"), QStringLiteral("http")},
                           {QStringLiteral("role"), QStringLiteral("readiness")},
                           {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1/_healthz/readyz/").arg(port)},
                           {QStringLiteral("hostHeader"), QStringLiteral("localhost")},
                           {QStringLiteral("timeout"), QStringLiteral("3s")}};
        QJsonObject web{{QStringLiteral("name"), QStringLiteral("web")},
                        {QStringLiteral("kind"), QStringLiteral("web")},
                        {QStringLiteral("checks"), QJsonArray{readyz}}};
        QJsonObject deployment{{QStringLiteral("name"), QStringLiteral("late")},
                               {QStringLiteral("connection"), direct()},
                               {QStringLiteral("services"), QJsonArray{web}}};
        const QString path = writeFile(QStringLiteral("late.json"), toJson(fileWith({deployment})));

        QProcess run;
        run.setProcessEnvironment(test::cliEnvironment());
        QElapsedTimer wall;
        wall.start();
        run.start(binary(),
                  {QStringLiteral("run"), path, QStringLiteral("--format"), QStringLiteral("json"),
                   QStringLiteral("--wait-ready"), QStringLiteral("30")});
        QVERIFY2(run.waitForStarted(5000), qPrintable(run.errorString()));
        QTest::qWait(2000);
        QCOMPARE(run.state(), QProcess::Running);

        // A second Django of the same site and database (the environment DjangoServer gives its
        // serve.py), on the port the file names.
        test::ManagedProcess late(m_dir.filePath(QStringLiteral("late-django.log")));
        late.setEnvironment(test::DjangoServer::environment(m_django.options()));
        late.setWorkingDirectory(QDir(test::sourceDir()).filePath(QStringLiteral("resources/standin/django_app")));
        QVERIFY2(late.start(QStringLiteral("/usr/bin/python3"),
                            {QStringLiteral("serve.py"), QStringLiteral("127.0.0.1:%1").arg(port)}),
                 qPrintable(late.errorString()));

        QVERIFY2(run.waitForFinished(30000), "run --wait-ready 30 did not finish");
        const qint64 elapsed = wall.elapsed();
        const QByteArray out = run.readAllStandardOutput();
        const QString err = QString::fromUtf8(run.readAllStandardError());
        QVERIFY2(
            run.exitStatus() == QProcess::NormalExit && run.exitCode() == 0,
            qPrintable(
                QStringLiteral("exit %1; stderr: %2; server log: %3").arg(run.exitCode()).arg(err, late.logTail())));
        QVERIFY2(elapsed >= 2000, qPrintable(QString::number(elapsed)));
        QVERIFY2(err.contains(QLatin1String("waiting for")), qPrintable(err));
        QJsonObject root;
        const ReportSummary s = summariseJson(out, &root);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        QCOMPARE(root.value(QStringLiteral("status")).toString(), QStringLiteral("healthy"));
        QCOMPARE(s.checks, 1);
    }

    // --wait-ready gives up at its deadline and reports the last run.
    void waitReadyGivesUp()
    {
        QJsonObject check{{QStringLiteral("name"), QStringLiteral("port")},
                          {QStringLiteral("type"), QStringLiteral("tcp")},
                          {QStringLiteral("role"), QStringLiteral("readiness")},
                          {QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                          {QStringLiteral("port"), test::freePort()}};
        QJsonObject deployment{{QStringLiteral("name"), QStringLiteral("never")},
                               {QStringLiteral("connection"), direct()},
                               {QStringLiteral("services"),
                                QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("nothing")},
                                                       {QStringLiteral("checks"), QJsonArray{check}}}}}};
        const QString path = writeFile(QStringLiteral("never.json"), toJson(fileWith({deployment})));
        QElapsedTimer wall;
        wall.start();
        const test::CommandResult r
            = okhealthCheck({QStringLiteral("run"), path, QStringLiteral("--wait-ready"), QStringLiteral("2")});
        const qint64 elapsed = wall.elapsed();
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(elapsed >= 1900 && elapsed < 6000, qPrintable(QString::number(elapsed)));
        QVERIFY2(r.standardOutput.startsWith("never: UNHEALTHY"), qPrintable(r.describe()));
    }

    // Usage and configuration errors: exit 2, nothing on stdout, a message naming the file
    // and, for file errors, line:column and the key path.
    void configurationErrors_data()
    {
        QTest::addColumn<QByteArray>("content"); // written to {file}; empty: nothing written
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("stderrPattern"); // regular expression; {file} is the path, escaped

        const QStringList run{QStringLiteral("run"), QStringLiteral("{file}")};
        QTest::newRow("JSON syntax error") << QByteArrayLiteral("{\n    \"version\": 1,\n    \"deployments\": [\n")
                                           << run << QStringLiteral("^{file}:4:1: invalid JSON: unterminated array\n$");
        QTest::newRow("unknown key: line and column of the key")
            << QByteArrayLiteral("{\n"
                                 "    \"version\": 1,\n"
                                 "    \"deployments\": [\n"
                                 "        {\n"
                                 "            \"name\": \"a\",\n"
                                 "            \"connection\": {\"type\": \"direct\"},\n"
                                 "            \"profile\": \"openklant\",\n"
                                 "            \"servces\": []\n"
                                 "        }\n"
                                 "    ]\n"
                                 "}\n")
            << run
            << QStringLiteral("^{file}:8:13: deployments\\[0\\]\\.servces: unknown key \"servces\"; did you "
                              "mean \"services\"\\?\n$");
        QTest::newRow("unsupported version")
            << QByteArrayLiteral("{\"version\": 2, \"deployments\": []}\n") << run
            << QStringLiteral("^{file}:1:13: version: unsupported version 2; this OK Health reads version 1 files\n$");
        QTest::newRow("unset environment variable")
            << QByteArrayLiteral("{\"version\": 1, \"deployments\": [{\"name\": \"a\", \"connection\": {\"type\": "
                                 "\"direct\"},\n  \"services\": [{\"name\": \"r\", \"checks\": [{\"name\": \"p\", "
                                 "\"type\": \"redis\", \"role\": \"readiness\",\n    \"url\": "
                                 "\"redis://:${OKH_CLI_TEST_UNSET}@127.0.0.1:6379/0\"}]}]}]}\n")
            << run
            << QStringLiteral("^{file}:3:12: deployments\\[0\\]\\.services\\[0\\]\\.checks\\[0\\]\\.url: "
                              "environment variable OKH_CLI_TEST_UNSET is not set\n$");
        QTest::newRow("file does not exist")
            << QByteArray() << run << QStringLiteral("^{file}: cannot read the file: .+\n$");
        const QString two = QStringLiteral(
            "{\"version\": 1, \"deployments\": ["
            "{\"name\": \"a\", \"connection\": {\"type\": \"direct\"}, \"profile\": \"openklant\"},"
            "{\"name\": \"b\", \"connection\": {\"type\": \"direct\"}, \"profile\": \"openklant\"}]}\n");
        QTest::newRow("two deployments, no --deployment")
            << two.toUtf8() << run << QStringLiteral("^{file}: .*--deployment.*\\ba, b\\b.*\n$");
        QTest::newRow("--deployment nope")
            << two.toUtf8() << run + QStringList{QStringLiteral("--deployment"), QStringLiteral("nope")}
            << QStringLiteral("^{file}: no deployment named \"nope\" \\(the file has: a, b\\)\n$");
        QTest::newRow("--deployment nope, the shipped example")
            << QByteArray()
            << QStringList{QStringLiteral("run"), QStringLiteral("{example}"), QStringLiteral("--deployment=nope")}
            << QStringLiteral("no deployment named \"nope\" \\(the file has: local\\)\n$");
        QTest::newRow("--format xml") << two.toUtf8()
                                      << run + QStringList{QStringLiteral("--format"), QStringLiteral("xml")}
                                      << QStringLiteral("xml");
        QTest::newRow("--wait-ready abc")
            << two.toUtf8() << run + QStringList{QStringLiteral("--wait-ready"), QStringLiteral("abc")}
            << QStringLiteral("--wait-ready");
        QTest::newRow("no FILE") << QByteArray() << QStringList{QStringLiteral("run")}
                                 << QStringLiteral("usage: okhealth-check run FILE");
    }

    void configurationErrors()
    {
        QFETCH(QByteArray, content);
        QFETCH(QStringList, arguments);
        QFETCH(QString, stderrPattern);

        const QString path = m_dir.filePath(QStringLiteral("config-%1.json").arg(dataTagForFileName()));
        if (!content.isEmpty())
            writeFile(QFileInfo(path).fileName(), content);
        const QString example
            = QDir(test::sourceDir()).filePath(QStringLiteral("resources/examples/openklant-local.json"));
        for (QString& a : arguments) {
            a.replace(QLatin1String("{file}"), path);
            a.replace(QLatin1String("{example}"), example);
        }
        QProcessEnvironment env = test::cliEnvironment();
        env.remove(QStringLiteral("OKH_CLI_TEST_UNSET"));
        const test::CommandResult r = okhealthCheck(arguments, env);
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QCOMPARE(r.standardOutput, QByteArray());
        const QString pattern
            = QString(stderrPattern).replace(QLatin1String("{file}"), QRegularExpression::escape(path));
        const QString err = QString::fromUtf8(r.standardError);
        QVERIFY2(QRegularExpression(pattern).match(err).hasMatch(),
                 qPrintable(QStringLiteral("stderr %1 does not match %2").arg(err, pattern)));
    }

    // A Redis password, from the URL or from ${VAR}, is never printed: every format shows the
    // target with "****" instead. One check passes; the info checks fail (so the text report
    // prints their targets) without failing the run.
    void passwordNeverShown_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("toFile");
        QTest::newRow("text") << QStringLiteral("text") << false;
        QTest::newRow("json") << QStringLiteral("json") << false;
        QTest::newRow("junit") << QStringLiteral("junit") << false;
        QTest::newRow("junit to --output") << QStringLiteral("junit") << true;
    }

    void passwordNeverShown()
    {
        QFETCH(QString, format);
        QFETCH(bool, toFile);

        const QString path = writeSecretDeployment();
        QVERIFY(!path.isEmpty());

        QStringList args{QStringLiteral("run"), path, QStringLiteral("--format"), format};
        const QString output = m_dir.filePath(QStringLiteral("secret-report-%1").arg(dataTagForFileName()));
        if (toFile)
            args << QStringLiteral("--output") << output;
        QProcessEnvironment env = test::cliEnvironment();
        env.insert(QStringLiteral("OKH_CLI_TEST_REDIS_PASSWORD"), m_secret);
        const test::CommandResult r = okhealthCheck(args, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QByteArray everything = r.allOutput();
        if (toFile) {
            QFile file(output);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(output));
            everything += file.readAll();
        }
        const QString text = QString::fromUtf8(everything);
        for (const QString& secretPart : {QStringLiteral("Secr3t"), QStringLiteral("Wr0ng")})
            QVERIFY2(!text.contains(secretPart, Qt::CaseInsensitive), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String(":****@127.0.0.1:")), qPrintable(text));
    }

    // Info checks never decide the verdict, but the verdict must not count a failed info
    // check as passed: of "secret"'s four checks, two (info) fail.
    void verdictDoesNotCountFailedInfoChecksAsPassed()
    {
        const QString path = writeSecretDeployment();
        QVERIFY(!path.isEmpty());
        QProcessEnvironment env = test::cliEnvironment();
        env.insert(QStringLiteral("OKH_CLI_TEST_REDIS_PASSWORD"), m_secret);
        const test::CommandResult r = okhealthCheck({QStringLiteral("run"), path}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QString verdict = QString::fromUtf8(r.standardOutput).section(u'\n', 0, 0);
        QVERIFY2(verdict.startsWith(QLatin1String("secret: HEALTHY")), qPrintable(verdict));
        QVERIFY2(!verdict.contains(QLatin1String("all 4")), qPrintable(verdict));
    }

    // Last: stops PostgreSQL for good (a restarted server would get another port).
    void databaseStopped()
    {
        m_postgres.stop();

        const test::CommandResult json
            = okhealthCheck({QStringLiteral("run"), m_profileFile, QStringLiteral("--format=json")});
        QVERIFY2(json.exitCode == 1, qPrintable(json.describe()));
        QJsonObject root;
        const ReportSummary s = summariseJson(json.standardOutput, &root);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        QCOMPARE(root.value(QStringLiteral("status")).toString(), QStringLiteral("unhealthy"));
        QCOMPARE(root.value(QStringLiteral("healthy")).toBool(), false);
        QJsonObject db;
        QJsonObject readyz;
        for (const QJsonValue& service : root.value(QStringLiteral("services")).toArray()) {
            const QJsonObject object = service.toObject();
            if (object.value(QStringLiteral("name")).toString() == QLatin1String("db"))
                db = object;
            if (object.value(QStringLiteral("name")).toString() != QLatin1String("web"))
                continue;
            for (const QJsonValue& check : object.value(QStringLiteral("checks")).toArray()) {
                if (check.toObject().value(QStringLiteral("name")).toString() == QLatin1String("readyz"))
                    readyz = check.toObject();
            }
        }
        QCOMPARE(db.value(QStringLiteral("status")).toString(), QStringLiteral("unhealthy"));
        QCOMPARE(readyz.value(QStringLiteral("status")).toString(), QStringLiteral("unhealthy"));
        const QJsonObject details = readyz.value(QStringLiteral("details")).toObject();
        QVERIFY2(details.contains(QStringLiteral("component: DatabaseBackend")),
                 qPrintable(QString::fromUtf8(QJsonDocument(readyz).toJson())));
        QVERIFY(s.failures >= 2);

        const test::CommandResult text = okhealthCheck({QStringLiteral("run"), m_profileFile});
        QVERIFY2(text.exitCode == 1, qPrintable(text.describe()));
        const QString firstLine = QString::fromUtf8(text.standardOutput).section(u'\n', 0, 0);
        QVERIFY2(firstLine.startsWith(kDeployment + QStringLiteral(": UNHEALTHY")), qPrintable(firstLine));

        const QString output = m_dir.filePath(QStringLiteral("db-down.xml"));
        const test::CommandResult junit
            = okhealthCheck({QStringLiteral("run"), m_profileFile, QStringLiteral("--format"), QStringLiteral("junit"),
                             QStringLiteral("--output"), output});
        QVERIFY2(junit.exitCode == 1, qPrintable(junit.describe()));
        QFile file(output);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const ReportSummary x = summariseJunit(file.readAll());
        QVERIFY2(x.error.isEmpty(), qPrintable(x.error));
        QCOMPARE(x.checks, kProfileChecks);
        QCOMPARE(x.failures, s.failures);
    }

private:
    QString writeFile(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // Deployment "secret": one service whose readiness checks reach a Redis with a password
    // (in the URL, and as a separate field from ${OKH_CLI_TEST_REDIS_PASSWORD}) and whose info
    // checks fail: a wrong password, and a port nothing listens on.
    QString writeSecretDeployment()
    {
        if (!m_lockedRedis.isRunning() && !m_lockedRedis.start(m_secret)) {
            qWarning() << m_lockedRedis.errorString();
            return {};
        }
        const QString url = m_lockedRedis.url(); // the '@' percent-encoded
        auto redisCheck = [](const QString& name, const QString& role) {
            return QJsonObject{{QStringLiteral("name"), name},
                               {QStringLiteral("type"), QStringLiteral("redis")},
                               {QStringLiteral("role"), role}};
        };
        QJsonObject ping = redisCheck(QStringLiteral("ping"), QStringLiteral("readiness"));
        ping.insert(QStringLiteral("url"), url);
        QJsonObject fields = redisCheck(QStringLiteral("ping-fields"), QStringLiteral("readiness"));
        fields.insert(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        fields.insert(QStringLiteral("port"), m_lockedRedis.port());
        fields.insert(QStringLiteral("password"), QStringLiteral("${OKH_CLI_TEST_REDIS_PASSWORD}"));
        QJsonObject wrong = redisCheck(QStringLiteral("wrong-password"), QStringLiteral("info"));
        wrong.insert(QStringLiteral("url"),
                     QStringLiteral("redis://:%1@127.0.0.1:%2/0").arg(m_wrongSecret).arg(m_lockedRedis.port()));
        QJsonObject down = redisCheck(QStringLiteral("down"), QStringLiteral("info"));
        down.insert(QStringLiteral("url"),
                    QStringLiteral("redis://:%1@127.0.0.1:%2/0")
                        .arg(QString::fromUtf8(QUrl::toPercentEncoding(m_secret)))
                        .arg(test::freePort()));
        QJsonObject service{{QStringLiteral("name"), QStringLiteral("redis")},
                            {QStringLiteral("kind"), QStringLiteral("redis")},
                            {QStringLiteral("checks"), QJsonArray{ping, fields, wrong, down}}};
        QJsonObject deployment{{QStringLiteral("name"), QStringLiteral("secret")},
                               {QStringLiteral("connection"), direct()},
                               {QStringLiteral("services"), QJsonArray{service}}};
        return writeFile(QStringLiteral("secret.json"), toJson(fileWith({deployment})));
    }

    // The openklant profile with every service pointed at this test's servers.
    QJsonObject profileDeployment() const
    {
        const QJsonObject services{
            {QStringLiteral("web"),
             QJsonObject{{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                         {QStringLiteral("port"), m_django.port()},
                         {QStringLiteral("hostHeader"), QStringLiteral("localhost")}}},
            {QStringLiteral("nginx"),
             QJsonObject{{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                         {QStringLiteral("port"), m_nginx.port()}}},
            {QStringLiteral("redis"), QJsonObject{{QStringLiteral("url"), m_redis.url()}}},
            {QStringLiteral("db"),
             QJsonObject{{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                         {QStringLiteral("port"), m_postgres.port()},
                         {QStringLiteral("user"), QStringLiteral("postgres")},
                         {QStringLiteral("database"), QStringLiteral("okhealth")}}},
        };
        // Profile services this test has no server for (the Celery ones) are left out.
        QJsonArray exclude;
        for (const QString& name : OpenKlantProfile::serviceNames()) {
            if (!services.contains(name))
                exclude.append(name);
        }
        QJsonObject profile{{QStringLiteral("name"), QStringLiteral("openklant")},
                            {QStringLiteral("services"), services}};
        if (!exclude.isEmpty())
            profile.insert(QStringLiteral("exclude"), exclude);
        return {{QStringLiteral("name"), kDeployment},
                {QStringLiteral("connection"), direct()},
                {QStringLiteral("profile"), profile}};
    }

    QTemporaryDir m_dir{QStringLiteral("/tmp/okh-cli-run-XXXXXX")};
    test::RedisServer m_redis;
    test::PostgresServer m_postgres;
    test::DjangoServer m_django;
    test::NginxServer m_nginx;
    test::RedisServer m_lockedRedis;
    const QString m_secret = QStringLiteral("pw-Secr3t@x");
    const QString m_wrongSecret = QStringLiteral("Wr0ng-pw");
    QString m_profileFile;
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "tst_cli_run.moc"
