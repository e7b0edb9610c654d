#include "RecordedBatches.h"
#include "model/DeploymentModel.h"
#include "model/ServiceFilterModel.h"
#include "overview/DeploymentPage.h"
#include "overview/OverviewView.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QLineEdit>
#include <QListView>
#include <QTabWidget>
#include <QTest>
#include <QTranslator>

using namespace okh;

namespace {

enum class Batch { None, Healthy, RedisDown };

QStringList names(QStringView spaced)
{
    return spaced.toString().split(u' ', Qt::SkipEmptyParts);
}

QStringList shownServices(const ServiceFilterModel& filter)
{
    QStringList names;
    const QModelIndex deployment = filter.index(0, 0);
    for (int row = 0; row < filter.rowCount(deployment); ++row)
        names << filter.index(row, 0, deployment).data().toString();
    return names;
}

void apply(DeploymentModel& model, Batch batch)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (batch == Batch::Healthy)
        model.apply(test::healthyBatch(now));
    else if (batch == Batch::RedisDown)
        model.apply(test::redisDownBatch(now));
}

} // namespace

Q_DECLARE_METATYPE(Batch)

// The overview's filter by status and text: which tiles stay, as the state changes, and what
// the page and its tab say while the filter hides services.
class TestServiceFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // English plural forms come from the English catalogue, as in the app.
        QVERIFY(m_english.load(QStringLiteral(":/i18n/okhealth_en.qm")));
        QCoreApplication::installTranslator(&m_english);
    }

    void filters_data()
    {
        QTest::addColumn<Batch>("batch");
        QTest::addColumn<ServiceFilterModel::Show>("show");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        using S = ServiceFilterModel::Show;
        const QStringList all = names(u"nginx web redis db celery");
        QTest::newRow("everything") << Batch::RedisDown << S::All << QString() << all;
        QTest::newRow("problems include a pending failure")
            << Batch::RedisDown << S::Problems << QString() << names(u"web redis celery");
        QTest::newRow("unhealthy") << Batch::RedisDown << S::Unhealthy << QString() << names(u"web redis");
        QTest::newRow("unknown before any result") << Batch::None << S::Unknown << QString() << all;
        QTest::newRow("unknown once results came") << Batch::RedisDown << S::Unknown << QString() << QStringList{};
        QTest::newRow("no problems when healthy") << Batch::Healthy << S::Problems << QString() << QStringList{};
        QTest::newRow("text finds causes")
            << Batch::RedisDown << S::All << QStringLiteral("redis") << names(u"web redis celery");
        QTest::newRow("text finds a check")
            << Batch::RedisDown << S::All << QStringLiteral("pg_isready") << names(u"db");
        QTest::newRow("case does not matter")
            << Batch::Healthy << S::All << QStringLiteral("READYZ") << names(u"nginx web");
        QTest::newRow("every word must match")
            << Batch::Healthy << S::All << QStringLiteral("  readyz   web ") << names(u"web");
        QTest::newRow("status and text together")
            << Batch::RedisDown << S::Problems << QStringLiteral("celery") << names(u"celery");
        QTest::newRow("nothing matches") << Batch::Healthy << S::All << QStringLiteral("zzz") << QStringList{};
    }
    void filters()
    {
        QFETCH(Batch, batch);
        QFETCH(ServiceFilterModel::Show, show);
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        DeploymentModel model;
        ServiceFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDeployments({test::recordedDeployment()});
        apply(model, batch);
        filter.setShow(show);
        filter.setText(text);
        QCOMPARE(shownServices(filter), expected);
        QCOMPARE(filter.rowCount(), 1); // the deployment always stays
        // A shown service keeps all its checks.
        const QModelIndex first = filter.index(0, 0, filter.index(0, 0));
        if (first.isValid())
            QCOMPARE(filter.rowCount(first), model.rowCount(filter.mapToSource(first)));
    }

    // Under "with problems", services come and go with the batches, without a reset.
    void followsTheState()
    {
        DeploymentModel model;
        ServiceFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDeployments({test::recordedDeployment()});
        filter.setShow(ServiceFilterModel::Show::Problems);
        QCOMPARE(shownServices(filter).size(), 5); // unknown counts as a problem
        apply(model, Batch::Healthy);
        QCOMPARE(shownServices(filter), QStringList{});
        apply(model, Batch::RedisDown);
        QCOMPARE(shownServices(filter), (names(u"web redis celery")));
        apply(model, Batch::Healthy);
        QCOMPARE(shownServices(filter), QStringList{});
    }

    // The overview's filter bar drives every page; the page says when nothing is left and the
    // tab how many are shown; a tile selected through the filter shows its own checks.
    void overviewFilterBar()
    {
        DeploymentModel model;
        OverviewView view(model);
        view.resize(1040, 600);
        model.setDeployments({test::recordedDeployment()});
        apply(model, Batch::RedisDown);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        DeploymentPage* page = view.pages().value(0);
        QVERIFY(page);
        QCOMPARE(view.tabs()->tabText(0), QStringLiteral("acceptance"));

        view.focusFilter();
        QVERIFY(view.filterEdit()->hasFocus());
        QTest::keyClicks(view.filterEdit(), QStringLiteral("redis"));
        QCOMPARE(view.tabs()->tabText(0), QStringLiteral("acceptance (3 of 5)"));
        QCOMPARE(page->noMatchText(), QString());
        page->tiles()->setCurrentIndex(page->tiles()->model()->index(0, 0, page->tiles()->rootIndex()));
        QCOMPARE(page->currentService().data().toString(), QStringLiteral("web"));
        QCOMPARE(page->detailTitle(), QStringLiteral("Checks of web (web)"));
        grab(view, QStringLiteral("overview-filtered"));

        view.showCombo()->setCurrentIndex(view.showCombo()->findData(int(ServiceFilterModel::Show::Unhealthy)));
        QCOMPARE(view.tabs()->tabText(0), QStringLiteral("acceptance (2 of 5)"));
        QTest::keyClicks(view.filterEdit(), QStringLiteral(" zzz"));
        QCOMPARE(view.tabs()->tabText(0), QStringLiteral("acceptance (0 of 5)"));
        QCOMPARE(page->noMatchText(),
                 QStringLiteral("No service of acceptance matches the filter; 5 services hidden."));
        QVERIFY(!page->currentService().isValid());
        QCOMPARE(page->detailTitle(), QStringLiteral("Select a service to see its checks."));

        QTest::keyClick(view.filterEdit(), Qt::Key_Escape); // clears the text, keeps the status
        QCOMPARE(view.filterEdit()->text(), QString());
        QCOMPARE(view.tabs()->tabText(0), QStringLiteral("acceptance (2 of 5)"));
        view.showCombo()->setCurrentIndex(0);
        QCOMPARE(view.tabs()->tabText(0), QStringLiteral("acceptance"));
        QCOMPARE(page->noMatchText(), QString());
    }

private:
    QTranslator m_english;

    static void grab(QWidget& widget, const QString& name)
    {
        const QString dir = QStringLiteral(OKHEALTH_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        QVERIFY(widget.grab().save(dir + u'/' + name + QStringLiteral(".png")));
    }
};

QTEST_MAIN(TestServiceFilter)
#include "tst_servicefilter.moc"
