#include "RecordedBatches.h"
#include "model/DeploymentModel.h"
#include "translations/Catalogues.h"
#include "tray/TrayIcon.h"
#include "tray/TrayStatus.h"

#include <QMainWindow>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTest>

using namespace okh;

// The tray's status: the worst across deployments, a tooltip with counts and each troubled
// deployment's cause line; changed() only when something shown changes.
class TestTrayStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        installTranslations();
    }

    void followsTheDeployments()
    {
        DeploymentModel model;
        TrayStatus status(model);
        QSignalSpy changed(&status, &TrayStatus::changed);
        QCOMPARE(status.worst(), ProbeStatus::Unknown);
        QCOMPARE(status.toolTip(), QStringLiteral("OK Health\nNo deployment open"));

        const DeploymentSpec spec = test::recordedDeployment();
        model.setDeployments({spec});
        QCOMPARE(status.worst(), ProbeStatus::Unknown); // no result yet
        QVERIFY2(status.toolTip().contains(QStringLiteral("1 deployment: 1 unknown")), qPrintable(status.toolTip()));

        changed.clear();
        model.apply(test::healthyBatch(1'000'000));
        QCOMPARE(status.worst(), ProbeStatus::Healthy);
        QCOMPARE(status.toolTip(), QStringLiteral("OK Health\n1 deployment: 1 healthy"));
        QCOMPARE(changed.size(), 1);

        model.apply(test::redisDownBatch(1'010'000));
        QCOMPARE(status.worst(), ProbeStatus::Unhealthy);
        const QStringList lines = status.toolTip().split(u'\n');
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines.at(1), QStringLiteral("1 deployment: 1 unhealthy"));
        QVERIFY2(lines.at(2).startsWith(spec.name + QStringLiteral(": "))
                     && lines.at(2).contains(QStringLiteral("redis")),
                 qPrintable(lines.at(2)));

        // The same state again changes nothing shown: no signal, no icon redrawn.
        changed.clear();
        model.apply(test::redisDownBatch(1'011'000));
        QCOMPARE(changed.size(), 0);

        model.setDeployments({});
        QCOMPARE(status.worst(), ProbeStatus::Unknown);
        QCOMPARE(changed.size(), 1);
    }

    // Offscreen (as in CI) there is no tray: the icon is not made, and nothing breaks.
    void noTrayNoIcon()
    {
        DeploymentModel model;
        TrayStatus status(model);
        QMainWindow window;
        TrayIcon tray(status, window);
        QCOMPARE(tray.isShown(), QSystemTrayIcon::isSystemTrayAvailable());
        if (!QSystemTrayIcon::isSystemTrayAvailable())
            QVERIFY(!tray.icon());
    }
};

QTEST_MAIN(TestTrayStatus)
#include "tst_traystatus.moc"
