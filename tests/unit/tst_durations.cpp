#include "util/Durations.h"

#include <QTest>

using namespace std::chrono_literals;

class TestDurations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("bare seconds") << QStringLiteral("10") << true << qint64(10'000);
        QTest::newRow("fraction") << QStringLiteral("0.5") << true << qint64(500);
        QTest::newRow("seconds unit") << QStringLiteral("30s") << true << qint64(30'000);
        QTest::newRow("milliseconds") << QStringLiteral("250ms") << true << qint64(250);
        QTest::newRow("minutes") << QStringLiteral("2m") << true << qint64(120'000);
        QTest::newRow("hours") << QStringLiteral("1h") << true << qint64(3'600'000);
        QTest::newRow("compound") << QStringLiteral("1m30s") << true << qint64(90'000);
        QTest::newRow("spaces trimmed") << QStringLiteral(" 5s ") << true << qint64(5'000);
        QTest::newRow("negative") << QStringLiteral("-1") << false << qint64(0);
        QTest::newRow("unit only") << QStringLiteral("s") << false << qint64(0);
        QTest::newRow("unknown unit") << QStringLiteral("5d") << false << qint64(0);
        QTest::newRow("trailing junk") << QStringLiteral("5sx") << false << qint64(0);
        QTest::newRow("empty") << QString() << false << qint64(0);
        // Never wrapped around to a negative duration, nor read as something toDouble() takes.
        QTest::newRow("infinity") << QStringLiteral("inf") << false << qint64(0);
        QTest::newRow("not a number") << QStringLiteral("nan") << false << qint64(0);
        QTest::newRow("huge number") << QStringLiteral("1e300") << false << qint64(0);
        QTest::newRow("huge hours") << QStringLiteral("9999999999999999h") << false << qint64(0);
        QTest::newRow("exponent") << QStringLiteral("1e3") << false << qint64(0);
        QTest::newRow("plus sign") << QStringLiteral("+5") << false << qint64(0);
        QTest::newRow("minus zero") << QStringLiteral("-0") << false << qint64(0);
        QTest::newRow("minus zero seconds") << QStringLiteral("-0s") << false << qint64(0);
        QTest::newRow("largest accepted") << QStringLiteral("277777h") << true << qint64(277777LL * 3'600'000);
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, ms);
        const auto parsed = okh::parseDuration(text);
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(parsed->count(), ms);
    }

    void format_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("ms") << qint64(250) << QStringLiteral("250 ms");
        QTest::newRow("s") << qint64(3000) << QStringLiteral("3 s");
        QTest::newRow("fractional s") << qint64(1500) << QStringLiteral("1.5 s");
        QTest::newRow("min") << qint64(300'000) << QStringLiteral("5 min");
        QTest::newRow("h") << qint64(7'200'000) << QStringLiteral("2 h");
    }
    void format()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(okh::formatDuration(std::chrono::milliseconds(ms)), text);
    }
};

QTEST_GUILESS_MAIN(TestDurations)
#include "tst_durations.moc"
