#include "util/ClosestMatch.h"

#include <QTest>

class TestClosestMatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void match_data()
    {
        QTest::addColumn<QString>("word");
        QTest::addColumn<QString>("expected");
        QTest::newRow("case only") << QStringLiteral("failurethreshold") << QStringLiteral("failureThreshold");
        QTest::newRow("one letter missing") << QStringLiteral("timout") << QStringLiteral("timeout");
        QTest::newRow("one letter extra") << QStringLiteral("webb") << QStringLiteral("web");
        QTest::newRow("two edits in a long word")
            << QStringLiteral("sucessTreshold") << QStringLiteral("successThreshold");
        QTest::newRow("too far") << QStringLiteral("colour") << QString();
        QTest::newRow("short words need exactness") << QStringLiteral("xy") << QString();
        QTest::newRow("exact") << QStringLiteral("timeout") << QStringLiteral("timeout");
        QTest::newRow("empty") << QString() << QString();
    }
    void match()
    {
        QFETCH(QString, word);
        QFETCH(QString, expected);
        const QStringList candidates{QStringLiteral("timeout"), QStringLiteral("failureThreshold"),
                                     QStringLiteral("successThreshold"), QStringLiteral("web"),
                                     QStringLiteral("interval")};
        QCOMPARE(okh::closestMatch(word, candidates), expected);
    }

    void distance_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("distance");
        QTest::newRow("equal") << QStringLiteral("abc") << QStringLiteral("abc") << 0;
        QTest::newRow("case-insensitive") << QStringLiteral("ABC") << QStringLiteral("abc") << 0;
        QTest::newRow("kitten sitting") << QStringLiteral("kitten") << QStringLiteral("sitting") << 3;
        QTest::newRow("empty") << QString() << QStringLiteral("abc") << 3;
        QTest::newRow("transposition is two") << QStringLiteral("ab") << QStringLiteral("ba") << 2;
    }
    void distance()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, distance);
        QCOMPARE(okh::editDistance(a, b), distance);
        QCOMPARE(okh::editDistance(b, a), distance);
    }
};

QTEST_GUILESS_MAIN(TestClosestMatch)
#include "tst_closestmatch.moc"
