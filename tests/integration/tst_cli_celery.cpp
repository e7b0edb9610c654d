#include "CeleryBeat.h"
#include "TestSupport.h"
#include "standin/CeleryWorker.h"
#include "standin/RedisServer.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;

namespace {

// The child's environment without a CELERY_WORKER_NAME of the caller.
QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = test::cliEnvironment();
    env.remove(QStringLiteral("CELERY_WORKER_NAME"));
    return env;
}

test::CommandResult okhealthCheck(const QStringList& arguments,
                                  const QProcessEnvironment& environment = cliEnvironment())
{
    return test::runCommand(QStringLiteral(OKHEALTH_CHECK_BINARY), arguments, 20000, environment);
}

// redis-cli against one of the fixtures' servers; its stdout lines.
QStringList redisCli(const test::RedisServer& redis, const QStringList& command)
{
    QStringList args{QStringLiteral("-h"),          QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                     QString::number(redis.port()), QStringLiteral("-n"),        QStringLiteral("0")};
    if (!redis.password().isEmpty())
        args << QStringLiteral("-a") << redis.password() << QStringLiteral("--no-auth-warning");
    const test::CommandResult r = test::runCommand(QStringLiteral("redis-cli"), args + command, 10000);
    if (!r.succeeded())
        qWarning() << "redis-cli failed:" << r.describe();
    QStringList lines = QString::fromUtf8(r.standardOutput).split(u'\n', Qt::SkipEmptyParts);
    lines.sort();
    return lines;
}

// The binding set kombu's Redis transport keeps for the reply exchange of control commands
// (kombu/transport/redis.py: keyprefix_queue "_kombu.binding.%s"; celery/app/control.py:
// reply exchange "reply.celery.pidbox").
const QString kReplyBindings = QStringLiteral("_kombu.binding.reply.celery.pidbox");

// What a broker holds that a ping must leave untouched: every key, and the members of the
// reply binding set (other clients, such as the fixture's own Python ping, may own some).
struct BrokerState
{
    QStringList keys;
    QStringList replyBindings;
};

BrokerState brokerState(const test::RedisServer& redis)
{
    return {redisCli(redis, {QStringLiteral("--scan")}), redisCli(redis, {QStringLiteral("SMEMBERS"), kReplyBindings})};
}

void setAge(const QString& path, double seconds)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Append), qPrintable(path));
    const QDateTime when = QDateTime::currentDateTimeUtc().addMSecs(-qint64(seconds * 1000.0));
    QVERIFY2(file.setFileTime(when, QFileDevice::FileModificationTime), qPrintable(file.errorString()));
}

QString substitute(QString text, const QHash<QString, QString>& values)
{
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        text.replace(u'{' + it.key() + u'}', it.value());
    return text;
}

QStringList substitute(QStringList list, const QHash<QString, QString>& values)
{
    for (QString& s : list)
        s = substitute(s, values);
    return list;
}

} // namespace

// `okhealth-check worker-health-check` and `beat-health-check`, run as processes, against a
// real Celery worker and beat on real redis-servers. Messages, streams, order and exit codes
// are those of maykin-common's commands (docs/cli.md; upstream
// maykin_common/cli.py). Every ping must leave the broker as it found it and the worker alive.
class TestCliCelery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!test::CeleryWorker::isAvailable(&why))
            QSKIP(qPrintable(why));
        QVERIFY(m_files.isValid());
        QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
        test::CeleryWorker::Options options;
        options.brokerUrl = m_redis.url();
        options.nodeName = QStringLiteral("celery@okh-cli");
        QVERIFY2(m_worker.start(options), qPrintable(m_worker.errorString()));
        m_baseline = brokerState(m_redis);
        qInfo() << "broker keys with the worker ready:" << m_baseline.keys
                << "reply bindings:" << m_baseline.replyBindings;
        QVERIFY(QDir().mkpath(m_files.filePath(QStringLiteral("real"))));
        QVERIFY(QFile::link(m_files.filePath(QStringLiteral("real")), m_files.filePath(QStringLiteral("link"))));
    }

    void workerHealthCheck_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expectedStdout");
        QTest::addColumn<QString>("stderrFirstLine"); // empty: stderr must be empty
        QTest::addColumn<QString>("stderrContains");
        QTest::addColumn<bool>("pings");

        const QString lf = QStringLiteral("--liveness-file");
        const QString rf = QStringLiteral("--readiness-file");
        const QString broker = QStringLiteral("--broker");
        const QString name = QStringLiteral("--worker-name");
        const QString pt = QStringLiteral("--ping-timeout");
        const QString loopLine = QStringLiteral("The event loop appears to be running.\n");
        const QString pongLine = QStringLiteral("{node}: PONG.\n");
        const QString readyLine = QStringLiteral("The worker appears ready to process tasks.\n");
        const QStringList live{lf,   QStringLiteral("{liveness}"), broker, QStringLiteral("{broker}"),
                               name, QStringLiteral("{node}"),     pt,     QStringLiteral("1")};

        QTest::newRow("liveness and ping (the defaults' checks)")
            << live << 0 << loopLine + pongLine << QString() << QString() << true;
        QTest::newRow("readiness opted in")
            << live + QStringList{QStringLiteral("--no-skip-readiness"), rf, QStringLiteral("{readiness}")} << 0
            << loopLine + pongLine + readyLine << QString() << QString() << true;
        QTest::newRow("liveness file missing")
            << QStringList{lf,   QStringLiteral("{missing}"), broker, QStringLiteral("{broker}"),
                           name, QStringLiteral("{node}")}
            << 1 << QString() << QStringLiteral("File '{missing}' does not exist or is not a file.") << QString()
            << false;
        QTest::newRow("liveness path is a directory")
            << QStringList{lf,   QStringLiteral("{dir}"), broker, QStringLiteral("{broker}"),
                           name, QStringLiteral("{node}")}
            << 1 << QString() << QStringLiteral("File '{dir}' does not exist or is not a file.") << QString() << false;
        QTest::newRow("liveness file stale, --max-age 5")
            << QStringList{lf,
                           QStringLiteral("{stale}"),
                           QStringLiteral("--max-age"),
                           QStringLiteral("5"),
                           broker,
                           QStringLiteral("{broker}"),
                           name,
                           QStringLiteral("{node}")}
            << 1 << QString() << QStringLiteral("File '{stale}' is older than max-age.") << QString() << false;
        QTest::newRow("liveness file 60 s old, default --max-age 70")
            << QStringList{lf,   QStringLiteral("{sixty}"), broker, QStringLiteral("{broker}"),
                           name, QStringLiteral("{node}"),  pt,     QStringLiteral("1")}
            << 0 << loopLine + pongLine << QString() << QString() << true;
        QTest::newRow("liveness age equal to --max-age passes (int(age) > max-age fails)")
            << QStringList{lf,
                           QStringLiteral("{sixty}"),
                           QStringLiteral("--max-age=60"),
                           broker,
                           QStringLiteral("{broker}"),
                           name,
                           QStringLiteral("{node}"),
                           pt,
                           QStringLiteral("1")}
            << 0 << loopLine + pongLine << QString() << QString() << true;
        QTest::newRow("wrong --worker-name: no reply, hint names the worker that answers")
            << QStringList{lf,   QStringLiteral("{liveness}"), broker, QStringLiteral("{broker}"),
                           name, QStringLiteral("x@y"),        pt,     QStringLiteral("1")}
            << 2 << loopLine << QStringLiteral("No reply to ping from 'x@y' after 1s.") << QStringLiteral("{node}")
            << true;
        QTest::newRow("broker down") << QStringList{lf,     QStringLiteral("{liveness}"),
                                                    broker, QStringLiteral("{deadbroker}"),
                                                    name,   QStringLiteral("{node}"),
                                                    pt,     QStringLiteral("1")}
                                     << 2 << loopLine << QStringLiteral("No reply to ping from '{node}' after 1s.")
                                     << QStringLiteral("refused") << true;
        QTest::newRow("readiness file missing, --no-skip-readiness")
            << live + QStringList{QStringLiteral("--no-skip-readiness"), rf, QStringLiteral("{missing}")} << 4
            << loopLine + pongLine << QStringLiteral("File '{missing}' does not exist - worker is not ready.")
            << QString() << true;
        QTest::newRow("the seed's readiness form")
            << QStringList{QStringLiteral("--skip-ping"), QStringLiteral("--skip-event-loop-liveness"),
                           QStringLiteral("--no-skip-readiness"), rf, QStringLiteral("{readiness}")}
            << 0 << readyLine << QString() << QString() << false;
        QTest::newRow("the seed's readiness form, not ready")
            << QStringList{QStringLiteral("--skip-ping"), QStringLiteral("--skip-event-loop-liveness"),
                           QStringLiteral("--no-skip-readiness"), rf, QStringLiteral("{missing}")}
            << 4 << QString() << QStringLiteral("File '{missing}' does not exist - worker is not ready.") << QString()
            << false;
        QTest::newRow("the last of --no-skip-readiness / --skip-readiness wins") << live
                + QStringList{QStringLiteral("--no-skip-readiness"), QStringLiteral("--skip-readiness"), rf,
                              QStringLiteral("{missing}")} << 0 << loopLine + pongLine
                                                                                 << QString() << QString() << true;
        QTest::newRow("--skip-event-loop-liveness: ping only")
            << QStringList{QStringLiteral("--skip-event-loop-liveness"),
                           lf,
                           QStringLiteral("{missing}"),
                           broker,
                           QStringLiteral("{broker}"),
                           name,
                           QStringLiteral("{node}"),
                           pt,
                           QStringLiteral("1")}
            << 0 << pongLine << QString() << QString() << true;
        QTest::newRow("stops at the first failure: no ping after a missing liveness file")
            << QStringList{lf,   QStringLiteral("{missing}"), broker, QStringLiteral("{deadbroker}"),
                           name, QStringLiteral("x@y")}
            << 1 << QString() << QStringLiteral("File '{missing}' does not exist or is not a file.") << QString()
            << false;
        QTest::newRow("--max-age abc") << QStringList{lf, QStringLiteral("{liveness}"), QStringLiteral("--max-age"),
                                                      QStringLiteral("abc")}
                                       << 2 << QString() << QStringLiteral("*") << QStringLiteral("--max-age") << false;
        // typer passes a pathlib.Path: it prints with redundant separators and "." removed.
        QTest::newRow("the path is printed as pathlib normalises it")
            << QStringList{lf,     QStringLiteral("{dir}//./missing"),
                           broker, QStringLiteral("{broker}"),
                           name,   QStringLiteral("{node}")}
            << 1 << QString() << QStringLiteral("File '{dir}/missing' does not exist or is not a file.") << QString()
            << false;
    }

    void workerHealthCheck()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, expectedStdout);
        QFETCH(QString, stderrFirstLine);
        QFETCH(QString, stderrContains);
        QFETCH(bool, pings);

        setAge(m_files.filePath(QStringLiteral("stale")), 600);
        setAge(m_files.filePath(QStringLiteral("sixty")), 60.3);
        const QHash<QString, QString> values = placeholders();
        const test::CommandResult r
            = okhealthCheck(QStringList{QStringLiteral("worker-health-check")} + substitute(arguments, values));
        QVERIFY2(r.finished, qPrintable(r.describe()));
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.describe()));
        QCOMPARE(QString::fromUtf8(r.standardOutput), substitute(expectedStdout, values));
        const QString err = QString::fromUtf8(r.standardError);
        if (stderrFirstLine.isEmpty())
            QCOMPARE(err, QString());
        else if (stderrFirstLine != QLatin1String("*"))
            QCOMPARE(err.section(u'\n', 0, 0), substitute(stderrFirstLine, values));
        if (!stderrContains.isEmpty())
            QVERIFY2(err.contains(substitute(stderrContains, values)), qPrintable(err));
        if (pings)
            verifyBrokerUntouched();
    }

    // typer's envvar="CELERY_WORKER_NAME" is the default of --worker-name; the flag wins; an
    // empty variable counts as unset (click ignores empty environment values).
    void workerNameFromEnvironment_data()
    {
        QTest::addColumn<QString>("environmentValue"); // "-": unset
        QTest::addColumn<QString>("flag"); // empty: no --worker-name
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expectedLine"); // stdout when 0, first stderr line otherwise

        QTest::newRow("CELERY_WORKER_NAME names the worker")
            << QStringLiteral("{node}") << QString() << 0 << QStringLiteral("{node}: PONG.");
        QTest::newRow("--worker-name wins over CELERY_WORKER_NAME")
            << QStringLiteral("x@y") << QStringLiteral("{node}") << 0 << QStringLiteral("{node}: PONG.");
        QTest::newRow("CELERY_WORKER_NAME of another worker")
            << QStringLiteral("x@y") << QString() << 2 << QStringLiteral("No reply to ping from 'x@y' after 1s.");
        QTest::newRow("unset: celery@<hostname>")
            << QStringLiteral("-") << QString() << 2
            << QStringLiteral("No reply to ping from 'celery@{hostname}' after 1s.");
        QTest::newRow("empty: celery@<hostname>")
            << QString() << QString() << 2 << QStringLiteral("No reply to ping from 'celery@{hostname}' after 1s.");
    }

    void workerNameFromEnvironment()
    {
        QFETCH(QString, environmentValue);
        QFETCH(QString, flag);
        QFETCH(int, exitCode);
        QFETCH(QString, expectedLine);

        const QHash<QString, QString> values = placeholders();
        QProcessEnvironment env = cliEnvironment();
        if (environmentValue != QLatin1String("-"))
            env.insert(QStringLiteral("CELERY_WORKER_NAME"), substitute(environmentValue, values));
        QStringList args{QStringLiteral("worker-health-check"),
                         QStringLiteral("--skip-event-loop-liveness"),
                         QStringLiteral("--broker"),
                         m_redis.url(),
                         QStringLiteral("--ping-timeout"),
                         QStringLiteral("1")};
        if (!flag.isEmpty())
            args << QStringLiteral("--worker-name") << substitute(flag, values);
        const test::CommandResult r = okhealthCheck(args, env);
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.describe()));
        const QByteArray& stream = exitCode == 0 ? r.standardOutput : r.standardError;
        QCOMPARE(QString::fromUtf8(stream).section(u'\n', 0, 0), substitute(expectedLine, values));
        verifyBrokerUntouched();
    }

    // A frozen worker (SIGSTOP, solo pool) keeps its broker connection but answers nothing.
    void frozenWorker()
    {
        QVERIFY(m_worker.freeze());
        const test::CommandResult r
            = okhealthCheck({QStringLiteral("worker-health-check"), QStringLiteral("--skip-event-loop-liveness"),
                             QStringLiteral("--broker"), m_redis.url(), QStringLiteral("--worker-name"),
                             m_worker.nodeName(), QStringLiteral("--ping-timeout"), QStringLiteral("1")});
        QVERIFY(m_worker.thaw());
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QCOMPARE(r.standardOutput, QByteArray());
        QCOMPARE(QString::fromUtf8(r.standardError).section(u'\n', 0, 0),
                 QStringLiteral("No reply to ping from '%1' after 1s.").arg(m_worker.nodeName()));

        // Thawed, the worker finds our expired requests in its queue; it must survive them
        // and answer the next ping.
        const test::CommandResult again = okhealthCheck(
            {QStringLiteral("worker-health-check"), QStringLiteral("--liveness-file"), m_worker.livenessFile(),
             QStringLiteral("--broker"), m_redis.url(), QStringLiteral("--worker-name"), m_worker.nodeName()});
        QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
        QCOMPARE(
            again.standardOutput,
            QStringLiteral("The event loop appears to be running.\n%1: PONG.\n").arg(m_worker.nodeName()).toUtf8());
        verifyBrokerUntouched();
    }

    // A broker with a password that needs percent-encoding in the URL (kombu decodes it).
    void passwordProtectedBroker()
    {
        test::RedisServer locked;
        QVERIFY2(locked.start(QStringLiteral("s3cr@t pw")), qPrintable(locked.errorString()));
        QVERIFY2(locked.url().contains(QLatin1String("s3cr%40t%20pw")), qPrintable(locked.url()));
        test::CeleryWorker worker;
        test::CeleryWorker::Options options;
        options.brokerUrl = locked.url();
        options.nodeName = QStringLiteral("celery@okh-cli-pw");
        QVERIFY2(worker.start(options), qPrintable(worker.errorString()));
        const BrokerState before = brokerState(locked);

        const QStringList args{QStringLiteral("worker-health-check"),
                               QStringLiteral("--liveness-file"),
                               worker.livenessFile(),
                               QStringLiteral("--worker-name"),
                               options.nodeName,
                               QStringLiteral("--ping-timeout"),
                               QStringLiteral("1"),
                               QStringLiteral("--broker")};
        test::CommandResult r = okhealthCheck(args + QStringList{locked.url()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.standardOutput,
                 QByteArrayLiteral("The event loop appears to be running.\ncelery@okh-cli-pw: PONG.\n"));
        QCOMPARE(r.standardError, QByteArray());
        verifyBrokerUntouched(locked, before, worker);

        // A wrong password: no reply, and the password is never echoed.
        const QString wrong = QStringLiteral("redis://:wr0ng-secret@127.0.0.1:%1/0").arg(locked.port());
        r = okhealthCheck(args + QStringList{wrong});
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QCOMPARE(QString::fromUtf8(r.standardError).section(u'\n', 0, 0),
                 QStringLiteral("No reply to ping from 'celery@okh-cli-pw' after 1s."));
        QVERIFY2(!r.allOutput().contains("wr0ng-secret"), qPrintable(r.describe()));
        QVERIFY2(!r.allOutput().contains("s3cr"), qPrintable(r.describe()));
        verifyBrokerUntouched(locked, before, worker);
    }

    void beatHealthCheck_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<double>("ageSeconds"); // < 0: leave {aged} alone
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stdoutPattern"); // a regular expression, anchored
        QTest::addColumn<QString>("expectedStderr"); // exact

        const QString file = QStringLiteral("--file");
        const QStringList aged{file, QStringLiteral("{aged}")};
        QTest::newRow("beat's own file") << QStringList{file, QStringLiteral("{beat}")} << -1.0 << 0
                                         << QStringLiteral("Last scheduled task: [0-9]s ago\\.\n") << QString();
        QTest::newRow("missing file") << QStringList{file, QStringLiteral("{missing}")} << -1.0 << 1 << QString()
                                      << QStringLiteral("File '{missing}' does not exist or is not a file.\n");
        QTest::newRow("a directory") << QStringList{file, QStringLiteral("{dir}")} << -1.0 << 1 << QString()
                                     << QStringLiteral("File '{dir}' does not exist or is not a file.\n");
        QTest::newRow("relative path, resolved against the working directory")
            << QStringList{file, QStringLiteral("okh-no-such-beat-file")} << -1.0 << 1 << QString()
            << QStringLiteral("File '{cwd}/okh-no-such-beat-file' does not exist or is not a file.\n");
        QTest::newRow("missing file under a symlinked directory: resolved")
            << QStringList{file, QStringLiteral("{dir}/link/missing")} << -1.0 << 1 << QString()
            << QStringLiteral("File '{dir}/real/missing' does not exist or is not a file.\n");
        QTest::newRow("older than the default --max-age 3600")
            << aged << 7200.0 << 1 << QString() << QStringLiteral("File '{aged}' is older than max-age.\n");
        QTest::newRow("stale: 60 s with --max-age 5")
            << aged + QStringList{QStringLiteral("--max-age"), QStringLiteral("5")} << 60.0 << 1 << QString()
            << QStringLiteral("File '{aged}' is older than max-age.\n");
        QTest::newRow("30 s") << aged << 30.0 << 0 << QStringLiteral("Last scheduled task: 30s ago\\.\n") << QString();
        QTest::newRow("60 s is still seconds")
            << aged << 60.0 << 0 << QStringLiteral("Last scheduled task: 60s ago\\.\n") << QString();
        QTest::newRow("120 s: 2m") << aged << 120.0 << 0 << QStringLiteral("Last scheduled task: 2m ago\\.\n")
                                   << QString();
        QTest::newRow("150 s: 2.5m") << aged << 150.0 << 0 << QStringLiteral("Last scheduled task: 2\\.5m ago\\.\n")
                                     << QString();
        // Python's round(1.25, 1) is 1.2: 1.25 is exact in binary and round() halves to even.
        QTest::newRow("75 s: 1.2m (round half to even)")
            << aged << 75.0 << 0 << QStringLiteral("Last scheduled task: 1\\.2m ago\\.\n") << QString();
        QTest::newRow("5400 s: 1.5h") << aged + QStringList{QStringLiteral("--max-age"), QStringLiteral("86400")}
                                      << 5400.0 << 0 << QStringLiteral("Last scheduled task: 1\\.5h ago\\.\n")
                                      << QString();
        QTest::newRow("4500 s: 1.2h (round half to even)")
            << aged + QStringList{QStringLiteral("--max-age"), QStringLiteral("86400")} << 4500.0 << 0
            << QStringLiteral("Last scheduled task: 1\\.2h ago\\.\n") << QString();
    }

    void beatHealthCheck()
    {
        QFETCH(QStringList, arguments);
        QFETCH(double, ageSeconds);
        QFETCH(int, exitCode);
        QFETCH(QString, stdoutPattern);
        QFETCH(QString, expectedStderr);

        if (!m_beat) {
            // Beat only publishes; its own broker keeps its tasks away from the worker's.
            QVERIFY2(m_beatRedis.start(), qPrintable(m_beatRedis.errorString()));
            m_beat = std::make_unique<test::CeleryBeat>();
            test::CeleryBeat::Options options;
            options.brokerUrl = m_beatRedis.url();
            QVERIFY2(m_beat->start(options), qPrintable(m_beat->errorString()));
        }
        // Half a second extra: int(now - mtime) stays the intended value while the command
        // starts, provided it reads the file's age within that half second.
        QElapsedTimer sinceAged;
        if (ageSeconds >= 0)
            setAge(m_files.filePath(QStringLiteral("aged")), ageSeconds + 0.5);
        sinceAged.start();
        const QHash<QString, QString> values = placeholders();
        const test::CommandResult r
            = okhealthCheck(QStringList{QStringLiteral("beat-health-check")} + substitute(arguments, values));
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.describe()));
        const QString out = QString::fromUtf8(r.standardOutput);
        const bool matches
            = QRegularExpression(QRegularExpression::anchoredPattern(stdoutPattern)).match(out).hasMatch();
        if (ageSeconds >= 0 && !stdoutPattern.isEmpty() && !matches && sinceAged.elapsed() >= 500)
            QSKIP(qPrintable(QStringLiteral("the command took %1 ms: the age it saw may be a second more (%2)")
                                 .arg(sinceAged.elapsed())
                                 .arg(out.trimmed())));
        if (stdoutPattern.isEmpty())
            QCOMPARE(out, QString());
        else
            QVERIFY2(matches, qPrintable(out));
        QCOMPARE(QString::fromUtf8(r.standardError), substitute(expectedStderr, values));
    }

    void cleanupTestCase()
    {
        if (m_beat)
            QVERIFY2(m_beat->isAlive(), qPrintable(m_beat->logTail()));
    }

private:
    QHash<QString, QString> placeholders() const
    {
        return {
            {QStringLiteral("liveness"), m_worker.livenessFile()},
            {QStringLiteral("readiness"), m_worker.readinessFile()},
            {QStringLiteral("broker"), m_redis.url()},
            {QStringLiteral("deadbroker"), QStringLiteral("redis://127.0.0.1:%1/0").arg(test::freePort())},
            {QStringLiteral("node"), m_worker.nodeName()},
            {QStringLiteral("dir"), m_files.path()},
            {QStringLiteral("missing"), m_files.filePath(QStringLiteral("missing"))},
            {QStringLiteral("stale"), m_files.filePath(QStringLiteral("stale"))},
            {QStringLiteral("sixty"), m_files.filePath(QStringLiteral("sixty"))},
            {QStringLiteral("aged"), m_files.filePath(QStringLiteral("aged"))},
            {QStringLiteral("beat"), m_beat ? m_beat->livenessFile() : QString()},
            {QStringLiteral("cwd"), QDir::currentPath()},
            {QStringLiteral("hostname"), QSysInfo::machineHostName()},
        };
    }

    void verifyBrokerUntouched() { verifyBrokerUntouched(m_redis, m_baseline, m_worker); }

    // No key but kombu's binding sets, no reply binding of ours left behind, the worker alive.
    static void verifyBrokerUntouched(const test::RedisServer& redis, const BrokerState& baseline,
                                      const test::CeleryWorker& worker)
    {
        const BrokerState now = brokerState(redis);
        for (const QString& key : now.keys)
            QVERIFY2(key.startsWith(QLatin1String("_kombu.binding.")),
                     qPrintable(QStringLiteral("left in the broker: %1 (all keys: %2)")
                                    .arg(key, now.keys.join(QStringLiteral(", ")))));
        for (const QString& member : now.replyBindings)
            QVERIFY2(baseline.replyBindings.contains(member),
                     qPrintable(QStringLiteral("reply binding left behind: %1").arg(member)));
        QVERIFY2(worker.isAlive(), qPrintable(worker.logTail()));
    }

    QTemporaryDir m_files{QStringLiteral("/tmp/okh-cli-celery-XXXXXX")};
    test::RedisServer m_redis;
    test::CeleryWorker m_worker;
    BrokerState m_baseline;
    test::RedisServer m_beatRedis;
    std::unique_ptr<test::CeleryBeat> m_beat;
};

QTEST_GUILESS_MAIN(TestCliCelery)
#include "tst_cli_celery.moc"
