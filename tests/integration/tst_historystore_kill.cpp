#include "store/HistoryDatabase.h"
#include "store/HistoryStore.h"
#include "util/Clock.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <cstdio>
#include <cstdlib>

using namespace okh;

namespace {

constexpr int Checks = 4;
const char WriterArgument[] = "--history-writer";

CheckKey checkNumber(int i)
{
    return {QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("check-%1").arg(i)};
}

// The child: records a result for each check every 20 ms with the real clock, as the engine
// would, and reports on stdout what it recorded and what the store committed, until killed.
int runWriter(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    HistoryStore::Options options;
    options.path = QString::fromLocal8Bit(argv[2]);
    HistoryStore store(options, SystemClock::instance()); // default flush interval: 1 s
    QObject::connect(&store, &HistoryStore::batchWritten, &app, [](int, qint64 newestMs) {
        std::printf("written %lld\n", static_cast<long long>(newestMs));
        std::fflush(stdout);
    });
    QObject::connect(&store, &HistoryStore::errorOccurred, &app, [](const QString& message) {
        std::fprintf(stderr, "error %s\n", qPrintable(message));
        std::exit(3);
    });
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&timer, &QTimer::timeout, &app, [&store] {
        const qint64 now = SystemClock::instance().nowMs();
        for (int c = 0; c < Checks; ++c) {
            StoredResult r;
            r.check = checkNumber(c);
            r.timestampMs = now;
            r.result.status = (now / 1000) % 7 == 0 ? ProbeStatus::Unhealthy : ProbeStatus::Healthy;
            // The millisecond within the second, so that the parent can tell the exact time of the newest stored
            // result although results are stored with whole seconds.
            r.result.latencyMs = double(now % 1000);
            r.result.summary = QStringLiteral("at %1").arg(now);
            store.record(r);
        }
        std::printf("recorded %lld\n", static_cast<long long>(now));
        std::fflush(stdout);
    });
    timer.start(20);
    return app.exec();
}

} // namespace

// kill -9 of a process that writes history: the file stays intact and keeps everything up to
// about one flush interval (1 s) before the kill (docs/history.md, "Durability").
class TestHistoryKill : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path() const { return m_dir.filePath(QStringLiteral("history.sqlite")); }

private Q_SLOTS:
    void killNineKeepsTheFileAndTheLastSecond_data()
    {
        QTest::addColumn<int>("recordsAfterFlush"); // the kill comes this many rounds (×20 ms) after a commit
        QTest::newRow("just after a commit") << 3;
        QTest::newRow("mid interval") << 25;
        QTest::newRow("just before the next commit") << 45;
    }
    void killNineKeepsTheFileAndTheLastSecond()
    {
        QFETCH(int, recordsAfterFlush);
        QVERIFY(m_dir.isValid());

        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        int commits = 0;
        int recordsSinceCommit = 0;
        qint64 lastCommitted = 0;
        qint64 killedAt = 0;
        QByteArray pending;
        connect(&child, &QProcess::readyReadStandardOutput, this, [&] {
            pending += child.readAllStandardOutput();
            qsizetype newline;
            while ((newline = pending.indexOf('\n')) >= 0) {
                const QByteArray line = pending.left(newline);
                pending.remove(0, newline + 1);
                if (killedAt != 0)
                    continue;
                if (line.startsWith("written ")) {
                    ++commits;
                    recordsSinceCommit = 0;
                    lastCommitted = line.mid(8).toLongLong();
                } else if (line.startsWith("recorded ") && commits >= 2 && ++recordsSinceCommit == recordsAfterFlush) {
                    killedAt = QDateTime::currentMSecsSinceEpoch();
                    child.kill(); // SIGKILL
                }
            }
        });
        child.start(QCoreApplication::applicationFilePath(), {QString::fromLatin1(WriterArgument), path()});
        QVERIFY2(child.waitForStarted(10000), qPrintable(child.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(killedAt != 0 || child.state() == QProcess::NotRunning, 30000);
        QVERIFY2(killedAt != 0, "the writer stopped by itself");
        QTRY_COMPARE_WITH_TIMEOUT(child.state(), QProcess::NotRunning, 10000);
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        qint64 newest = 0;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inspect"));
            db.setDatabaseName(path());
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("PRAGMA integrity_check")));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toString(), QStringLiteral("ok"));
            QVERIFY(query.exec(
                QStringLiteral("SELECT max(ts * 1000 + latency / 10), count(DISTINCT check_id) FROM results")));
            QVERIFY(query.next());
            newest = query.value(0).toLongLong();
            QCOMPARE(query.value(1).toInt(), Checks);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("inspect"));

        // Everything the child saw committed survived the kill ...
        QVERIFY2(newest >= lastCommitted,
                 qPrintable(QStringLiteral("newest %1 ms, committed %2 ms").arg(newest).arg(lastCommitted)));
        // ... and that reaches to about a second before it: one flush interval, plus scheduling
        // slack on a busy machine.
        const qint64 lostMs = killedAt - newest;
        qInfo("kill -9 %lld ms after the last commit; the newest stored result is %lld ms older than the kill",
              static_cast<long long>(killedAt - lastCommitted), static_cast<long long>(lostMs));
        QVERIFY2(lostMs <= 1500, qPrintable(QString::number(lostMs)));

        // The store opens the file again; the next row kills the writer on the same file.
        HistoryDatabase reopened(QStringLiteral("reopen"));
        QVERIFY2(reopened.open(path()), qPrintable(reopened.lastError()));
        QCOMPARE(reopened.latestResults().size(), Checks);
        QVERIFY(!reopened.incidents({0, killedAt + 1000}).isEmpty());
    }
};

int main(int argc, char** argv)
{
    if (argc == 3 && qstrcmp(argv[1], WriterArgument) == 0)
        return runWriter(argc, argv);
    QCoreApplication app(argc, argv);
    TestHistoryKill test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_historystore_kill.moc"
