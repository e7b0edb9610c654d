#include "TestSupport.h"
#include "demo/DemoMenu.h"
#include "demo/DemoMode.h"
#include "demo/StandinHost.h"
#include "model/DeploymentModel.h"
#include "overview/DeploymentPage.h"
#include "overview/OverviewView.h"
#include "standin/StandinDeployment.h"
#include "window/MainWindow.h"
#include "window/RecentFiles.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <csignal>
#include <memory>

using namespace okh;

// The stand-in deployment `scripts/run` starts for a newcomer, on its real servers (redis,
// PostgreSQL, Django, a Celery worker, nginx, the Flower stand-in), in the real main window:
// everything healthy; redis stopped → redis unhealthy and the root cause, web's readyz and the
// worker's ping its consequences, the cause line naming redis, all within interval + timeout;
// redis started again → healthy again. The stand-in's servers are gone when it is destroyed.
class TestStandin : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QFile::remove(MainWindow::historyPath());
        RecentFiles::clear();
        standin::StandinDeployment::Options options;
        options.name = QStringLiteral("standin");
        options.interval = std::chrono::seconds(1);
        options.failureThreshold = 1;
        m_standin = std::make_unique<standin::StandinDeployment>(options);
        QElapsedTimer clock;
        clock.start();
        QVERIFY2(m_standin->start(), qPrintable(m_standin->errorString()));
        qInfo("stand-in started in %lld ms", qint64(clock.elapsed()));
        for (const auto& [name, value] : m_standin->environment())
            qputenv(name.toUtf8().constData(), value.toUtf8());
        QCOMPARE(m_standin->pids().size(), standin::StandinDeployment::serviceNames().size());
    }

    void deploymentFileHasNoSecrets()
    {
        QFile file(m_standin->deploymentFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        for (const auto& [name, value] : m_standin->environment()) {
            QVERIFY2(!text.contains(value.toUtf8()), qPrintable(name));
            QVERIFY2(text.contains(QByteArray("${" + name.toUtf8() + "}")), qPrintable(name));
        }
    }

    void redisDownExplainsWebAndCelery()
    {
        auto* window = new MainWindow;
        window->setAttribute(Qt::WA_DeleteOnClose);
        QPointer<MainWindow> alive(window);
        window->show();
        QSignalSpy opened(window, &MainWindow::deploymentsOpened);
        window->open({m_standin->deploymentFile()});
        QVERIFY(opened.wait(5000));
        DeploymentModel& model = window->model();
        const QModelIndex deployment = model.deploymentIndex(QStringLiteral("standin"));
        QVERIFY(deployment.isValid());
        QCOMPARE(model.rowCount(deployment), standin::StandinDeployment::serviceNames().size());
        const auto status
            = [](const QModelIndex& index) { return ProbeStatus(index.data(DeploymentModel::StatusRole).toInt()); };
        const auto service = [&](const QString& name) { return model.serviceIndex(QStringLiteral("standin"), name); };
        const auto check = [&](const QString& s, const QString& c) {
            return status(model.checkIndex({QStringLiteral("standin"), s, c}));
        };
        const auto describe = [&] {
            QStringList out;
            for (int row = 0; row < model.rowCount(deployment); ++row) {
                const QModelIndex s = model.index(row, 0, deployment);
                out << QStringLiteral("%1=%2 (%3)")
                           .arg(s.data().toString(), s.data(DeploymentModel::StatusTextRole).toString(),
                                s.data(DeploymentModel::ConclusionTextRole).toString());
            }
            return out.join(QStringLiteral("; "));
        };
        QVERIFY2(test::spinUntil([&] { return status(deployment) == ProbeStatus::Healthy; }, 30000),
                 qPrintable(describe()));
        DeploymentPage* page = window->overview().pages().first();
        QCOMPARE(page->causeText(), QStringLiteral("All services healthy."));

        // redis stops: within interval (1 s) + timeout (web 5 s, the worker's ping 5 s), plus a
        // second for the batch, redis is the root cause and web and celery its consequences.
        QVERIFY(m_standin->stopService(QStringLiteral("redis")));
        QElapsedTimer clock;
        clock.start();
        const QModelIndex redis = service(QStringLiteral("redis"));
        const QModelIndex web = service(QStringLiteral("web"));
        const QModelIndex celery = service(QStringLiteral("celery"));
        const auto causedByRedis = [](const QModelIndex& index) {
            return index.data(DeploymentModel::CausedByRole).toStringList() == QStringList{QStringLiteral("redis")};
        };
        QVERIFY2(test::spinUntil(
                     [&] {
                         return status(redis) == ProbeStatus::Unhealthy
                             && redis.data(DeploymentModel::RootCauseRole).toBool()
                             && check(QStringLiteral("web"), QStringLiteral("readyz")) == ProbeStatus::Unhealthy
                             && check(QStringLiteral("celery"), QStringLiteral("ping")) == ProbeStatus::Unhealthy
                             && causedByRedis(web) && causedByRedis(celery);
                     },
                     7000),
                 qPrintable(describe() + QStringLiteral(" | ") + page->causeText()));
        qInfo("redis down → consequences shown after %lld ms", qint64(clock.elapsed()));
        QVERIFY2(page->causeText().contains(QLatin1String("redis")), qPrintable(page->causeText()));
        QVERIFY2(page->causeText().contains(QLatin1String("web"))
                     && page->causeText().contains(QLatin1String("celery")),
                 qPrintable(page->causeText()));
        // The database and nginx's own health are not blamed on redis.
        QCOMPARE(status(service(QStringLiteral("db"))), ProbeStatus::Healthy);
        // No password on screen: the target of redis's check is masked.
        const QString target
            = model.checkIndex({QStringLiteral("standin"), QStringLiteral("redis"), QStringLiteral("ping")})
                  .data(DeploymentModel::TargetRole)
                  .toString();
        for (const auto& [name, value] : m_standin->environment())
            QVERIFY2(!target.contains(value), qPrintable(name));

        // redis is back: every service healthy again (the worker reconnects on its own).
        QVERIFY2(m_standin->startService(QStringLiteral("redis")), qPrintable(m_standin->errorString()));
        clock.restart();
        QVERIFY2(test::spinUntil([&] { return status(deployment) == ProbeStatus::Healthy; }, 30000),
                 qPrintable(describe()));
        qInfo("redis back → healthy after %lld ms", qint64(clock.elapsed()));
        QCOMPARE(page->causeText(), QStringLiteral("All services healthy."));

        window->close();
        QVERIFY2(test::spinUntil([&] { return alive.isNull(); }, 8000), "the window closes");
    }

    void destroyingStopsEveryServer()
    {
        const QList<qint64> pids = m_standin->pids();
        QVERIFY(!pids.isEmpty());
        const QString file = m_standin->deploymentFile();
        m_standin.reset();
        for (const qint64 pid : pids)
            QVERIFY2(::kill(pid_t(pid), 0) != 0, qPrintable(QString::number(pid))); // reaped: no such process
        QVERIFY(!QFile::exists(file));
    }

    // `okhealth --demo`: the host starts the stand-in on its own thread while the window waits
    // on nothing; the Demo menu stops nginx (unhealthy, "Start nginx") and starts it again;
    // shutting the host down stops every server.
    void demoModeAndMenu()
    {
        auto* window = new MainWindow;
        window->setAttribute(Qt::WA_DeleteOnClose);
        QPointer<MainWindow> alive(window);
        StandinHost host;
        auto* demo = new DemoMode(*window, host);
        window->show();
        QSignalSpy opened(window, &MainWindow::deploymentsOpened);
        QSignalSpy starting(&host, &StandinHost::starting);
        demo->start();
        QVERIFY(window->overview().emptyText().startsWith(QStringLiteral("Starting a stand-in")));
        QVERIFY2(opened.wait(60000), "the stand-in's file is opened");
        QCOMPARE(starting.size(), StandinHost::serviceNames().size());
        QVERIFY(!RecentFiles::files().contains(opened.first().first().toStringList().first())); // a temp file

        auto* menu = window->findChild<DemoMenu*>();
        QVERIFY(menu);
        QAction* nginx = menu->actionFor(QStringLiteral("nginx"));
        QVERIFY(nginx);
        QCOMPARE(nginx->text(), QStringLiteral("Stop nginx"));
        QVERIFY(nginx->isEnabled());
        const QModelIndex service = window->model().serviceIndex(QStringLiteral("stand-in"), QStringLiteral("nginx"));
        QVERIFY(service.isValid());
        const auto status = [&] { return ProbeStatus(service.data(DeploymentModel::StatusRole).toInt()); };
        QVERIFY(test::spinUntil([&] { return status() == ProbeStatus::Healthy; }, 30000));

        nginx->trigger();
        QCOMPARE(nginx->text(), QStringLiteral("Stopping nginx…"));
        QVERIFY(!nginx->isEnabled()); // no second request while one runs
        QVERIFY(test::spinUntil([&] { return nginx->text() == QStringLiteral("Start nginx"); }, 10000));
        QVERIFY(nginx->isEnabled());
        // The stand-in's checks: every 3 s, unhealthy after 2 failures.
        QVERIFY2(test::spinUntil([&] { return status() == ProbeStatus::Unhealthy; }, 15000),
                 qPrintable(service.data(DeploymentModel::ConclusionTextRole).toString()));
        nginx->trigger();
        QVERIFY(test::spinUntil([&] { return nginx->text() == QStringLiteral("Stop nginx"); }, 10000));
        QVERIFY(test::spinUntil([&] { return status() == ProbeStatus::Healthy; }, 15000));

        window->close();
        QVERIFY2(test::spinUntil([&] { return alive.isNull(); }, 8000), "the window closes");
        QSignalSpy finished(&host, &StandinHost::finished);
        host.shutdown();
        QVERIFY(finished.wait(20000));
        QVERIFY(!host.isRunning());
        QVERIFY(!host.isServiceRunning(QStringLiteral("redis")));
    }

private:
    std::unique_ptr<standin::StandinDeployment> m_standin;
};

QTEST_MAIN(TestStandin)
#include "tst_standin.moc"
