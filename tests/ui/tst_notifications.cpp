#include "NotificationDaemon.h"
#include "TestSupport.h"
#include "alert/Muting.h"
#include "history/HistoryView.h"
#include "history/IncidentModel.h"
#include "model/DeploymentModel.h"
#include "notify/AlertHub.h"
#include "overview/DeploymentPage.h"
#include "overview/OverviewView.h"
#include "settings/AppSettings.h"
#include "standin/RedisServer.h"
#include "standin/XvfbDisplay.h"
#include "window/MainWindow.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

// The whole way, on real servers: the app watches a real redis-server; when it stops, a
// notification reaches a real notification daemon (dunst on a private session bus, drawing on
// Xvfb) root cause first; choosing its Acknowledge action shows the incident as acknowledged by
// the local user; recovery clears it; a maintenance window keeps quiet and tells what is still
// wrong when it ends.
class TestNotifications : public QObject
{
    Q_OBJECT

private:
    standin::XvfbDisplay m_display;
    test::NotificationDaemon m_daemon;
    test::RedisServer m_redis;
    QTemporaryDir m_dir;

    QString writeDeployment()
    {
        const QString path = m_dir.filePath(QStringLiteral("local.json"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        const QString json = QStringLiteral(
            "{\"version\": 1, \"deployments\": [{\"name\": \"local\", \"connection\": {\"type\": \"direct\"},"
            " \"services\": [{\"name\": \"redis\", \"kind\": \"redis\", \"checks\": [{\"name\": \"ping\","
            " \"type\": \"redis\", \"role\": \"liveness\", \"url\": \"redis://127.0.0.1:%1/0\","
            " \"interval\": \"200ms\", \"timeout\": \"500ms\"}]}]}]}\n");
        file.write(json.arg(m_redis.port()).toUtf8());
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QFile::remove(MainWindow::historyPath());
        QVERIFY2(m_display.start(QStringLiteral("800x600x24")), qPrintable(m_display.errorString()));
        QVERIFY2(m_daemon.startBus(), qPrintable(m_daemon.errorString()));
        QVERIFY2(m_daemon.startDunst(m_display.display()), qPrintable(m_daemon.errorString()));
        // Read once, at the first use of the session bus: the window's notifier uses this one.
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_daemon.busAddress().toUtf8());
        QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
        m_redis.setPort(m_redis.port()); // restarted on the port the deployment file names
        AppSettings::instance().setValue(AppSettings::Key::NotifyThrottleMinutes, 0);
    }

    void cleanupTestCase() { QSettings().clear(); }

    void notifyAcknowledgeRecoverAndMaintenance()
    {
        auto* window = new MainWindow;
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->show();
        QSignalSpy alerted(&window->alerts(), &AlertHub::alerted);
        window->open({writeDeployment()});
        const auto redis
            = [window] { return window->model().serviceIndex(QStringLiteral("local"), QStringLiteral("redis")); };
        const auto status = [&] { return ProbeStatus(redis().data(DeploymentModel::StatusRole).toInt()); };
        QVERIFY2(test::spinUntil([&] { return status() == ProbeStatus::Healthy; }, 8000), "redis becomes healthy");
        QTest::qWait(500);
        QCOMPARE(alerted.count(), 0); // healthy from the start: nothing to tell

        // Down: one notification at the daemon, with Acknowledge; chosen, the tile says so.
        m_redis.stop();
        QVERIFY(test::spinUntil([&] { return alerted.count() == 1; }, 10000));
        QCOMPARE(alerted.first().first().value<Alert>().title, QStringLiteral("redis is down"));
        QVERIFY(test::spinUntil(
            [&] {
                return m_daemon.dunstctl({QStringLiteral("count"), QStringLiteral("displayed")}).trimmed() == u"1";
            },
            5000));
        m_daemon.chooseInMenu(QStringLiteral("Acknowledge"));
        m_daemon.dunstctl({QStringLiteral("context")});
        QVERIFY(test::spinUntil(
            [&] { return redis().data(DeploymentModel::AcknowledgedByRole).toString() == Muting::localUserName(); },
            5000));
        QVERIFY2(m_daemon.menuOffered().contains(QStringLiteral("#Acknowledge (redis is down)")),
                 qPrintable(m_daemon.menuOffered()));
        QVERIFY2(redis()
                     .data(Qt::AccessibleTextRole)
                     .toString()
                     .endsWith(QStringLiteral("; acknowledged by ") + Muting::localUserName()),
                 qPrintable(redis().data(Qt::AccessibleTextRole).toString()));

        // ... and so does the ongoing incident in redis's history.
        window->showService(QStringLiteral("local"), QStringLiteral("redis"));
        DeploymentPage* redisPage = window->overview().pages().first();
        redisPage->detailTabs()->setCurrentIndex(1);
        IncidentModel* incidents = redisPage->historyView()->incidents();
        const QString ongoing = QStringLiteral("ongoing · acknowledged by ") + Muting::localUserName();
        QVERIFY2(test::spinUntil(
                     [&] {
                         for (int row = 0; row < incidents->rowCount(); ++row) {
                             if (incidents->index(row, IncidentModel::End).data().toString() == ongoing)
                                 return true;
                         }
                         return false;
                     },
                     8000),
                 "the incident list shows the acknowledgement");

        // Back: the acknowledgement ends with the incident, and the recovery is told.
        QVERIFY(m_redis.start());
        QVERIFY(test::spinUntil([&] { return alerted.count() == 2; }, 10000));
        QCOMPARE(alerted.at(1).first().value<Alert>().title, QStringLiteral("redis is healthy again"));
        QCOMPARE(redis().data(DeploymentModel::AcknowledgedByRole).toString(), QString());

        // A maintenance window: down is not told while it lasts; ended, what is still wrong is.
        window->startMaintenance(QStringLiteral("local"), 30min);
        DeploymentPage* page = window->overview().pages().first();
        QVERIFY2(page->causeText().contains(QStringLiteral("\nMaintenance window until ")),
                 qPrintable(page->causeText()));
        m_redis.stop();
        QVERIFY(test::spinUntil([&] { return status() == ProbeStatus::Unhealthy; }, 5000));
        QTest::qWait(3500); // longer than the group window
        QCOMPARE(alerted.count(), 2);
        window->startMaintenance(QStringLiteral("local"), 0min);
        QVERIFY(test::spinUntil([&] { return alerted.count() == 3; }, 5000));
        QCOMPARE(alerted.at(2).first().value<Alert>().title, QStringLiteral("redis is down"));
        QVERIFY(m_redis.start());

        QPointer<MainWindow> alive(window);
        window->quit();
        QVERIFY(test::spinUntil([&] { return alive.isNull(); }, 8000));
    }
};

QTEST_MAIN(TestNotifications)
#include "tst_notifications.moc"
