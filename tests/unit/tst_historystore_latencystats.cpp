#include "store/LatencyStats.h"

#include <QTest>

using okh::LatencyStats;

class TestLatencyStats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void percentiles_data()
    {
        QTest::addColumn<QList<qint32>>("values");
        QTest::addColumn<qint32>("p50");
        QTest::addColumn<qint32>("p95");
        QTest::addColumn<qint32>("max");
        QTest::newRow("one") << QList<qint32>{7} << 7 << 7 << 7;
        QTest::newRow("two: p50 is the lower") << QList<qint32>{9, 1} << 1 << 9 << 9;
        QTest::newRow("1..20") << QList<qint32>{20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
                               << 10 << 19 << 20;
        QList<qint32> hundred;
        for (int i = 100; i >= 1; --i)
            hundred.append(i);
        QTest::newRow("1..100") << hundred << 50 << 95 << 100;
        QTest::newRow("one outlier in 20 stays out of p95")
            << QList<qint32>{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 900} << 5 << 5 << 900;
        QTest::newRow("one outlier in 10 is the p95")
            << QList<qint32>{5, 5, 5, 5, 5, 5, 5, 5, 5, 900} << 5 << 900 << 900;
    }
    void percentiles()
    {
        QFETCH(QList<qint32>, values);
        QFETCH(qint32, p50);
        QFETCH(qint32, p95);
        QFETCH(qint32, max);
        QCOMPARE(LatencyStats::of(values), (LatencyStats{p50, p95, max}));
        QVERIFY(std::is_sorted(values.cbegin(), values.cend()));
    }

    void units_data()
    {
        QTest::addColumn<double>("ms");
        QTest::addColumn<qint32>("tenths");
        QTest::newRow("zero") << 0.0 << 0;
        QTest::newRow("negative") << -3.0 << 0;
        QTest::newRow("NaN") << qQNaN() << 0;
        QTest::newRow("rounded") << 12.34 << 123;
        QTest::newRow("half up") << 0.25 << 3;
        QTest::newRow("a minute") << 60'000.0 << 600'000;
        QTest::newRow("clamped") << 1e12 << std::numeric_limits<qint32>::max();
    }
    void units()
    {
        QFETCH(double, ms);
        QFETCH(qint32, tenths);
        QCOMPARE(okh::latencyToTenths(ms), tenths);
    }
};

QTEST_GUILESS_MAIN(TestLatencyStats)
#include "tst_historystore_latencystats.moc"
