#include "ManualClock.h"
#include "alert/Muting.h"

#include <QSignalSpy>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

// Acknowledgements, maintenance windows and pauses on a hand-set clock: windows and timed
// pauses end by themselves at their time (and only then), "until resumed" never does.
class TestMuting : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void windowsAndPausesExpire()
    {
        ManualClock clock;
        clock.set(1'000'000);
        Muting muting(clock);
        QSignalSpy changed(&muting, &Muting::changed);
        muting.setMaintenance(QStringLiteral("acc"), 10min);
        muting.setPaused(QStringLiteral("prod"), 5min);
        muting.setPaused(QStringLiteral("test"), std::nullopt);
        QCOMPARE(changed.count(), 3);
        QVERIFY(muting.isMuted(QStringLiteral("acc")));
        QVERIFY(muting.isMuted(QStringLiteral("prod")));
        QVERIFY(!muting.isMuted(QStringLiteral("other")));
        QCOMPARE(muting.maintenanceUntilMs(QStringLiteral("acc")), 1'000'000 + 600'000);
        QCOMPARE(muting.pausedUntilMs(QStringLiteral("test")), 0);
        QVERIFY(muting.isPaused(QStringLiteral("test")));
        QCOMPARE(muting.nextExpiryMs(), 1'000'000 + 300'000);

        clock.advance(299'999);
        QCOMPARE(muting.expire(), QStringList());
        clock.advance(1);
        QCOMPARE(muting.expire(), QStringList{QStringLiteral("prod")}); // its monitor must resume
        QVERIFY(!muting.isPaused(QStringLiteral("prod")));
        QCOMPARE(muting.nextExpiryMs(), 1'000'000 + 600'000);
        clock.advance(300'000);
        QCOMPARE(muting.expire(), QStringList()); // a window's end resumes nothing
        QVERIFY(!muting.isMuted(QStringLiteral("acc")));
        QCOMPARE(muting.nextExpiryMs(), 0); // "until resumed" does not expire
        QVERIFY(muting.isPaused(QStringLiteral("test")));
        muting.clearPause(QStringLiteral("test"));
        QVERIFY(!muting.isMuted(QStringLiteral("test")));
    }

    void acknowledgements()
    {
        ManualClock clock;
        clock.set(42'000);
        Muting muting(clock);
        muting.acknowledge(QStringLiteral("acc"), QStringLiteral("redis"), QStringLiteral("alice"));
        const auto ack = muting.acknowledgement(QStringLiteral("acc"), QStringLiteral("redis"));
        QVERIFY(ack);
        QCOMPARE(ack->user, QStringLiteral("alice"));
        QCOMPARE(ack->atMs, 42'000);
        QVERIFY(!muting.acknowledgement(QStringLiteral("prod"), QStringLiteral("redis")));
        QVERIFY(!muting.isMuted(QStringLiteral("acc"))); // an acknowledgement mutes one service, not the deployment
        QSignalSpy changed(&muting, &Muting::changed);
        muting.clearAcknowledgement(QStringLiteral("acc"), QStringLiteral("redis"));
        muting.clearAcknowledgement(QStringLiteral("acc"), QStringLiteral("redis"));
        QCOMPARE(changed.count(), 1);
        QVERIFY(!Muting::localUserName().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMuting)
#include "tst_muting.moc"
