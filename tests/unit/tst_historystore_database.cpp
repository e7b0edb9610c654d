#include "store/HistoryDatabase.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;

namespace {

constexpr qint64 T0 = 1'699'999'200'000; // 2023-11-14 22:00:00 UTC
constexpr qint64 Minute = 60'000;
constexpr qint64 Hour = 3'600'000;

StoredResult result(const CheckKey& check, qint64 ms, ProbeStatus status, double latencyMs)
{
    StoredResult r;
    r.check = check;
    r.timestampMs = ms;
    r.result.status = status;
    r.result.latencyMs = latencyMs;
    return r;
}

CheckKey checkNumber(int i)
{
    return {QStringLiteral("prod"), QStringLiteral("service-%1").arg(i / 4), QStringLiteral("check-%1").arg(i % 4)};
}

} // namespace

// The synchronous side that the store's worker thread drives: slicing, late results, edge cases.
class TestHistoryDatabase : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<HistoryDatabase> m_db;

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QFile::remove(m_dir.filePath(QStringLiteral("h.sqlite")));
        m_db = std::make_unique<HistoryDatabase>(QStringLiteral("test"));
        QVERIFY2(m_db->open(m_dir.filePath(QStringLiteral("h.sqlite"))), qPrintable(m_db->lastError()));
    }
    void cleanup() { m_db.reset(); }

    void maintenanceRunsInBoundedSlices()
    {
        // 100 checks, one result every 10 s for 3 h: 108 000 results.
        QList<StoredResult> batch;
        for (qint64 at = T0; at < T0 + 3 * Hour; at += 10'000) {
            for (int c = 0; c < 100; ++c)
                batch.append(result(checkNumber(c), at + c * 50, ProbeStatus::Healthy, 3.0));
        }
        QVERIFY(m_db->write(batch));

        const qint64 now = T0 + 3 * Hour + Minute;
        int slices = 0;
        MaintenanceReport total;
        MaintenanceReport slice;
        do {
            slice = m_db->maintain(now, {});
            ++slices;
            // One slice reads about HistoryDatabase::SliceResults results.
            QVERIFY(slice.minuteBuckets <= 100 * 60);
            QVERIFY(slice.hourBuckets <= 100);
            total += slice;
        } while (slice.moreWork && slices < 100);
        QVERIFY(!slice.moreWork);
        QCOMPARE(total.minuteBuckets, qint64(100 * 180));
        QCOMPARE(total.hourBuckets, qint64(100 * 3));
        QVERIFY2(slices >= 6, qPrintable(QString::number(slices)));
    }

    // Checks every second: an hour is 3,600 results per check, so a rollup range is split among
    // slices a few checks at a time, and the totals still come out whole.
    void fastChecksAreRolledUpAFewChecksPerSlice()
    {
        QList<StoredResult> batch;
        for (qint64 at = T0; at < T0 + 2 * Hour; at += 1'000) {
            for (int c = 0; c < 20; ++c)
                batch.append(result(checkNumber(c), at, ProbeStatus::Healthy, 3.0));
        }
        QVERIFY(m_db->write(batch));
        const qint64 checksPerSlice = HistoryDatabase::SliceResults / 3600 + 1;
        MaintenanceReport total;
        MaintenanceReport slice;
        int slices = 0;
        do {
            slice = m_db->maintain(T0 + 2 * Hour + Minute, {});
            ++slices;
            QVERIFY2(slice.hourBuckets <= checksPerSlice, qPrintable(QString::number(slice.hourBuckets)));
            QVERIFY2(slice.minuteBuckets <= checksPerSlice * 60, qPrintable(QString::number(slice.minuteBuckets)));
            total += slice;
        } while (slice.moreWork && slices < 200);
        QCOMPARE(total.minuteBuckets, qint64(20 * 120));
        QCOMPARE(total.hourBuckets, qint64(20 * 2));
        const LatencySeries hours = m_db->latencySeries(checkNumber(7), {T0, T0 + 24 * Hour}, 24);
        QCOMPARE(hours.resolution, HistoryResolution::Hour);
        QCOMPARE(hours.points.at(0).ok, qint64(3600));
        QCOMPARE(hours.points.at(1).ok, qint64(3600));
    }

    void lateResultUpdatesItsRollups()
    {
        const CheckKey key{QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("health")};
        QList<StoredResult> batch;
        for (int i = 0; i < 6; ++i)
            batch.append(result(key, T0 + i * 10'000, ProbeStatus::Healthy, 10.0));
        QVERIFY(m_db->write(batch));
        while (m_db->maintain(T0 + 2 * Hour, {}).moreWork) { }

        // Arrives after its minute and hour were rolled up.
        QVERIFY(m_db->write({result(key, T0 + 5'000, ProbeStatus::Healthy, 70.0),
                             result(key, T0 + 15'000, ProbeStatus::Unhealthy, 1.0)}));
        const LatencySeries minutes = m_db->latencySeries(key, {T0, T0 + Hour}, 60);
        QCOMPARE(minutes.resolution, HistoryResolution::Minute);
        QCOMPARE(minutes.points.at(0).ok, qint64(7));
        QCOMPARE(minutes.points.at(0).fail, qint64(1));
        QCOMPARE(minutes.points.at(0).maxMs, std::optional<double>(70.0));
        const LatencySeries hours = m_db->latencySeries(key, {T0, T0 + 24 * Hour}, 24);
        QCOMPARE(hours.resolution, HistoryResolution::Hour);
        QCOMPARE(hours.points.at(0).ok, qint64(7));
        QCOMPARE(hours.points.at(0).p95Ms, std::optional<double>(70.0));
    }

    // The live end of a minute chart comes from results not rolled up yet: their percentiles
    // are exact, not the mean of single results (history.md).
    void resultsNotRolledUpHaveExactPercentiles_data()
    {
        QTest::addColumn<bool>("rolledUpBefore"); // an earlier rollup row in the same bucket
        QTest::addColumn<double>("p50");
        QTest::addColumn<double>("p95");
        QTest::addColumn<double>("max");
        QTest::newRow("only results") << false << 10.0 << 200.0 << 200.0;
        // The rollup (6 × 20 ms) and the five results, weighted by count: (6·20 + 5·10)/11, (6·20 + 5·200)/11.
        QTest::newRow("rollup row and results") << true << 15.5 << 101.8 << 200.0;
    }
    void resultsNotRolledUpHaveExactPercentiles()
    {
        QFETCH(bool, rolledUpBefore);
        QFETCH(double, p50);
        QFETCH(double, p95);
        QFETCH(double, max);
        const CheckKey key{QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("livez")};
        // Minute 0 rolled up (or nothing), minute 1 only raw results: {10, 10, 10, 10, 200} ms.
        if (rolledUpBefore) {
            QList<StoredResult> early;
            for (int i = 0; i < 6; ++i)
                early.append(result(key, T0 + i * 10'000, ProbeStatus::Healthy, 20.0));
            QVERIFY(m_db->write(early));
            // Minute 0 is complete (past the rollup grace); minute 1 has no results yet.
            while (m_db->maintain(T0 + 2 * Minute - 1'000, {}).moreWork) { }
        }
        QList<StoredResult> late;
        for (const double latency : {10.0, 10.0, 200.0, 10.0, 10.0})
            late.append(result(key, T0 + Minute + 1'000 + late.size() * 10'000, ProbeStatus::Healthy, latency));
        QVERIFY(m_db->write(late));
        // Two-minute buckets: minute 0's rollup row and minute 1's raw results share one.
        const LatencySeries series = m_db->latencySeries(key, {T0, T0 + 2 * Hour}, 60);
        QCOMPARE(series.resolution, HistoryResolution::Minute);
        const LatencyPoint& point = series.points.at(0);
        QCOMPARE(point.p50Ms, std::optional<double>(p50));
        QCOMPARE(point.p95Ms, std::optional<double>(p95));
        QCOMPARE(point.maxMs, std::optional<double>(max));
    }

    void sameSecondKeepsTheLater()
    {
        const CheckKey key{QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("health")};
        QVERIFY(m_db->write(
            {result(key, T0 + 100, ProbeStatus::Unhealthy, 1.0), result(key, T0 + 900, ProbeStatus::Healthy, 2.0)}));
        const QList<LatestResult> latest = m_db->latestResults();
        QCOMPARE(latest.size(), 1);
        QCOMPARE(latest.at(0).status, ProbeStatus::Healthy);
        QCOMPARE(m_db->stats().results, qint64(1));
    }

    void olderResultDoesNotRewriteTheState()
    {
        const CheckKey key{QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("health")};
        QVERIFY(m_db->write({result(key, T0 + 60'000, ProbeStatus::Healthy, 1.0)}));
        QVERIFY(m_db->write({result(key, T0, ProbeStatus::Unhealthy, 1.0)}));
        const QList<Incident> incidents = m_db->incidents({T0, T0 + Hour});
        QCOMPARE(incidents.size(), 1);
        QCOMPARE(incidents.at(0).status, ProbeStatus::Healthy);
        QCOMPARE(m_db->stats().results, qint64(2)); // the result itself is kept
    }

    void unknownCheckAndEmptyRanges()
    {
        const CheckKey missing{QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z")};
        QVERIFY(m_db->latencySeries(missing, {T0, T0 + Hour}, 10).points.isEmpty());
        QVERIFY(m_db->timeline(missing, {T0, T0 + Hour}).isEmpty());
        QVERIFY(m_db->uptime({T0 + Hour, T0}).checks.isEmpty());
        QVERIFY(m_db->write({}));
    }

    void closedDatabaseRefusesWrites()
    {
        m_db->close();
        QVERIFY(!m_db->write({result(checkNumber(0), T0, ProbeStatus::Healthy, 1.0)}));
        QVERIFY(!m_db->lastError().isEmpty());
        QVERIFY(m_db->latestResults().isEmpty());
        QCOMPARE(m_db->maintain(T0, {}).moreWork, false);
    }

    void compactRows()
    {
        // A day of one check every 10 s: the results table stays near 16 bytes a row.
        const CheckKey key{QStringLiteral("prod"), QStringLiteral("web"), QStringLiteral("health")};
        QList<StoredResult> batch;
        for (qint64 at = T0; at < T0 + 24 * Hour; at += 10'000)
            batch.append(result(key, at, ProbeStatus::Healthy, 12.5 + double(at % 7)));
        QVERIFY(m_db->write(batch));
        while (m_db->maintain(T0 + 25 * Hour, {}).moreWork) { }
        const StoreStats stats = m_db->stats();
        QCOMPARE(stats.results, qint64(8640));
        const double perResult = double(stats.fileBytes) / double(stats.results);
        QVERIFY2(perResult <= 40.0, qPrintable(QString::number(perResult)));
    }
};

QTEST_GUILESS_MAIN(TestHistoryDatabase)
#include "tst_historystore_database.moc"
