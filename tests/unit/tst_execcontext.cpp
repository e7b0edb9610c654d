#include "exec/ExecContext.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

using okh::ExecContext;

class TestExecContext : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wrap_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("argv");
        const QStringList cmd{QStringLiteral("cat"), QStringLiteral("/app/tmp/x")};
        QTest::newRow("local") << int(ExecContext::Kind::Local) << QString() << cmd;
        QTest::newRow("docker") << int(ExecContext::Kind::Docker) << QStringLiteral("openklant-celery-1")
                                << QStringList{QStringLiteral("docker"), QStringLiteral("exec"),
                                               QStringLiteral("openklant-celery-1")}
                + cmd;
        QTest::newRow("compose") << int(ExecContext::Kind::Compose) << QStringLiteral("celery")
                                 << QStringList{QStringLiteral("docker"), QStringLiteral("compose"),
                                                QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("celery")}
                + cmd;
        QTest::newRow("kubectl") << int(ExecContext::Kind::Kubectl) << QStringLiteral("openklant-worker-7d9f")
                                 << QStringList{QStringLiteral("kubectl"), QStringLiteral("exec"),
                                                QStringLiteral("openklant-worker-7d9f"), QStringLiteral("--")}
                + cmd;
        QTest::newRow("a name that looks like an option is refused")
            << int(ExecContext::Kind::Docker) << QStringLiteral("--privileged") << QStringList();
        QTest::newRow("an empty name is refused") << int(ExecContext::Kind::Compose) << QString() << QStringList();
    }
    void wrap()
    {
        QFETCH(int, kind);
        QFETCH(QString, name);
        QFETCH(QStringList, argv);
        ExecContext c;
        c.kind = ExecContext::Kind(kind);
        c.container = name;
        c.service = name;
        c.pod = name;
        if (c.kind == ExecContext::Kind::Kubectl)
            c.container.clear();
        QCOMPARE(c.wrap({QStringLiteral("cat"), QStringLiteral("/app/tmp/x")}), argv);
        QCOMPARE(c.validationError().isEmpty(), !argv.isEmpty());
    }

    void kubectlOptions()
    {
        ExecContext c;
        c.kind = ExecContext::Kind::Kubectl;
        c.pod = QStringLiteral("worker-0");
        c.kubeNamespace = QStringLiteral("openklant");
        c.container = QStringLiteral("celery");
        c.kubeContext = QStringLiteral("prod");
        QCOMPARE(c.wrap({QStringLiteral("true")}),
                 (QStringList{QStringLiteral("kubectl"), QStringLiteral("--context"), QStringLiteral("prod"),
                              QStringLiteral("-n"), QStringLiteral("openklant"), QStringLiteral("exec"),
                              QStringLiteral("worker-0"), QStringLiteral("-c"), QStringLiteral("celery"),
                              QStringLiteral("--"), QStringLiteral("true")}));
    }

    // The quoting is judged by a real shell: whatever the argument holds comes back verbatim.
    void shellQuoteSurvivesAShell_data()
    {
        QTest::addColumn<QString>("argument");
        QTest::newRow("plain") << QStringLiteral("/app/tmp/celery_worker.ready");
        QTest::newRow("spaces") << QStringLiteral("a file with spaces");
        QTest::newRow("single quote") << QStringLiteral("it's");
        QTest::newRow("command substitution") << QStringLiteral("$(touch /tmp/okh-pwned)`id`");
        QTest::newRow("separators") << QStringLiteral("x; rm -rf / && echo | cat > y");
        QTest::newRow("glob and newline") << QStringLiteral("*\n?[a]");
    }
    void shellQuoteSurvivesAShell()
    {
        QFETCH(QString, argument);
        QProcess sh;
        sh.start(QStringLiteral("sh"),
                 {QStringLiteral("-c"), QStringLiteral("printf '%s' ") + okh::shellJoin({argument})});
        QVERIFY(sh.waitForFinished(5000));
        QCOMPARE(QString::fromUtf8(sh.readAllStandardOutput()), argument);
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/okh-pwned")));
    }

    // The bounded command as an SSH host with GNU timeout runs it, judged by a real shell:
    // argv's output and exit status come through; past its limit it is killed.
    void boundedArgv_data()
    {
        QTest::addColumn<QStringList>("argv");
        QTest::addColumn<int>("limitMs");
        QTest::addColumn<QString>("output");
        QTest::addColumn<int>("exitCode"); // or the signal that ended it
        QTest::addColumn<bool>("killed");
        QTest::newRow("output and exit status kept")
            << QStringList{QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                           QStringLiteral("printf '%s' \"$1\"; exit 3"), QStringLiteral("sh"),
                           QStringLiteral("it's $(id); `id`")}
            << 5000 << QStringLiteral("it's $(id); `id`") << 3 << false;
        QTest::newRow("killed (SIGKILL) a second after its limit")
            << QStringList{QStringLiteral("sleep"), QStringLiteral("30")} << 1 << QString() << 9 << true;
    }
    void boundedArgv()
    {
        QFETCH(QStringList, argv);
        QFETCH(int, limitMs);
        QFETCH(QString, output);
        QFETCH(int, exitCode);
        QFETCH(bool, killed);
        QProcess sh;
        QElapsedTimer clock;
        clock.start();
        sh.start(QStringLiteral("/bin/sh"),
                 {QStringLiteral("-c"), okh::shellJoin(okh::boundedArgv(argv, std::chrono::milliseconds(limitMs)))});
        QVERIFY(sh.waitForFinished(10'000));
        QCOMPARE(QString::fromUtf8(sh.readAllStandardOutput()), output);
        if (killed) { // by SIGKILL, or the shell's report of it (128 + 9), as the shell forks or execs
            const bool bySignal = sh.exitStatus() == QProcess::CrashExit && sh.exitCode() == exitCode;
            const bool reported = sh.exitStatus() == QProcess::NormalExit && sh.exitCode() == 128 + exitCode;
            QVERIFY2(bySignal || reported, qPrintable(QString::number(sh.exitCode())));
        } else {
            QCOMPARE(sh.exitStatus(), QProcess::NormalExit);
            QCOMPARE(sh.exitCode(), exitCode);
        }
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestExecContext)
#include "tst_execcontext.moc"
