// history-bench: how big the history file gets and how fast its queries are, on data shaped like
// a real deployment's (docs/history.md, "Measured").
//
//   history-bench [--checks 100] [--days 30] [--interval 10] [--older-days 335] [--runs 9]
//                 [--file /tmp/okhealth-history-bench.sqlite] [--keep]
//
// Results go in through HistoryDatabase::write() in batches, as the store's worker writes them,
// and the rollups come from HistoryDatabase::maintain(), as in the running store; the same tables,
// the same statements. Hour rollups for the --older-days before that are inserted directly, as the
// remains of a year of history whose results and minute rollups were pruned. Queries go through
// HistoryStore: the time includes the hop to its worker thread and back.

#include "store/HistoryDatabase.h"
#include "store/HistoryStore.h"
#include "util/Clock.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>
#include <algorithm>
#include <functional>
#include <random>

using namespace okh;

namespace {

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

constexpr qint64 HourMs = 3'600'000;
constexpr qint64 DayMs = 24 * HourMs;

// Fixed "now" for the queries: the end of the generated data.
class FixedClock final : public Clock
{
public:
    explicit FixedClock(qint64 ms)
        : m_ms(ms)
    { }
    qint64 nowMs() const override { return m_ms; }

private:
    qint64 m_ms;
};

CheckKey checkNumber(int i)
{
    // A deployment of 10 services with 10 checks each (the Open Klant profile has 6 services).
    return {QStringLiteral("openklant-%1").arg(i / 50), QStringLiteral("service-%1").arg(i / 10),
            QStringLiteral("check-%1").arg(i % 10)};
}

// One check's results: a typical latency, rare slow answers, now and then a run of failures
// (a restart, an outage) and a few results the monitor could not judge.
class CheckSimulator
{
public:
    CheckSimulator(int index, quint64 seed)
        : m_random(seed + quint64(index))
        , m_baseMs(3.0 + double(index % 17) * 4.0)
    { }

    void next(qint64 timestampMs, StoredResult* r)
    {
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        r->timestampMs = timestampMs;
        r->result.summary.clear();
        r->result.details.clear();
        if (m_failuresLeft == 0 && unit(m_random) < 1.0 / 17'280) // about one outage per 2 days at 10 s
            m_failuresLeft = 3 + int(unit(m_random) * 30);
        if (m_failuresLeft > 0) {
            --m_failuresLeft;
            r->result.status = ProbeStatus::Unhealthy;
            r->result.latencyMs = 1000.0;
            r->result.summary = QStringLiteral("HTTP 503 Service Unavailable");
            r->result.details = {{QStringLiteral("status"), QStringLiteral("503")},
                                 {QStringLiteral("body"), QStringLiteral("{\"database\": \"unavailable\"}")}};
            r->result.hint = QStringLiteral("Is the database reachable?");
        } else if (unit(m_random) < 0.001) {
            r->result.status = ProbeStatus::Unknown;
            r->result.latencyMs = 0.0;
        } else {
            r->result.status = ProbeStatus::Healthy;
            const double jitter = 0.7 + 0.6 * unit(m_random);
            const double spike = unit(m_random) < 0.01 ? 5.0 + 10.0 * unit(m_random) : 1.0;
            r->result.latencyMs = m_baseMs * jitter * spike;
        }
        // The engine's state: as the raw status here (thresholds of 1).
        r->state.reset();
    }

private:
    std::mt19937_64 m_random;
    double m_baseMs;
    int m_failuresLeft = 0;
};

struct Timing
{
    QString name;
    double firstMs = 0;
    double medianMs = 0;
    QString note;
};

template<typename T>
Timing time(const QString& name, int runs, const std::function<QFuture<T>()>& query,
            const std::function<QString(const T&)>& describe)
{
    QList<double> ms;
    QString note;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        QFuture<T> future = query();
        future.waitForFinished(); // the worker thread fulfils it; nothing here needs an event loop
        ms.append(double(timer.nsecsElapsed()) / 1e6);
        if (i == 0)
            note = describe(future.result());
    }
    Timing t{name, ms.first(), 0, note};
    std::sort(ms.begin(), ms.end());
    t.medianMs = ms.at(ms.size() / 2);
    return t;
}

QString resolutionName(HistoryResolution r)
{
    switch (r) {
    case HistoryResolution::Raw:
        return QStringLiteral("raw");
    case HistoryResolution::Minute:
        return QStringLiteral("minute");
    case HistoryResolution::Hour:
        return QStringLiteral("hour");
    }
    return {};
}

qint64 scalar(QSqlDatabase& db, const QString& sql)
{
    QSqlQuery query(db);
    if (query.exec(sql) && query.next())
        return query.value(0).toLongLong();
    return -1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Size and query times of the OK Health history file."));
    parser.addHelpOption();
    const QCommandLineOption checksOption(QStringLiteral("checks"), QStringLiteral("Checks."), QStringLiteral("n"),
                                          QStringLiteral("100"));
    const QCommandLineOption daysOption(QStringLiteral("days"), QStringLiteral("Days of results."), QStringLiteral("n"),
                                        QStringLiteral("30"));
    const QCommandLineOption intervalOption(QStringLiteral("interval"), QStringLiteral("Seconds between results."),
                                            QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption olderOption(QStringLiteral("older-days"),
                                         QStringLiteral("Days of hour rollups before the results."),
                                         QStringLiteral("n"), QStringLiteral("335"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("Runs per query."), QStringLiteral("n"),
                                        QStringLiteral("9"));
    const QCommandLineOption fileOption(QStringLiteral("file"), QStringLiteral("The history file to create."),
                                        QStringLiteral("path"), QStringLiteral("/tmp/okhealth-history-bench.sqlite"));
    const QCommandLineOption keepOption(QStringLiteral("keep"), QStringLiteral("Keep the file afterwards."));
    parser.addOptions({checksOption, daysOption, intervalOption, olderOption, runsOption, fileOption, keepOption});
    parser.process(app);

    const int checks = parser.value(checksOption).toInt();
    const int days = parser.value(daysOption).toInt();
    const int interval = parser.value(intervalOption).toInt();
    const int olderDays = parser.value(olderOption).toInt();
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const QString path = parser.value(fileOption);
    if (checks <= 0 || days <= 0 || interval <= 0) {
        out() << "history-bench: --checks, --days and --interval must be positive\n";
        return 2;
    }
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);

    const qint64 endMs = SystemClock::instance().nowMs() / HourMs * HourMs;
    const qint64 startMs = endMs - days * DayMs;
    const qint64 rounds = (endMs - startMs) / (interval * 1000LL);
    out() << "history-bench: " << checks << " checks, one result every " << interval << " s for " << days
          << " days = " << rounds * checks << " results; then " << olderDays << " days of hour rollups before\n";
    out().flush();

    qint64 results = 0;
    double writeSeconds = 0;
    double maintainSeconds = 0;
    int slices = 0;
    double longestSliceMs = 0;
    StoreStats afterResults;
    {
        HistoryDatabase db(QStringLiteral("bench"));
        if (!db.open(path)) {
            out() << "history-bench: " << db.lastError() << '\n';
            return 1;
        }
        QList<CheckSimulator> simulators;
        for (int c = 0; c < checks; ++c)
            simulators.append(CheckSimulator(c, 20'240'601));
        QList<StoredResult> batch;
        batch.reserve(10'000);
        QList<CheckKey> keys;
        for (int c = 0; c < checks; ++c)
            keys.append(checkNumber(c));

        QElapsedTimer timer;
        timer.start();
        int progress = 0;
        for (qint64 round = 0; round < rounds; ++round) {
            const qint64 at = startMs + round * interval * 1000LL;
            for (int c = 0; c < checks; ++c) {
                StoredResult r;
                r.check = keys.at(c);
                // Checks do not all fire in the same millisecond.
                simulators[c].next(at + (c * 37) % (interval * 1000LL), &r);
                batch.append(std::move(r));
            }
            if (batch.size() >= 10'000 || round + 1 == rounds) {
                if (!db.write(batch)) {
                    out() << "history-bench: " << db.lastError() << '\n';
                    return 1;
                }
                results += batch.size();
                batch.clear();
            }
            const int percent = int(100 * (round + 1) / rounds);
            if (percent >= progress + 10) {
                progress = percent;
                out() << "  written " << percent << " % ("
                      << qint64(double(results) / (double(timer.elapsed()) / 1000.0)) << " results/s)\n";
                out().flush();
            }
        }
        writeSeconds = double(timer.elapsed()) / 1000.0;

        timer.restart();
        MaintenanceReport slice;
        do {
            QElapsedTimer one;
            one.start();
            slice = db.maintain(endMs + 60'000, RetentionPolicy{0, 0, 0});
            longestSliceMs = std::max(longestSliceMs, double(one.nsecsElapsed()) / 1e6);
            ++slices;
        } while (slice.moreWork);
        maintainSeconds = double(timer.elapsed()) / 1000.0;
        afterResults = db.stats(); // checkpoints the WAL first
    }

    // What a year-old store also holds: hour rollups of the time before, whose finer rows are pruned.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("older"));
        db.setDatabaseName(path);
        db.open();
        QSqlQuery insert(db);
        db.transaction();
        insert.prepare(QStringLiteral("INSERT INTO rollup_hour(check_id, ts, ok, fail, unknown, p50, p95, max)"
                                      " VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
        std::mt19937 random(7);
        const qint64 perHour = 3600 / interval;
        for (int id = 1; id <= checks; ++id) {
            for (qint64 ts = (startMs - olderDays * DayMs) / 1000; ts < startMs / 1000; ts += 3600) {
                const qint64 fail = random() % 200 == 0 ? 12 : 0;
                const qint32 base = 30 + 40 * (id % 17);
                insert.addBindValue(id);
                insert.addBindValue(ts);
                insert.addBindValue(perHour - fail);
                insert.addBindValue(fail);
                insert.addBindValue(0);
                insert.addBindValue(base);
                insert.addBindValue(base * 2);
                insert.addBindValue(base * 6);
                if (!insert.exec()) {
                    out() << "history-bench: " << insert.lastError().text() << '\n';
                    return 1;
                }
            }
        }
        db.commit();
        QSqlQuery(db).exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("older"));

    const double perResult = double(afterResults.fileBytes) / double(afterResults.results);
    out() << "\n## Size (after the results and their rollups, WAL checkpointed)\n"
          << "results " << afterResults.results << ", minute rows " << afterResults.minuteRows << ", hour rows "
          << afterResults.hourRows << ", incidents " << afterResults.incidents << '\n'
          << "file " << QString::number(double(afterResults.fileBytes) / 1048576.0, 'f', 1)
          << " MiB = " << QString::number(perResult, 'f', 1) << " bytes per result\n";
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("size"));
        db.setDatabaseName(path);
        db.open();
        QSqlQuery query(db);
        if (query.exec(
                QStringLiteral("SELECT name, sum(pgsize), sum(ncell) FROM dbstat GROUP BY name ORDER BY 2 DESC"))) {
            out() << "per table (dbstat, whole file now, with the older hour rows):\n";
            while (query.next())
                out() << "  " << query.value(0).toString() << ": "
                      << QString::number(query.value(1).toDouble() / 1048576.0, 'f', 1) << " MiB\n";
        } else {
            out() << "per table: dbstat is not available in this SQLite\n";
        }
        out() << "whole file now: "
              << QString::number(double(scalar(db, QStringLiteral("PRAGMA page_count"))
                                        * scalar(db, QStringLiteral("PRAGMA page_size")))
                                     / 1048576.0,
                                 'f', 1)
              << " MiB\n";
    }
    QSqlDatabase::removeDatabase(QStringLiteral("size"));

    out() << "\n## Writing\n"
          << "bulk write (HistoryDatabase::write, 10 000 per transaction): " << qint64(double(results) / writeSeconds)
          << " results/s (" << QString::number(writeSeconds, 'f', 1) << " s)\n"
          << "rollups of all of it (HistoryDatabase::maintain): " << QString::number(maintainSeconds, 'f', 1)
          << " s in " << slices << " slices, longest " << QString::number(longestSliceMs, 'f', 1) << " ms\n";
    out().flush();

    // Queries through the store, as the GUI asks them.
    const FixedClock clock(endMs);
    HistoryStore::Options options;
    options.path = path;
    options.retention = {0, 0, 0};
    options.maintenanceInterval = std::chrono::milliseconds(0);
    HistoryStore store(options, clock);

    // The live path: record() from the engine's thread, then the commit on the worker.
    {
        const int live = 100'000;
        QList<StoredResult> items;
        CheckSimulator simulator(0, 1);
        for (int i = 0; i < live; ++i) {
            StoredResult r;
            r.check = checkNumber(i % checks);
            simulator.next(endMs + 60'000 + (i / checks) * interval * 1000LL + i % checks, &r);
            items.append(r);
        }
        QElapsedTimer timer;
        timer.start();
        qint64 slowestNs = 0;
        for (const StoredResult& r : std::as_const(items)) {
            const qint64 before = timer.nsecsElapsed();
            store.record(r);
            slowestNs = std::max(slowestNs, timer.nsecsElapsed() - before);
        }
        const double recordMs = double(timer.nsecsElapsed()) / 1e6;
        store.flush().waitForFinished();
        const double totalMs = double(timer.nsecsElapsed()) / 1e6;
        out() << "live path: record() " << QString::number(recordMs * 1000.0 / live, 'f', 2) << " µs per call (slowest "
              << QString::number(double(slowestNs) / 1000.0, 'f', 0) << " µs); " << live << " results committed after "
              << QString::number(totalMs, 'f', 0) << " ms = " << qint64(live / (totalMs / 1000.0)) << " results/s\n";
    }

    const CheckKey one = checkNumber(checks / 2);
    const auto range = [endMs](qint64 span) { return TimeRange{endMs - span, endMs}; };
    const auto series = [&](const QString& name, qint64 span, int points) {
        return time<LatencySeries>(
            name, runs, [&] { return store.latencySeries(one, range(span), points); },
            [](const LatencySeries& s) {
                qint64 n = 0;
                for (const LatencyPoint& p : s.points)
                    n += p.ok + p.fail + p.unknown;
                return QStringLiteral("%1 points from %2 rows, %3 results")
                    .arg(s.points.size())
                    .arg(resolutionName(s.resolution), QString::number(n));
            });
    };
    const auto uptime = [&](const QString& name, qint64 span, const CheckFilter& filter) {
        return time<UptimeReport>(
            name, runs, [&] { return store.uptime(range(span), filter); },
            [](const UptimeReport& r) {
                return QStringLiteral("%1 checks, %2 services, %3 deployments")
                    .arg(r.checks.size())
                    .arg(r.services.size())
                    .arg(r.deployments.size());
            });
    };
    const auto timeline = [&](const QString& name, qint64 span) {
        return time<QList<StatusRun>>(
            name, runs, [&] { return store.timeline(one, range(span)); },
            [](const QList<StatusRun>& runs) { return QStringLiteral("%1 runs").arg(runs.size()); });
    };

    QList<Timing> timings;
    timings << series(QStringLiteral("latency 1 h, 300 points"), HourMs, 300)
            << series(QStringLiteral("latency 24 h, 300 points"), DayMs, 300)
            << series(QStringLiteral("latency 7 d, 300 points"), 7 * DayMs, 300)
            << series(QStringLiteral("latency 30 d, 300 points"), 30 * DayMs, 300)
            << series(QStringLiteral("latency 30 d, 1000 points"), 30 * DayMs, 1000)
            << series(QStringLiteral("latency 30 d, 10000 points"), 30 * DayMs, 10000)
            << series(QStringLiteral("latency 1 y, 365 points"), 365 * DayMs, 365)
            << uptime(QStringLiteral("uptime 24 h, one check"), DayMs, {one.deployment, one.service, one.check})
            << uptime(QStringLiteral("uptime 30 d, one check"), 30 * DayMs, {one.deployment, one.service, one.check})
            << uptime(QStringLiteral("uptime 24 h, all checks"), DayMs, {})
            << uptime(QStringLiteral("uptime 30 d, all checks"), 30 * DayMs, {})
            << uptime(QStringLiteral("uptime 1 y, all checks"), 365 * DayMs, {})
            << timeline(QStringLiteral("timeline 24 h"), DayMs) << timeline(QStringLiteral("timeline 30 d"), 30 * DayMs)
            << time<QList<LatestResult>>(
                   QStringLiteral("latest result per check"), runs, [&] { return store.latestResults(); },
                   [](const QList<LatestResult>& l) { return QStringLiteral("%1 checks").arg(l.size()); })
            << time<QList<Incident>>(
                   QStringLiteral("incidents 30 d, all checks"), runs,
                   [&] { return store.incidents(range(30 * DayMs)); },
                   [](const QList<Incident>& l) { return QStringLiteral("%1 incidents").arg(l.size()); });

    out() << "\n## Queries through HistoryStore (ms; first run, median of " << runs << ")\n";
    for (const Timing& t : std::as_const(timings))
        out() << "  " << t.name.leftJustified(32) << QString::number(t.firstMs, 'f', 2).rightJustified(9)
              << QString::number(t.medianMs, 'f', 2).rightJustified(9) << "   " << t.note << '\n';
    out().flush();

    if (!parser.isSet(keepOption)) {
        for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(path + suffix);
    }
    return 0;
}
