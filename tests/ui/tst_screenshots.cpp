#include "TestSupport.h"
#include "model/DeploymentModel.h"
#include "overview/DeploymentPage.h"
#include "overview/OverviewView.h"
#include "paint/Theme.h"
#include "settings/SettingsDialog.h"
#include "smoke/SmokeCheckDialog.h"
#include "standin/StandinDeployment.h"
#include "standin/XvfbDisplay.h"
#include "translations/Catalogues.h"
#include "window/MainWindow.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QListView>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QTranslator>
#include <memory>

using namespace okh;

// The screenshot run: the main window on the stand-in deployment's real servers, rendered by a
// real X server (Xvfb, started by this test) and grabbed from it, in English and in Dutch: the
// overview with everything healthy, then with redis stopped and web's tile selected (the
// container detail and the failure view of readyz), then that check's history tab. The PNGs
// go to build/screenshots/xvfb/ to be looked at; the good ones are in docs/images/.
class TestScreenshots : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QFile::remove(MainWindow::historyPath());
        QSettings().clear();
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
        standin::StandinDeployment::Options options;
        options.name = QStringLiteral("stand-in");
        options.interval = std::chrono::seconds(1);
        m_standin = std::make_unique<standin::StandinDeployment>(options);
        QVERIFY2(m_standin->start(), qPrintable(m_standin->errorString()));
        for (const auto& [name, value] : m_standin->environment())
            qputenv(name.toUtf8().constData(), value.toUtf8());
        m_dir = QStringLiteral(OKHEALTH_SCREENSHOT_DIR) + QStringLiteral("/xvfb");
        QVERIFY(QDir().mkpath(m_dir));
    }

    void views_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("healthyText");
        QTest::newRow("en") << QStringLiteral("en") << QStringLiteral("All services healthy.");
        QTest::newRow("nl") << QStringLiteral("nl") << QStringLiteral("Alle services gezond.");
    }

    void views()
    {
        QFETCH(QString, language);
        QFETCH(QString, healthyText);
        useLanguage(language == QLatin1String("nl") ? QLocale(QLocale::Dutch, QLocale::Netherlands)
                                                    : QLocale(QLocale::English, QLocale::UnitedKingdom));
        QVERIFY(m_standin->isRunning(QStringLiteral("redis")));

        auto* window = new MainWindow;
        window->setAttribute(Qt::WA_DeleteOnClose);
        QPointer<MainWindow> alive(window);
        window->resize(1280, 800);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QSignalSpy opened(window, &MainWindow::deploymentsOpened);
        window->open({m_standin->deploymentFile()}, MainWindow::Remember::No);
        QVERIFY(opened.wait(5000));
        const QModelIndex deployment = window->model().deploymentIndex(QStringLiteral("stand-in"));
        const auto status
            = [](const QModelIndex& index) { return ProbeStatus(index.data(DeploymentModel::StatusRole).toInt()); };
        QVERIFY(test::spinUntil([&] { return status(deployment) == ProbeStatus::Healthy; }, 30000));
        QTest::qWait(4000); // a few results for the sparklines
        DeploymentPage* page = window->overview().pages().first();
        QCOMPARE(page->causeText(), healthyText);
        save(*window, QStringLiteral("overview-healthy-") + language);

        // redis stops: the root cause line, web's tile selected, its readyz failure shown.
        QVERIFY(m_standin->stopService(QStringLiteral("redis")));
        const QModelIndex web = window->model().serviceIndex(QStringLiteral("stand-in"), QStringLiteral("web"));
        QVERIFY(test::spinUntil(
            [&] {
                return status(web) == ProbeStatus::Unhealthy
                    && web.data(DeploymentModel::CausedByRole).toStringList() == QStringList{QStringLiteral("redis")};
            },
            20000));
        QListView* tiles = page->tiles();
        for (int row = 0; row < tiles->model()->rowCount(tiles->rootIndex()); ++row) {
            const QModelIndex tile = tiles->model()->index(row, 0, tiles->rootIndex());
            if (tile.data().toString() == QLatin1String("web"))
                tiles->setCurrentIndex(tile);
        }
        QCOMPARE(page->currentService().data().toString(), QStringLiteral("web"));
        QTest::qWait(1500); // the failure view's next result and the history's first answer
        save(*window, QStringLiteral("failure-readyz-") + language);
        page->detailTabs()->setCurrentIndex(1);
        QTest::qWait(1500);
        save(*window, QStringLiteral("history-readyz-") + language);

        // Run Smoke Check with redis down: its report, root cause first.
        SmokeCheckDialog* smoke = window->openSmokeCheck(QStringLiteral("stand-in"));
        QSignalSpy smokeDone(smoke, &SmokeCheckDialog::finished);
        QVERIFY(smokeDone.wait(30000));
        QVERIFY(QTest::qWaitForWindowExposed(smoke));
        QTest::qWait(300);
        save(*smoke, QStringLiteral("smoke-redis-down-") + language);
        smoke->close();

        // Acknowledged and in a maintenance window: the banner and redis's tile say so.
        window->acknowledgeIncident(QStringLiteral("stand-in"));
        window->startMaintenance(QStringLiteral("stand-in"), std::chrono::minutes(60));
        page->detailTabs()->setCurrentIndex(0);
        QTest::qWait(300);
        save(*window, QStringLiteral("acknowledged-maintenance-") + language);
        if (language == QLatin1String("en")) {
            Theme::apply(AppSettings::Theme::Dark);
            QTest::qWait(300);
            save(*window, QStringLiteral("overview-dark-en"));
            Theme::apply(AppSettings::Theme::System);
        }
        window->startMaintenance(QStringLiteral("stand-in"), std::chrono::minutes(0));

        // Preferences, each page.
        SettingsDialog* settings = window->openSettings();
        QVERIFY(QTest::qWaitForWindowExposed(settings));
        const char* pages[] = {"general", "notifications", "history", "checks"};
        for (int i = 0; i < int(std::size(pages)); ++i) {
            settings->tabs()->setCurrentIndex(i);
            QTest::qWait(200);
            save(*settings, QStringLiteral("settings-%1-").arg(QLatin1String(pages[i])) + language);
        }
        settings->close();

        QVERIFY(m_standin->startService(QStringLiteral("redis")));
        window->close();
        QVERIFY(test::spinUntil([&] { return alive.isNull(); }, 8000));
    }

private:
    static void useLanguage(const QLocale& locale)
    {
        for (QTranslator* translator : qApp->findChildren<QTranslator*>()) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
        QLocale::setDefault(locale);
        installTranslations();
    }

    void save(QWidget& window, const QString& name)
    {
        QApplication::processEvents();
        // From the X server's framebuffer: what an operator would see, not a widget render.
        const QPixmap shot = window.screen()->grabWindow(window.winId());
        QVERIFY(!shot.isNull());
        QVERIFY(shot.save(m_dir + u'/' + name + QStringLiteral(".png")));
    }

    std::unique_ptr<standin::StandinDeployment> m_standin;
    QString m_dir;
};

int main(int argc, char* argv[])
{
    test::XvfbDisplay display;
    if (!display.start()) {
        qCritical("%s", qPrintable(display.errorString()));
        return 1;
    }
    QApplication app(argc, argv);
    TestScreenshots test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_screenshots.moc"
