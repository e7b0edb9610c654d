#include "ProbeRunner.h"
#include "TestSupport.h"
#include "probes/ExecProbe.h"
#include "probes/FileProbe.h"
#include "standin/PostgresServer.h"
#include "standin/RedisServer.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

// Exec checks (the seed's "script exit code" form) with the real client tools, and the
// liveness/readiness file checks, locally and through the container clients.
class TestExecProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_redis.start(QStringLiteral("sekrit")), qPrintable(m_redis.errorString()));
        QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
        QVERIFY(m_dir.isValid());
    }

    void commands_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("summaryPart");
        const QString redisPort = QString::number(m_redis.port());
        const QString pgPort = QString::number(m_postgres.port());
        const int healthy = int(ProbeStatus::Healthy);
        const int unhealthy = int(ProbeStatus::Unhealthy);
        QTest::newRow("redis-cli ping with the password")
            << QStringList{QStringLiteral("redis-cli"), QStringLiteral("-p"),     redisPort,
                           QStringLiteral("-a"),        QStringLiteral("sekrit"), QStringLiteral("--no-auth-warning"),
                           QStringLiteral("ping")}
            << healthy << QStringLiteral("PONG");
        // redis-cli exits 0 on NOAUTH: the exit code alone would call this healthy.
        QTest::newRow("redis-cli ping without password: NOAUTH despite exit 0")
            << QStringList{QStringLiteral("redis-cli"), QStringLiteral("-p"), redisPort, QStringLiteral("ping")}
            << unhealthy << QStringLiteral("without PONG");
        QTest::newRow("pg_isready accepting") << QStringList{QStringLiteral("pg_isready"), QStringLiteral("-h"),
                                                             QStringLiteral("127.0.0.1"), QStringLiteral("-p"), pgPort}
                                              << healthy << QStringLiteral("accepting connections");
        QTest::newRow("pg_isready no response, explained") << QStringList{QStringLiteral("pg_isready"),
                                                                          QStringLiteral("-h"),
                                                                          QStringLiteral("127.0.0.1"),
                                                                          QStringLiteral("-p"),
                                                                          QString::number(test::freePort()),
                                                                          QStringLiteral("-t"),
                                                                          QStringLiteral("1")}
                                                           << unhealthy << QStringLiteral("exit 2: no response");
        QTest::newRow("maykin-common worker code 4 explained")
            << QStringList{QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("exit 4"),
                           QStringLiteral("maykin-common"), QStringLiteral("worker-health-check")}
            << unhealthy << QStringLiteral("exit 4");
        QTest::newRow("missing program is the monitor's trouble")
            << QStringList{QStringLiteral("okh-no-such-program")} << int(ProbeStatus::Unknown)
            << QStringLiteral("cannot run");
    }
    void commands()
    {
        QFETCH(QStringList, command);
        QFETCH(int, status);
        QFETCH(QString, summaryPart);
        ExecTarget target;
        target.command = command;
        ExecProbe probe(target, 5s);
        const ProbeResult r = test::runProbe(probe);
        QVERIFY2(int(r.status) == status, qPrintable(r.summary));
        QVERIFY2(r.summary.contains(summaryPart), qPrintable(r.summary));
    }

    void workerExitCodesMeanSomething_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("meaning");
        QTest::newRow("1: event loop") << 1 << QStringLiteral("event-loop liveness failed");
        QTest::newRow("2: ping") << 2 << QStringLiteral("did not answer the ping");
        QTest::newRow("4: not ready") << 4 << QStringLiteral("not ready");
    }
    void workerExitCodesMeanSomething()
    {
        QFETCH(int, code);
        QFETCH(QString, meaning);
        // A stand-in named like the real command, so the meaning table is exercised end to end.
        const QString script = m_dir.filePath(QStringLiteral("maykin-common"));
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\nexit \"$2\"\n");
        f.close();
        f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
        ExecTarget target;
        target.command = {script, QStringLiteral("worker-health-check"), QString::number(code)};
        ExecProbe probe(target, 5s);
        const ProbeResult r = test::runProbe(probe);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QVERIFY2(r.summary.contains(meaning), qPrintable(r.summary));
        QCOMPARE(r.detail(QStringLiteral("exit code")), QString::number(code));
    }

    void hangingCommandIsKilledOnTime()
    {
        ExecTarget target;
        target.command = {QStringLiteral("sleep"), QStringLiteral("30")};
        ExecProbe probe(target, 300ms);
        const ProbeResult r = test::runProbe(probe);
        QCOMPARE(r.status, ProbeStatus::Unhealthy);
        QVERIFY2(r.latencyMs >= 300.0 && r.latencyMs < 350.0, qPrintable(QString::number(r.latencyMs)));
    }

    void files_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<int>("maxAge"); // -1: presence check
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("summaryPart");
        QTest::newRow("fresh liveness file")
            << QStringLiteral("fresh") << 70 << int(ProbeStatus::Healthy) << QStringLiteral("touched");
        QTest::newRow("stale liveness file")
            << QStringLiteral("stale") << 70 << int(ProbeStatus::Unhealthy) << QStringLiteral("older than max-age");
        QTest::newRow("missing liveness file")
            << QStringLiteral("missing") << 70 << int(ProbeStatus::Unhealthy) << QStringLiteral("does not exist");
        QTest::newRow("a directory is not a file")
            << QStringLiteral("directory") << 70 << int(ProbeStatus::Unhealthy) << QStringLiteral("not a regular");
        QTest::newRow("readiness file present")
            << QStringLiteral("stale") << -1 << int(ProbeStatus::Healthy) << QStringLiteral("exists");
        QTest::newRow("readiness file missing")
            << QStringLiteral("missing") << -1 << int(ProbeStatus::Unhealthy) << QStringLiteral("does not exist");
    }
    void files()
    {
        QFETCH(QString, state);
        QFETCH(int, maxAge);
        QFETCH(int, status);
        QFETCH(QString, summaryPart);
        const QString path = prepare(state);
        // In-process for the local context, and the same through `sh` + stat + date as a
        // container runs it: both must agree.
        for (bool viaShell : {false, true}) {
            FileTarget target;
            target.path = path;
            if (maxAge >= 0)
                target.maxAge = std::chrono::seconds(maxAge);
            ProbeResult r;
            if (viaShell) {
                // A "container" that is this machine: kubectl-like wrapping is not needed to
                // exercise the remote-clock script; run it directly.
                ExecTarget exec;
                exec.command = FileProbe::statCommand(path);
                ExecProbe probe(exec, 5s);
                const ProbeResult raw = test::runProbe(probe);
                QCOMPARE(raw.status, ProbeStatus::Healthy);
                const QString out = raw.detail(QStringLiteral("output"));
                if (state == QLatin1String("missing"))
                    QCOMPARE(out, QStringLiteral("missing"));
                else if (state == QLatin1String("directory"))
                    QCOMPARE(out, QStringLiteral("notfile"));
                else {
                    const auto seen = FileProbe::parseStatOutput(out.toUtf8());
                    QVERIFY2(seen && seen->state == FileProbe::Observation::State::Regular, qPrintable(out));
                    QVERIFY2(state == QLatin1String("stale") ? seen->ageSeconds >= 600 : seen->ageSeconds < 5,
                             qPrintable(out));
                }
                continue;
            }
            FileProbe probe(target, 5s);
            r = test::runProbe(probe);
            QVERIFY2(int(r.status) == status, qPrintable(r.summary));
            QVERIFY2(r.summary.contains(summaryPart), qPrintable(r.summary));
        }
    }

    // What stat and date print in a container: GNU's nanoseconds, busybox's whole seconds (it
    // ignores %.9Y's precision and prints %N as is). The age is int(now - mtime), as
    // maykin-common computes it, whenever both times are precise.
    void parseStatOutput_data()
    {
        QTest::addColumn<QByteArray>("output");
        QTest::addColumn<bool>("readable");
        QTest::addColumn<int>("state");
        QTest::addColumn<qint64>("age");
        const int regular = int(FileProbe::Observation::State::Regular);
        QTest::newRow("GNU: 70.9 s is 70")
            << QByteArray("1795654800.100000000\n1795654871.000000000\n") << true << regular << qint64(70);
        QTest::newRow("GNU: across a second boundary")
            << QByteArray("1795654800.900000000\n1795654871.100000000\n") << true << regular << qint64(70);
        QTest::newRow("busybox: whole seconds, %N printed as is")
            << QByteArray("1795654800\n1795654871.%N\n") << true << regular << qint64(71);
        QTest::newRow("mixed precision") << QByteArray("1795654800\n1795654871.5\n") << true << regular << qint64(71);
        QTest::newRow("file from the future")
            << QByteArray("1795654900.0\n1795654871.0\n") << true << regular << qint64(-29);
        QTest::newRow("missing") << QByteArray("missing\n") << true << int(FileProbe::Observation::State::Missing)
                                 << qint64(0);
        QTest::newRow("not a file") << QByteArray("notfile\n") << true << int(FileProbe::Observation::State::NotRegular)
                                    << qint64(0);
        QTest::newRow("stat not installed") << QByteArray("sh: stat: not found\n") << false << regular << qint64(0);
        QTest::newRow("garbage times") << QByteArray("abc\ndef\n") << false << regular << qint64(0);
    }
    void parseStatOutput()
    {
        QFETCH(QByteArray, output);
        QFETCH(bool, readable);
        QFETCH(int, state);
        QFETCH(qint64, age);
        const auto seen = FileProbe::parseStatOutput(output);
        QCOMPARE(seen.has_value(), readable);
        if (!readable)
            return;
        QCOMPARE(int(seen->state), state);
        QCOMPARE(seen->ageSeconds, age);
    }

    // The script itself, with GNU coreutils and with busybox's stat and date (an Alpine
    // container), on a file touched 70.6 s ago: GNU gives maykin-common's 70, busybox whole
    // seconds (70 or 71), and neither is unreadable.
    void statCommandWithGnuAndBusybox_data()
    {
        QTest::addColumn<bool>("busybox");
        QTest::newRow("GNU coreutils") << false;
        QTest::newRow("busybox") << true;
    }
    void statCommandWithGnuAndBusybox()
    {
        QFETCH(bool, busybox);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(QStringLiteral("live"));
        const qint64 touchedNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000 - 70'600'000'000;
        const QString stamp = QStringLiteral("@%1.%2")
                                  .arg(touchedNs / 1'000'000'000)
                                  .arg(touchedNs % 1'000'000'000, 9, 10, QLatin1Char('0'));
        QVERIFY(test::runCommand(QStringLiteral("touch"), {QStringLiteral("-d"), stamp, file}).succeeded());
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        if (busybox) {
            const QString program = QStandardPaths::findExecutable(QStringLiteral("busybox"));
            QVERIFY2(!program.isEmpty(), "busybox not installed (Debian package busybox)");
            for (const QString& applet : {QStringLiteral("sh"), QStringLiteral("stat"), QStringLiteral("date")})
                QVERIFY(QFile::link(program, dir.filePath(applet)));
            environment.insert(QStringLiteral("PATH"), dir.path());
        }
        QStringList argv = FileProbe::statCommand(file);
        const QString shell = busybox ? dir.filePath(QStringLiteral("sh")) : argv.takeFirst();
        if (busybox)
            argv.removeFirst();
        const test::CommandResult result = test::runCommand(shell, argv, 10000, environment);
        QVERIFY2(result.succeeded(), qPrintable(result.describe()));
        const auto seen = FileProbe::parseStatOutput(result.standardOutput);
        QVERIFY2(seen && seen->state == FileProbe::Observation::State::Regular, result.standardOutput.constData());
        if (busybox)
            QVERIFY2(seen->ageSeconds == 70 || seen->ageSeconds == 71, result.standardOutput.constData());
        else
            QVERIFY2(seen->ageSeconds == 70, result.standardOutput.constData());
    }

    // The docker client is installed but no engine runs here: that is the monitor's trouble.
    void containerRuntimeDownIsUnknown()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("docker")).isEmpty())
            QSKIP("no docker client on this machine");
        FileTarget target;
        target.context.kind = ExecContext::Kind::Docker;
        target.context.container = QStringLiteral("openklant-celery-1");
        target.path = QStringLiteral("/app/tmp/celery_worker.ready");
        FileProbe probe(target, 10s);
        const ProbeResult r = test::runProbe(probe);
        QCOMPARE(r.status, ProbeStatus::Unknown);
        QVERIFY2(r.summary.contains(QStringLiteral("container runtime")), qPrintable(r.summary));
    }

    // Without kubectl, or with no cluster to reach, the check cannot run: unknown, never unhealthy.
    void kubernetesUnreachableIsUnknown()
    {
        FileTarget target;
        target.context.kind = ExecContext::Kind::Kubectl;
        target.context.pod = QStringLiteral("worker-0");
        target.context.kubeContext = QStringLiteral("okh-test-no-such-context");
        target.path = QStringLiteral("/app/tmp/celery_worker.ready");
        FileProbe probe(target, 10s);
        const ProbeResult r = test::runProbe(probe);
        QVERIFY2(r.status == ProbeStatus::Unknown, qPrintable(r.summary + u" | " + r.details.value(0).value));
    }

private:
    QString prepare(const QString& state)
    {
        const QString path = m_dir.filePath(state + QString::number(++m_counter));
        if (state == QLatin1String("directory")) {
            QDir().mkpath(path);
        } else if (state != QLatin1String("missing")) {
            QFile f(path);
            if (f.open(QIODevice::WriteOnly))
                f.close();
            if (state == QLatin1String("stale")) {
                f.open(QIODevice::ReadWrite);
                f.setFileTime(QDateTime::currentDateTime().addSecs(-600), QFileDevice::FileModificationTime);
                f.close();
            }
        }
        return path;
    }

    test::RedisServer m_redis;
    test::PostgresServer m_postgres;
    QTemporaryDir m_dir;
    int m_counter = 0;
};

QTEST_GUILESS_MAIN(TestExecProbe)
#include "tst_execprobe.moc"
