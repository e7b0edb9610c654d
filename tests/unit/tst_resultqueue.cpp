#include "store/ResultQueue.h"

#include <QTest>

using namespace okh;

namespace {

StoredResult resultWithSummary(qint64 ms, qsizetype summaryChars)
{
    StoredResult r;
    r.check = {QStringLiteral("d"), QStringLiteral("s"), QStringLiteral("c")};
    r.timestampMs = ms;
    r.result.summary = QString(summaryChars, u'x');
    return r;
}

} // namespace

// The history queue's memory bound: newest results kept, oldest dropped and counted.
class TestResultQueue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bounds_data()
    {
        QTest::addColumn<int>("results");
        QTest::addColumn<int>("summaryChars");
        QTest::addColumn<int>("maxKiB");
        QTest::addColumn<int>("maxCount");
        QTest::addColumn<int>("kept");
        // 100 results of about 2 KiB each (1000 UTF-16 characters) in 20 KiB: the newest 9 or so.
        const qsizetype one = ResultQueue::estimatedBytes(resultWithSummary(0, 1000));
        const int byBytes = int((20 * 1024) / one);
        QTest::newRow("within both limits") << 10 << 10 << 1024 << 1000 << 10;
        QTest::newRow("count limit") << 100 << 10 << 1024 << 25 << 25;
        QTest::newRow("byte limit: long summaries") << 100 << 1000 << 20 << 1000 << byBytes;
        QTest::newRow("one result larger than the limit stays") << 3 << 50'000 << 20 << 1000 << 1;
    }
    void bounds()
    {
        QFETCH(int, results);
        QFETCH(int, summaryChars);
        QFETCH(int, maxKiB);
        QFETCH(int, maxCount);
        QFETCH(int, kept);
        ResultQueue queue(qsizetype(maxKiB) * 1024, maxCount);
        for (int i = 0; i < results; ++i)
            queue.append(resultWithSummary(i, summaryChars));
        QCOMPARE(queue.size(), qsizetype(kept));
        QCOMPARE(queue.takeDropped(), qint64(results - kept));
        QCOMPARE(queue.takeDropped(), qint64(0));
        QVERIFY(kept == 1 || queue.bytes() <= qsizetype(maxKiB) * 1024);
        const QList<StoredResult> all = queue.takeAll();
        // The newest, in order.
        QCOMPARE(all.first().timestampMs, qint64(results - kept));
        QCOMPARE(all.last().timestampMs, qint64(results - 1));
        QVERIFY(queue.isEmpty());
        QCOMPARE(queue.bytes(), qsizetype(0));
    }

    // A failed batch goes back in front and is dropped first when new results need the room.
    void failedBatchGoesFirstAndIsDroppedFirst()
    {
        ResultQueue queue(1024 * 1024, 10);
        for (int i = 5; i < 10; ++i)
            queue.append(resultWithSummary(i, 10));
        queue.prepend({resultWithSummary(0, 10), resultWithSummary(1, 10), resultWithSummary(2, 10),
                       resultWithSummary(3, 10), resultWithSummary(4, 10)});
        QCOMPARE(queue.size(), qsizetype(10));
        queue.append(resultWithSummary(10, 10));
        queue.append(resultWithSummary(11, 10));
        QCOMPARE(queue.takeDropped(), qint64(2));
        const QList<StoredResult> all = queue.takeAll();
        QCOMPARE(all.size(), qsizetype(10));
        for (qsizetype i = 0; i < all.size(); ++i)
            QCOMPARE(all.at(i).timestampMs, qint64(i + 2));
    }
};

QTEST_GUILESS_MAIN(TestResultQueue)
#include "tst_resultqueue.moc"
