#include "RecordedBatches.h"
#include "detail/ChecksTableModel.h"
#include "detail/FailureView.h"
#include "model/DeploymentModel.h"
#include "overview/DeploymentPage.h"
#include "overview/OverviewView.h"
#include "overview/ServiceTileDelegate.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QListView>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTranslator>

using namespace okh;

// The overview drawn from recorded batches: the empty state, one tab per deployment, the
// root-cause line, keyboard navigation over the tiles, and a PNG of each state in the build
// folder (screenshots/) to look at.
class TestOverview : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyThenTiles()
    {
        DeploymentModel model;
        OverviewView view(model);
        view.resize(1040, 720);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.pages().isEmpty());
        save(view, QStringLiteral("overview-empty"));

        model.setDeployments({test::recordedDeployment()});
        QCOMPARE(view.pages().size(), 1);
        QCOMPARE(view.tabs()->tabText(0), QStringLiteral("acceptance"));
        DeploymentPage* page = view.pages().first();
        QCOMPARE(page->causeText(), QStringLiteral("Waiting for results…"));

        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        model.apply(test::healthyBatch(now));
        QCOMPARE(page->causeText(), QStringLiteral("All services healthy."));
        save(view, QStringLiteral("overview-healthy"));

        model.apply(test::redisDownBatch(now));
        QCOMPARE(
            page->causeText(),
            QStringLiteral("Root cause: redis is failing (not answering on 127.0.0.1:6379) — explains web, celery"));
        QCOMPARE(view.tabs()->tabToolTip(0), QStringLiteral("unhealthy"));

        // Keyboard: focus the tiles, arrows move between services.
        QListView* tiles = page->tiles();
        tiles->setFocus();
        tiles->setCurrentIndex(tiles->model()->index(0, 0, tiles->rootIndex()));
        QTest::keyClick(tiles, Qt::Key_Right);
        QCOMPARE(tiles->currentIndex().data().toString(), QStringLiteral("web"));

        // The selected tile's checks: the container detail.
        QCOMPARE(page->detailTitle(), QStringLiteral("Checks of web (web)"));
        QAbstractItemModel* checks = page->checksTable()->model();
        QAbstractItemModelTester tester(checks, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(checks->rowCount(), 3);
        const auto cell = [checks](int row, ChecksTableModel::Column column) {
            return checks->index(row, column).data().toString();
        };
        QCOMPARE(cell(1, ChecksTableModel::Name), QStringLiteral("readyz"));
        QCOMPARE(cell(1, ChecksTableModel::Role), QStringLiteral("readiness"));
        QCOMPARE(cell(1, ChecksTableModel::State), QStringLiteral("unhealthy"));
        QCOMPARE(cell(1, ChecksTableModel::Target), QStringLiteral("http://127.0.0.1:8000/_healthz/readyz/"));
        QVERIFY(cell(1, ChecksTableModel::LastResult).startsWith(QStringLiteral("HTTP 500 Internal Server Error")));
        QCOMPARE(cell(1, ChecksTableModel::Latency), QStringLiteral("1.1 ms"));
        QCOMPARE(cell(2, ChecksTableModel::State), QStringLiteral("healthy (passed; not run again)"));
        // The failing check is selected at once, and its details are beside the table.
        QCOMPARE(page->failureView()->check().data().toString(), QStringLiteral("readyz"));
        QCOMPARE(page->checksTable()->currentIndex().row(), 1);
        QVERIFY(page->failureView()->markdown().contains(QStringLiteral("✗ **Cache backend: default**")));
        save(view, QStringLiteral("overview-redis-down"));

        // Check now: the service from the tiles, the check from the table.
        QSignalSpy runNow(page, &DeploymentPage::runNowRequested);
        page->runCurrentNow();
        page->checksTable()->setFocus();
        page->runCurrentNow();
        QCOMPARE(runNow.size(), 2);
        QCOMPARE(runNow.at(0), (QVariantList{QStringLiteral("acceptance"), QStringLiteral("web"), QString()}));
        QCOMPARE(runNow.at(1),
                 (QVariantList{QStringLiteral("acceptance"), QStringLiteral("web"), QStringLiteral("readyz")}));
        tiles->setFocus();

        // redis: its password is masked in the target.
        QTest::keyClick(tiles, Qt::Key_Right);
        QCOMPARE(page->detailTitle(), QStringLiteral("Checks of redis (redis)"));
        const QString target = cell(0, ChecksTableModel::Target);
        QVERIFY2(target.contains(QStringLiteral("****")) && !target.contains(QStringLiteral("s3cret")),
                 qPrintable(target));
        QVERIFY(!page->grab().isNull());
    }

    // In Dutch: the same state, for a look at whether the texts fit.
    void dutch()
    {
        QTranslator dutch;
        QVERIFY(dutch.load(QStringLiteral(":/i18n/okhealth_nl.qm")));
        QCoreApplication::installTranslator(&dutch);
        DeploymentModel model;
        OverviewView view(model);
        view.resize(1040, 560);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        model.setDeployments({test::recordedDeployment()});
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        model.apply(test::healthyBatch(now));
        model.apply(test::redisDownBatch(now));
        QVERIFY2(view.pages().first()->causeText().startsWith(QStringLiteral("Oorzaak: redis faalt")),
                 qPrintable(view.pages().first()->causeText()));
        save(view, QStringLiteral("overview-redis-down-nl"));
        QCoreApplication::removeTranslator(&dutch);
    }

    void ageText_data()
    {
        QTest::addColumn<qint64>("ageMs");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none") << qint64(-1) << QStringLiteral("no result yet");
        QTest::newRow("seconds") << qint64(3'400) << QStringLiteral("3 s ago");
        QTest::newRow("minutes") << qint64(125'000) << QStringLiteral("2 min ago");
        QTest::newRow("hours") << qint64(3 * 3'600'000 + 5) << QStringLiteral("3 h ago");
    }
    void ageText()
    {
        QFETCH(qint64, ageMs);
        QFETCH(QString, expected);
        const qint64 now = 1'800'000'000'000;
        QCOMPARE(ServiceTileDelegate::ageText(ageMs < 0 ? 0 : now - ageMs, now), expected);
    }
    void sinceText_data()
    {
        QTest::addColumn<QDateTime>("since");
        QTest::addColumn<QString>("expected");
        QTest::newRow("today") << QDateTime(QDate(2026, 12, 7), QTime(9, 5, 40)) << QStringLiteral("09:05");
        QTest::newRow("just after midnight") << QDateTime(QDate(2026, 12, 7), QTime(0, 1)) << QStringLiteral("00:01");
        QTest::newRow("yesterday") << QDateTime(QDate(2026, 12, 6), QTime(23, 59))
                                   << QStringLiteral("06/12/2026 23:59");
        QTest::newRow("last year") << QDateTime(QDate(2025, 12, 7), QTime(14, 30))
                                   << QStringLiteral("07/12/2025 14:30");
    }
    void sinceText()
    {
        QFETCH(QDateTime, since);
        QFETCH(QString, expected);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        const QString text = ChecksTableModel::sinceText(since, QDateTime(QDate(2026, 12, 7), QTime(14, 30)));
        QLocale::setDefault(QLocale::system());
        QCOMPARE(text, expected);
    }

private:
    static void save(QWidget& widget, const QString& name)
    {
        const QString dir = QStringLiteral(OKHEALTH_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        QVERIFY(widget.grab().save(dir + u'/' + name + QStringLiteral(".png")));
    }
};

QTEST_MAIN(TestOverview)
#include "tst_overview.moc"
