#include "ManualClock.h"
#include "store/HistoryStore.h"
#include "util/Clock.h"

#include <QAtomicInteger>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace okh;
using namespace std::chrono_literals;

namespace {

// 2023-11-14 22:00:00 UTC, the start of an hour.
constexpr qint64 T0 = 1'699'999'200'000;
constexpr qint64 Minute = 60'000;
constexpr qint64 Hour = 3'600'000;
constexpr qint64 Day = 24 * Hour;

const CheckKey WebHealth{QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("health")};
const CheckKey WebTcp{QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("tcp")};
const CheckKey RedisPing{QStringLiteral("prod"), QStringLiteral("redis"), QStringLiteral("ping")};
const CheckKey StagingWeb{QStringLiteral("staging"), QStringLiteral("web"), QStringLiteral("health")};

StoredResult result(const CheckKey& check, qint64 ms, ProbeStatus status, double latencyMs = 0.0)
{
    StoredResult r;
    r.check = check;
    r.timestampMs = ms;
    r.result.status = status;
    r.result.latencyMs = latencyMs;
    return r;
}

StoredResult healthy(const CheckKey& check, qint64 ms, double latencyMs = 5.0)
{
    return result(check, ms, ProbeStatus::Healthy, latencyMs);
}

// Waits for a future fulfilled on the worker thread, with the event loop running.
template<typename T> bool finished(const QFuture<T>& future, int timeoutMs = 20000)
{
    if (future.isFinished())
        return true;
    QFutureWatcher<T> watcher;
    QSignalSpy spy(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(future);
    return future.isFinished() || spy.wait(timeoutMs) || future.isFinished();
}

// The future's result; a failed test (and an empty value) when it does not come.
template<typename T> T await(const QFuture<T>& future)
{
    if (!finished(future) || future.isCanceled() || future.resultCount() == 0) {
        QTest::qFail("the store did not answer", __FILE__, __LINE__);
        return T{};
    }
    return future.result();
}

} // namespace

class TestHistoryStore : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    ManualClock m_clock;

    QString path() const { return m_dir->filePath(QStringLiteral("history.sqlite")); }

    HistoryStore::Options testOptions(RetentionPolicy retention = {}) const
    {
        HistoryStore::Options options;
        options.path = path();
        options.retention = retention;
        options.flushInterval = 50ms;
        options.maintenanceInterval = 0ms; // tests run maintenance themselves, at the fake time they choose
        return options;
    }
    std::unique_ptr<HistoryStore> openStore(RetentionPolicy retention = {})
    {
        return std::make_unique<HistoryStore>(testOptions(retention), m_clock);
    }

    // A value read through a second connection, as another process would see the file.
    QVariant scalar(const QString& sql)
    {
        QVariant value;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inspect"));
            db.setDatabaseName(path());
            if (db.open()) {
                QSqlQuery query(db);
                if (query.exec(sql) && query.next())
                    value = query.value(0);
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("inspect"));
        return value;
    }
    qint64 count(const QString& sql) { return scalar(sql).toLongLong(); }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_clock.set(T0);
    }

    void roundTrip()
    {
        auto store = openStore();
        QSignalSpy written(store.get(), &HistoryStore::batchWritten);
        store->record(healthy(WebHealth, T0 + 1'000, 12.34));
        store->record(healthy(WebHealth, T0 + 11'500, 8.0));
        store->record(result(RedisPing, T0 + 2'000, ProbeStatus::Unhealthy, 1000.0));
        // Written by the flush timer, without being asked.
        QVERIFY(written.wait(5000));

        const QList<LatestResult> latest = await(store->latestResults());
        QCOMPARE(latest.size(), 2);
        QCOMPARE(latest.at(0).check, WebHealth);
        QCOMPARE(latest.at(0).timestampMs, T0 + 11'000); // whole seconds
        QCOMPARE(latest.at(0).status, ProbeStatus::Healthy);
        QCOMPARE(latest.at(0).latencyMs, 8.0);
        QVERIFY(latest.at(0).state.has_value());
        QCOMPARE(latest.at(0).state->status, ProbeStatus::Healthy);
        QCOMPARE(latest.at(0).state->startMs, T0 + 1'000);
        QCOMPARE(latest.at(1).check, RedisPing);
        QCOMPARE(latest.at(1).status, ProbeStatus::Unhealthy);
        QCOMPARE(latest.at(1).latencyMs, 1000.0);

        // As the GUI takes an answer: back on its own thread through a continuation.
        qsizetype answered = -1;
        store->latestResults().then(this, [&answered](const QList<LatestResult>& rows) { answered = rows.size(); });
        QTRY_COMPARE(answered, qsizetype(2));

        const QList<LatestResult> redisOnly = await(store->latestResults({{}, QStringLiteral("redis"), {}}));
        QCOMPARE(redisOnly.size(), 1);

        // Latency is kept in tenths of a millisecond.
        const LatencySeries series = await(store->latencySeries(WebHealth, {T0, T0 + Minute}, 60));
        QCOMPARE(series.resolution, HistoryResolution::Raw);
        QCOMPARE(series.points.at(1).p50Ms, std::optional<double>(12.3));
    }

    void queriesSeeWhatWasRecordedBefore()
    {
        auto store = openStore();
        for (int i = 0; i < 100; ++i)
            store->record(healthy(WebHealth, T0 + i * 1000));
        // No wait for a flush: the query commits the queue first.
        const UptimeReport report = await(store->uptime({T0, T0 + Hour}));
        QCOMPARE(report.checks.size(), 1);
        QCOMPARE(report.checks.at(0).counts.ok, qint64(100));
    }

    // A file that cannot be opened yet (where its directory should be, a file is in the way) is
    // tried again; the results recorded meanwhile wait and are written once it opens.
    void fileThatOpensLaterGetsTheWaitingResults()
    {
        const QString dir = m_dir->filePath(QStringLiteral("later"));
        QFile blocker(dir);
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        HistoryStore::Options options = testOptions();
        options.path = dir + QStringLiteral("/history.sqlite");
        options.reopenInterval = 100ms;
        HistoryStore store(options, m_clock);
        QSignalSpy errors(&store, &HistoryStore::errorOccurred);
        for (int i = 0; i < 10; ++i)
            store.record(healthy(WebHealth, T0 + i * 1000));
        QVERIFY(errors.wait(2000));
        QCOMPARE(await(store.stats()).open, false);

        QSignalSpy written(&store, &HistoryStore::batchWritten);
        QVERIFY(QFile::remove(dir));
        QVERIFY(written.wait(2000));
        QCOMPARE(await(store.stats()).open, true);
        const UptimeReport report = await(store.uptime({T0, T0 + Hour}));
        QCOMPARE(report.checks.size(), 1);
        QCOMPARE(report.checks.at(0).counts.ok, qint64(10));
    }

    void transitionsOpenIncidents()
    {
        auto store = openStore();
        StoredResult failing = result(WebHealth, T0 + 20'000, ProbeStatus::Unhealthy, 31.5);
        failing.result.summary = QStringLiteral("HTTP 503 Service Unavailable");
        failing.result.details = {{QStringLiteral("status"), QStringLiteral("503")},
                                  {QStringLiteral("body"), QStringLiteral("{\"db\": \"down\"}")},
                                  {QStringLiteral("components"), QStringLiteral("db: down, cache: ok")}};
        failing.result.hint = QStringLiteral("Is PostgreSQL running?");

        store->record(healthy(WebHealth, T0));
        store->record(healthy(WebHealth, T0 + 10'000));
        store->record(failing);
        store->record(result(WebHealth, T0 + 30'000, ProbeStatus::Unhealthy, 40.0));
        StoredResult recovered = healthy(WebHealth, T0 + 40'000);
        recovered.result.summary = QStringLiteral("HTTP 200");
        store->record(recovered);

        const QList<Incident> incidents = await(store->incidents({T0, T0 + Hour}));
        QCOMPARE(incidents.size(), 3);
        QCOMPARE(incidents.at(0).status, ProbeStatus::Healthy);
        QVERIFY(!incidents.at(0).previous.has_value());
        QCOMPARE(incidents.at(0).startMs, T0);
        QCOMPARE(incidents.at(0).endMs, std::optional<qint64>(T0 + 20'000));

        const Incident& outage = incidents.at(1);
        QCOMPARE(outage.check, WebHealth);
        QCOMPARE(outage.status, ProbeStatus::Unhealthy);
        QCOMPARE(outage.previous, std::optional<ProbeStatus>(ProbeStatus::Healthy));
        QCOMPARE(outage.startMs, T0 + 20'000);
        QCOMPARE(outage.endMs, std::optional<qint64>(T0 + 40'000));
        QCOMPARE(outage.latencyMs, 31.5);
        QCOMPARE(outage.summary, failing.result.summary);
        QCOMPARE(outage.details, failing.result.details);
        QCOMPARE(outage.hint, failing.result.hint);

        QCOMPARE(incidents.at(2).status, ProbeStatus::Healthy);
        QVERIFY(!incidents.at(2).endMs.has_value());
        QCOMPARE(incidents.at(2).summary, QStringLiteral("HTTP 200"));

        // Only what overlaps the range.
        QCOMPARE(await(store->incidents({T0 + 25'000, T0 + 35'000})).size(), 1);
        QCOMPARE(await(store->incidents({T0, T0 + Hour}, {{}, QStringLiteral("redis"), {}})).size(), 0);
    }

    // incidentsChanged: each committed change of state, once, with the incident it opened and
    // the one it closed (ids as incidents() reads them); a result in the same state sends nothing.
    void incidentChangesAreSignalled()
    {
        auto store = openStore();
        QSignalSpy changed(store.get(), &HistoryStore::incidentsChanged);
        store->record(healthy(WebHealth, T0));
        store->record(healthy(WebHealth, T0 + 10'000));
        store->record(result(WebHealth, T0 + 20'000, ProbeStatus::Unhealthy));
        store->flush().waitForFinished();
        QVERIFY(changed.wait(2000) || !changed.isEmpty());
        QList<IncidentChange> changes;
        for (const QList<QVariant>& emitted : std::as_const(changed))
            changes += emitted.first().value<QList<IncidentChange>>();
        QCOMPARE(changes.size(), 2); // the first state, then the outage; not the second healthy
        const QList<Incident> incidents = await(store->incidents({T0, T0 + Hour}));
        QCOMPARE(incidents.size(), 2);
        QCOMPARE(changes.at(0).check, WebHealth);
        QCOMPARE(changes.at(0).openedId, incidents.at(0).id);
        QCOMPARE(changes.at(0).closedId, 0);
        QVERIFY(!changes.at(0).previous.has_value());
        QCOMPARE(changes.at(1).status, ProbeStatus::Unhealthy);
        QCOMPARE(changes.at(1).previous, std::optional<ProbeStatus>(ProbeStatus::Healthy));
        QCOMPARE(changes.at(1).openedId, incidents.at(1).id);
        QCOMPARE(changes.at(1).closedId, incidents.at(0).id);
        QCOMPARE(changes.at(1).atMs, T0 + 20'000);

        changed.clear();
        store->record(result(WebHealth, T0 + 30'000, ProbeStatus::Unhealthy));
        store->flush().waitForFinished();
        QVERIFY(!changed.wait(300));
    }

    // The incidents list a page at a time: newest first, no incident twice or left out across
    // pages, `more` until the last page; problems only and the check filter apply before LIMIT.
    void incidentPages_data()
    {
        QTest::addColumn<QString>("service");
        QTest::addColumn<bool>("problemsOnly");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QList<int>>("pageSizes");
        QTest::newRow("web, pages of 4") << QStringLiteral("web") << false << 4 << QList<int>{4, 4, 2};
        QTest::newRow("web, one page") << QStringLiteral("web") << false << 100 << QList<int>{10};
        QTest::newRow("exactly full pages") << QStringLiteral("web") << false << 5 << QList<int>{5, 5};
        QTest::newRow("problems only") << QStringLiteral("web") << true << 2 << QList<int>{2, 2, 1};
        QTest::newRow("another service") << QStringLiteral("redis") << false << 4 << QList<int>{2};
        QTest::newRow("no such service") << QStringLiteral("nginx") << false << 4 << QList<int>{0};
    }
    void incidentPages()
    {
        QFETCH(QString, service);
        QFETCH(bool, problemsOnly);
        QFETCH(int, limit);
        QFETCH(QList<int>, pageSizes);
        auto store = openStore();
        for (int i = 0; i < 10; ++i) // every result flips: 10 incidents, 5 of them unhealthy
            store->record(result(WebHealth, T0 + i * 10'000, i % 2 ? ProbeStatus::Unhealthy : ProbeStatus::Healthy));
        store->record(healthy(RedisPing, T0));
        store->record(result(RedisPing, T0 + 5'000, ProbeStatus::Unhealthy));

        IncidentQuery query;
        query.range = {T0, T0 + Hour};
        query.filter.service = service;
        query.problemsOnly = problemsOnly;
        query.limit = limit;
        QList<Incident> all;
        for (int page = 0; page < pageSizes.size(); ++page) {
            const IncidentPage got = await(store->incidentPage(query));
            QCOMPARE(got.incidents.size(), pageSizes.at(page));
            QCOMPARE(got.more, page + 1 < pageSizes.size());
            all += got.incidents;
            if (!got.incidents.isEmpty()) {
                query.beforeStartMs = got.incidents.last().startMs;
                query.beforeId = got.incidents.last().id;
            }
        }
        for (int i = 1; i < all.size(); ++i)
            QVERIFY(all.at(i - 1).startMs > all.at(i).startMs); // newest first, none twice
        for (const Incident& incident : std::as_const(all)) {
            QCOMPARE(incident.check.service, service);
            if (problemsOnly)
                QCOMPARE(incident.status, ProbeStatus::Unhealthy);
        }
    }

    // A view that moves faster than the file answers cancels what it no longer needs: those
    // queries are skipped, the one it still wants is answered.
    void cancelledQueriesAreSkipped()
    {
        auto store = openStore();
        for (int i = 0; i < 2000; ++i)
            store->record(healthy(WebHealth, T0 + i * 1000));
        QList<QFuture<LatencySeries>> stale;
        for (int i = 0; i < 50; ++i)
            stale.append(store->latencySeries(WebHealth, {T0, T0 + Hour}, 100));
        for (QFuture<LatencySeries>& future : stale)
            future.cancel();
        const LatencySeries wanted = await(store->latencySeries(WebHealth, {T0, T0 + Hour}, 100));
        QVERIFY(!wanted.points.isEmpty());
        const StoreStats stats = await(store->stats());
        QVERIFY2(stats.cancelledQueries >= 40, qPrintable(QString::number(stats.cancelledQueries)));
        for (const auto& future : std::as_const(stale))
            QVERIFY(future.isCanceled());
    }

    void thresholdedStateDecidesIncidents()
    {
        auto store = openStore();
        // failureThreshold 3: the engine keeps the state healthy for two failures.
        const QList<std::pair<ProbeStatus, ProbeStatus>> sequence{
            {ProbeStatus::Healthy, ProbeStatus::Healthy},     {ProbeStatus::Unhealthy, ProbeStatus::Healthy},
            {ProbeStatus::Unhealthy, ProbeStatus::Healthy},   {ProbeStatus::Unhealthy, ProbeStatus::Unhealthy},
            {ProbeStatus::Unhealthy, ProbeStatus::Unhealthy}, {ProbeStatus::Healthy, ProbeStatus::Healthy}};
        for (int i = 0; i < sequence.size(); ++i) {
            StoredResult r = result(WebHealth, T0 + i * 10'000, sequence.at(i).first, 1.0);
            r.result.summary = QStringLiteral("result %1").arg(i);
            r.state = sequence.at(i).second;
            store->record(r);
        }
        const QList<Incident> incidents = await(store->incidents({T0, T0 + Hour}));
        QCOMPARE(incidents.size(), 3);
        QCOMPARE(incidents.at(1).status, ProbeStatus::Unhealthy);
        QCOMPARE(incidents.at(1).startMs, T0 + 30'000);
        QCOMPARE(incidents.at(1).summary, QStringLiteral("result 3")); // the result that tipped it
        // Raw statuses still count for uptime: 2 of 6 healthy.
        const UptimeReport report = await(store->uptime({T0, T0 + Hour}));
        QCOMPARE(report.checks.at(0).counts.ok, qint64(2));
        QCOMPARE(report.checks.at(0).counts.fail, qint64(4));
    }

    void rollups_data()
    {
        QTest::addColumn<QList<double>>("latencies"); // healthy results
        QTest::addColumn<int>("failures");
        QTest::addColumn<int>("unknowns");
        QTest::addColumn<double>("p50");
        QTest::addColumn<double>("p95");
        QTest::addColumn<double>("max");
        QList<double> oneToTwenty;
        for (int i = 1; i <= 20; ++i)
            oneToTwenty.append(i);
        QTest::newRow("1..20 ms") << oneToTwenty << 2 << 1 << 10.0 << 19.0 << 20.0;
        QTest::newRow("single") << QList<double>{7.5} << 0 << 0 << 7.5 << 7.5 << 7.5;
        QTest::newRow("two") << QList<double>{100.0, 1.0} << 0 << 0 << 1.0 << 100.0 << 100.0;
        QTest::newRow("tenths kept") << QList<double>{0.25, 0.31, 0.44} << 1 << 0 << 0.3 << 0.4 << 0.4;
        QTest::newRow("all failing") << QList<double>{} << 5 << 0 << -1.0 << -1.0 << -1.0;
        QTest::newRow("only unknown") << QList<double>{} << 0 << 4 << -1.0 << -1.0 << -1.0;
    }
    void rollups()
    {
        QFETCH(QList<double>, latencies);
        QFETCH(int, failures);
        QFETCH(int, unknowns);
        QFETCH(double, p50);
        QFETCH(double, p95);
        QFETCH(double, max);

        auto store = openStore();
        // Everything in the minute starting at T0 + 5 min, one result every 2 s.
        const qint64 minute = T0 + 5 * Minute;
        qint64 at = minute;
        for (const double latency : latencies)
            store->record(healthy(WebHealth, at += 2000, latency));
        for (int i = 0; i < failures; ++i)
            store->record(result(WebHealth, at += 2000, ProbeStatus::Unhealthy, 900.0));
        for (int i = 0; i < unknowns; ++i)
            store->record(result(WebHealth, at += 2000, ProbeStatus::Unknown));
        QVERIFY(at < minute + Minute);

        m_clock.set(T0 + 2 * Hour);
        const MaintenanceReport maintenance = await(store->runMaintenance());
        QCOMPARE(maintenance.minuteBuckets, qint64(1));
        QCOMPARE(maintenance.hourBuckets, qint64(1));

        const auto check = [&](const LatencyPoint& point) {
            QCOMPARE(point.ok, qint64(latencies.size()));
            QCOMPARE(point.fail, qint64(failures));
            QCOMPARE(point.unknown, qint64(unknowns));
            if (latencies.isEmpty()) {
                QVERIFY(!point.p50Ms.has_value());
                QVERIFY(!point.maxMs.has_value());
                return;
            }
            QCOMPARE(point.p50Ms, std::optional<double>(p50));
            QCOMPARE(point.p95Ms, std::optional<double>(p95));
            QCOMPARE(point.maxMs, std::optional<double>(max));
        };
        // Minute buckets over an hour: the minute rollup row.
        const LatencySeries minutes = await(store->latencySeries(WebHealth, {T0, T0 + Hour}, 60));
        QCOMPARE(minutes.resolution, HistoryResolution::Minute);
        QCOMPARE(minutes.points.size(), 60);
        check(minutes.points.at(5));
        if (QTest::currentTestFailed())
            return;
        // Hour buckets over two days: the hour rollup row, percentiles taken from the results.
        const LatencySeries hours = await(store->latencySeries(WebHealth, {T0, T0 + 2 * Day}, 48));
        QCOMPARE(hours.resolution, HistoryResolution::Hour);
        QCOMPARE(hours.points.size(), 48);
        check(hours.points.at(0));
    }

    void downsampling_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<int>("points");
        QTest::addColumn<bool>("rolledUp");
        QTest::addColumn<int>("resolution");
        QTest::addColumn<int>("expectedPoints");
        QTest::addColumn<qint64>("bucket");
        QTest::newRow("1 h in 100: raw, 36 s") << Hour << 100 << true << int(HistoryResolution::Raw) << 100 << 36'000LL;
        QTest::newRow("1 h in 6: minute rows") << Hour << 6 << true << int(HistoryResolution::Minute) << 6 << 600'000LL;
        QTest::newRow("1 h in 7: whole minutes")
            << Hour << 7 << true << int(HistoryResolution::Minute) << 7 << 540'000LL;
        QTest::newRow("1 h in 6 before rollups: raw rows")
            << Hour << 6 << false << int(HistoryResolution::Minute) << 6 << 600'000LL;
        QTest::newRow("6 h in 3: hour rows") << 6 * Hour << 3 << true << int(HistoryResolution::Hour) << 3 << 2 * Hour;
        QTest::newRow("6 h in 4: whole hours")
            << 6 * Hour << 4 << true << int(HistoryResolution::Hour) << 3 << 2 * Hour;
    }
    void downsampling()
    {
        QFETCH(qint64, span);
        QFETCH(int, points);
        QFETCH(bool, rolledUp);
        QFETCH(int, resolution);
        QFETCH(int, expectedPoints);
        QFETCH(qint64, bucket);

        auto store = openStore();
        // One result every 10 s for 6 h; latency 1 ms + 1 ms per minute of the hour.
        const int total = int(6 * Hour / 10'000);
        for (int i = 0; i < total; ++i) {
            const qint64 at = T0 + i * 10'000LL;
            store->record(healthy(WebHealth, at, 1.0 + double((at - T0) % Hour / Minute)));
        }
        if (rolledUp) {
            m_clock.set(T0 + 6 * Hour + Minute);
            await(store->runMaintenance());
        }

        const LatencySeries series = await(store->latencySeries(WebHealth, {T0, T0 + span}, points));
        QCOMPARE(int(series.resolution), resolution);
        QCOMPARE(series.points.size(), expectedPoints);
        QCOMPARE(series.bucketMs, bucket);
        qint64 ok = 0;
        for (int i = 0; i < series.points.size(); ++i) {
            const LatencyPoint& p = series.points.at(i);
            QCOMPARE(p.startMs, T0 + i * bucket);
            QCOMPARE(p.endMs, p.startMs + bucket);
            ok += p.ok;
        }
        QCOMPARE(ok, span / 10'000);
        // The maximum of each bucket is exact at every resolution: the last minute in it.
        const LatencyPoint& first = series.points.first();
        const qint64 lastMinuteInFirst = std::min<qint64>(bucket, Hour) / Minute - 1;
        QCOMPARE(first.maxMs, std::optional<double>(1.0 + double(std::max<qint64>(0, lastMinuteInFirst))));
    }

    void uptime()
    {
        auto store = openStore();
        // 90 minutes, one result per check every 30 s, starting at T0 + 10 min.
        // web/health: every 10th fails; web/tcp: all ok, every 5th unknown; redis/ping: every 4th
        // fails; staging: all fail.
        UptimeCounts health, tcp, redis, staging;
        for (int i = 0; i < 180; ++i) {
            const qint64 at = T0 + 10 * Minute + i * 30'000LL;
            const bool healthFails = i % 10 == 0;
            store->record(result(WebHealth, at, healthFails ? ProbeStatus::Unhealthy : ProbeStatus::Healthy, 3));
            (healthFails ? health.fail : health.ok)++;
            const bool tcpUnknown = i % 5 == 0;
            store->record(result(WebTcp, at, tcpUnknown ? ProbeStatus::Unknown : ProbeStatus::Healthy, 1));
            (tcpUnknown ? tcp.unknown : tcp.ok)++;
            const bool redisFails = i % 4 == 0;
            store->record(result(RedisPing, at, redisFails ? ProbeStatus::Unhealthy : ProbeStatus::Healthy, 1));
            (redisFails ? redis.fail : redis.ok)++;
            store->record(result(StagingWeb, at, ProbeStatus::Unhealthy, 1));
            staging.fail++;
        }
        // A range that cuts hours and minutes: hour, minute and single-result parts after rollups.
        const TimeRange range{T0 + 5 * Minute + 7'000, T0 + 2 * Hour};
        const auto verify = [&](const UptimeReport& report) {
            QCOMPARE(report.checks.size(), 4);
            QCOMPARE(report.checks.at(0).key, WebHealth);
            QCOMPARE(report.checks.at(0).counts.ok, health.ok);
            QCOMPARE(report.checks.at(0).counts.fail, health.fail);
            QCOMPARE(report.checks.at(0).counts.percent(), std::optional<double>(90.0));
            QCOMPARE(report.checks.at(1).counts.unknown, tcp.unknown);
            QCOMPARE(report.checks.at(1).counts.percent(), std::optional<double>(100.0)); // unknown never counts
            QCOMPARE(report.checks.at(2).counts.percent(), std::optional<double>(75.0));
            QCOMPARE(report.checks.at(3).counts.percent(), std::optional<double>(0.0));

            QCOMPARE(report.services.size(), 3);
            const UptimeRow& web = report.services.at(0);
            QCOMPARE(web.key, (CheckKey{QStringLiteral("prod"), QStringLiteral("web"), {}}));
            QCOMPARE(web.counts.ok, health.ok + tcp.ok);
            QCOMPARE(web.counts.fail, health.fail);
            QCOMPARE(report.deployments.size(), 2);
            const UptimeRow& prod = report.deployments.at(0);
            QCOMPARE(prod.key, (CheckKey{QStringLiteral("prod"), {}, {}}));
            QCOMPARE(prod.counts.ok, health.ok + tcp.ok + redis.ok);
            QCOMPARE(prod.counts.fail, health.fail + redis.fail);
            QCOMPARE(report.deployments.at(1).counts.percent(), std::optional<double>(0.0));
        };
        verify(await(store->uptime(range)));
        if (QTest::currentTestFailed())
            return;
        m_clock.set(T0 + 3 * Hour);
        await(store->runMaintenance());
        verify(await(store->uptime(range)));
        if (QTest::currentTestFailed())
            return;

        const UptimeReport filtered = await(store->uptime(range, {QStringLiteral("staging"), {}, {}}));
        QCOMPARE(filtered.checks.size(), 1);
        QCOMPARE(filtered.deployments.size(), 1);
        const UptimeReport empty = await(store->uptime({T0 + 5 * Hour, T0 + 6 * Hour}));
        QCOMPARE(empty.checks.size(), 4);
        QVERIFY(!empty.checks.at(0).counts.percent().has_value());
    }

    void timeline()
    {
        auto store = openStore();
        // 30 healthy, 6 unhealthy, 30 healthy every 10 s; 10 min silence; 12 unknown.
        qint64 at = T0;
        for (int i = 0; i < 30; ++i, at += 10'000)
            store->record(healthy(WebHealth, at));
        const qint64 failStart = at;
        for (int i = 0; i < 6; ++i, at += 10'000)
            store->record(result(WebHealth, at, ProbeStatus::Unhealthy));
        const qint64 recovered = at;
        for (int i = 0; i < 30; ++i, at += 10'000)
            store->record(healthy(WebHealth, at));
        const qint64 silenceStart = at;
        at += 10 * Minute;
        const qint64 unknownStart = at;
        for (int i = 0; i < 12; ++i, at += 10'000)
            store->record(result(WebHealth, at, ProbeStatus::Unknown));

        const QList<StatusRun> runs = await(store->timeline(WebHealth, {T0, T0 + Hour}));
        const QList<StatusRun> expected{{ProbeStatus::Healthy, T0, failStart, 30},
                                        {ProbeStatus::Unhealthy, failStart, recovered, 6},
                                        {ProbeStatus::Healthy, recovered, silenceStart, 30},
                                        {ProbeStatus::Unknown, unknownStart, at, 12}};
        QCOMPARE(runs, expected);

        // Clipped to the range.
        const QList<StatusRun> part = await(store->timeline(WebHealth, {failStart + 15'000, recovered + 5'000}));
        QCOMPARE(part.size(), 2);
        QCOMPARE(part.at(0).startMs, failStart + 15'000);
        QCOMPARE(part.at(1).endMs, recovered + 5'000);

        // A week is read from minute rows: the failing minutes show as unhealthy.
        m_clock.set(T0 + 2 * Hour);
        await(store->runMaintenance());
        const QList<StatusRun> week = await(store->timeline(WebHealth, {T0, T0 + 7 * Day}));
        QCOMPARE(week.size(), 4);
        QCOMPARE(week.at(1).status, ProbeStatus::Unhealthy);
        QCOMPARE(week.at(1).startMs, T0 + 5 * Minute);
        QCOMPARE(week.at(1).endMs, T0 + 6 * Minute);
        QCOMPARE(week.at(1).results, qint64(6));
        QCOMPARE(week.at(2).endMs, silenceStart);
    }

    void retention()
    {
        // Two checks, one result every 10 min for 6 days, a failure every day at noon-ish.
        auto store = openStore({2, 3, 4});
        const int perCheck = int(6 * Day / (10 * Minute));
        for (int i = 0; i < perCheck; ++i) {
            const qint64 at = T0 + i * 10 * Minute;
            const bool fails = i % 144 == 72;
            for (const CheckKey& key : {WebHealth, RedisPing})
                store->record(result(key, at, fails ? ProbeStatus::Unhealthy : ProbeStatus::Healthy, 2.0));
        }
        const qint64 end = T0 + 6 * Day;
        const qint64 now = end + Minute;
        m_clock.set(now);
        const MaintenanceReport report = await(store->runMaintenance());
        QVERIFY(report.rowsPruned > 0);

        const auto expected = [&](qint64 keepMs, qint64 rowMs) {
            // Rows (per check) whose start lies at or after now - keep.
            qint64 n = 0;
            for (qint64 t = T0; t < end; t += rowMs)
                n += t >= now - keepMs;
            return 2 * n;
        };
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results")), expected(2 * Day, 10 * Minute));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM rollup_minute")), expected(3 * Day, 10 * Minute));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM rollup_hour")), expected(4 * Day, Hour));
        QVERIFY(count(QStringLiteral("SELECT min(ts) FROM results")) >= (now - 2 * Day) / 1000);
        // Incidents that ended before the hour horizon went with it.
        const QList<Incident> incidents = await(store->incidents({T0, now}));
        for (const Incident& incident : incidents)
            QVERIFY(!incident.endMs || *incident.endMs >= now - 4 * Day);
        // Per check: the healthy period after day 1's failure, then four failures and recoveries.
        QCOMPARE(incidents.size(), 2 * 9);

        // The whole range is still charted, from hour rows where finer ones are gone.
        const LatencySeries series = await(store->latencySeries(WebHealth, {T0, now}, 1000));
        QCOMPARE(series.resolution, HistoryResolution::Hour);
        qint64 ok = 0;
        for (const LatencyPoint& p : series.points)
            ok += p.ok;
        // Six results in each kept hour; four of them (noon on days 2 to 5) failed.
        QCOMPARE(ok, expected(4 * Day, Hour) / 2 * 6 - 4);

        // A second pass has nothing left to do.
        const MaintenanceReport again = await(store->runMaintenance());
        QCOMPARE(again.rowsPruned, qint64(0));
    }

    void migrationAndReopen()
    {
        {
            // An empty file, as a user might create it.
            QFile file(path());
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        {
            auto store = openStore();
            const StoreStats stats = await(store->stats());
            QVERIFY(stats.open);
            QCOMPARE(stats.schemaVersion, 1);
            store->record(healthy(WebHealth, T0));
            store->record(result(WebHealth, T0 + 10'000, ProbeStatus::Unhealthy));
        } // the destructor commits
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results")), qint64(2));
        QCOMPARE(scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        {
            auto store = openStore();
            QCOMPARE(await(store->stats()).schemaVersion, 1);
            // The state survives: another failure is no new incident, a success closes it.
            store->record(result(WebHealth, T0 + 20'000, ProbeStatus::Unhealthy));
            store->record(healthy(WebHealth, T0 + 30'000));
            const QList<Incident> incidents = await(store->incidents({T0, T0 + Hour}));
            QCOMPARE(incidents.size(), 3);
            QCOMPARE(incidents.at(1).endMs, std::optional<qint64>(T0 + 30'000));
        }
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM schema_version")), qint64(1));
    }

    void newerFileIsRefused()
    {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("future"));
            db.setDatabaseName(path());
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("CREATE TABLE schema_version(version INTEGER NOT NULL)")));
            QVERIFY(query.exec(QStringLiteral("INSERT INTO schema_version VALUES(99)")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("future"));

        auto store = openStore();
        QSignalSpy errors(store.get(), &HistoryStore::errorOccurred);
        QVERIFY(errors.wait(5000));
        QVERIFY2(errors.at(0).at(0).toString().contains(QStringLiteral("newer")),
                 qPrintable(errors.at(0).at(0).toString()));
        store->record(healthy(WebHealth, T0));
        QVERIFY(!await(store->stats()).open);
        QVERIFY(await(store->latestResults()).isEmpty());
        QCOMPARE(count(QStringLiteral("SELECT max(version) FROM schema_version")), qint64(99));
    }

    void batchSizeTriggersFlush()
    {
        HistoryStore::Options options = testOptions();
        options.flushInterval = 3600s; // never by time in this test
        options.batchSize = 50;
        HistoryStore store(options, m_clock);
        QSignalSpy written(&store, &HistoryStore::batchWritten);
        for (int i = 0; i < 50; ++i)
            store.record(healthy(WebHealth, T0 + i * 1000));
        QVERIFY(written.wait(5000));
        QCOMPARE(written.at(0).at(0).toInt(), 50);
        QCOMPARE(written.at(0).at(1).toLongLong(), T0 + 49'000);
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
