#include "history/HistoryView.h"
#include "history/IncidentModel.h"
#include "history/LatencyChart.h"
#include "history/TimelineBand.h"
#include "store/HistoryStore.h"
#include "util/Clock.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

namespace {

// 2026-12-07 12:00:00 UTC.
constexpr qint64 Now = 1'796'644'800'000;
constexpr qint64 Minute = 60'000;

class FixedClock final : public Clock
{
public:
    qint64 nowMs() const override { return Now; }
};

const CheckKey Readyz{QStringLiteral("acceptance"), QStringLiteral("web"), QStringLiteral("readyz")};

StoredResult result(qint64 ms, ProbeStatus status, double latencyMs)
{
    StoredResult r;
    r.check = Readyz;
    r.timestampMs = ms;
    r.result.status = status;
    r.result.latencyMs = latencyMs;
    r.result.summary = status == ProbeStatus::Healthy ? QStringLiteral("HTTP 200 OK")
                                                      : QStringLiteral("HTTP 500 Internal Server Error");
    return r;
}

} // namespace

// The container detail's history on a real history store (SQLite in a temporary folder):
// uptime, timeline and latency of the selected check, its incidents paged as the table
// scrolls, and a span change that replaces what was still being asked.
class TestHistoryView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        HistoryStore::Options options;
        options.path = m_dir.filePath(QStringLiteral("history.sqlite"));
        options.maintenanceInterval = 0ms;
        m_store = std::make_unique<HistoryStore>(options, m_clock);
        // The last two hours, one result every 10 s: healthy, then 120 one-result outages
        // (alternating) in the last 40 minutes: three pages of incidents.
        for (qint64 t = Now - 120 * Minute; t < Now; t += 10'000) {
            const qint64 i = (t - (Now - 40 * Minute)) / 10'000;
            const bool failing = t >= Now - 40 * Minute && i % 2 == 1;
            m_store->record(result(t, failing ? ProbeStatus::Unhealthy : ProbeStatus::Healthy,
                                   failing ? 2.0 : 5.0 + double(t % 7)));
        }
    }

    void showsTheCheck()
    {
        HistoryView view;
        view.setClock(&m_clock);
        QAbstractItemModelTester tester(view.incidents(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(view.uptimeText().isEmpty());
        view.setStore(m_store.get());
        QSignalSpy loaded(&view, &HistoryView::loaded);
        view.setSpan(HistoryView::Span::Hour);
        view.setCheck(Readyz);
        QVERIFY(loaded.wait(10'000));
        // 360 results in the hour, 120 of them failed.
        QCOMPARE(view.uptimeText(), QStringLiteral("Uptime 66.67 % · 360 results, 120 failed, 0 unknown"));
        const QList<StatusRun>& runs = view.timeline()->runs();
        QVERIFY(!runs.isEmpty());
        QCOMPARE(runs.first().status, ProbeStatus::Healthy);
        QVERIFY(std::any_of(runs.cbegin(), runs.cend(),
                            [](const StatusRun& r) { return r.status == ProbeStatus::Unhealthy; }));
        QVERIFY(!view.latency()->series().points.isEmpty());
        QCOMPARE(view.latency()->scaleTopMs(), 20.0); // max 11 ms, rounded up to 1-2-5

        // The incidents list: problems only, newest first, a page of 50 then the rest.
        IncidentModel* incidents = view.incidents();
        QTRY_COMPARE(incidents->rowCount(), 50);
        QVERIFY(incidents->canFetchMore({}));
        QCOMPARE(incidents->incident(0).status, ProbeStatus::Unhealthy);
        QVERIFY(incidents->incident(0).startMs > incidents->incident(1).startMs);
        QCOMPARE(incidents->index(0, IncidentModel::WhatFailed).data().toString(),
                 QStringLiteral("HTTP 500 Internal Server Error"));
        QCOMPARE(incidents->index(0, IncidentModel::Duration).data().toString(), QStringLiteral("10 s"));
        incidents->fetchMore({});
        QTRY_COMPARE(incidents->rowCount(), 100);
        QTRY_VERIFY(incidents->canFetchMore({}));
        incidents->fetchMore({});
        QTRY_COMPARE(incidents->rowCount(), 120);
        QVERIFY(!incidents->canFetchMore({}));
        for (int row = 1; row < incidents->rowCount(); ++row)
            QVERIFY(incidents->incident(row - 1).startMs > incidents->incident(row).startMs); // none twice

        view.resize(560, 520);
        screenshot(view, QStringLiteral("history-readyz"));
    }

    // Clicking through the spans quickly: each click cancels the previous queries; what is
    // shown belongs to the last span.
    void lastSpanWins()
    {
        HistoryView view;
        view.setClock(&m_clock);
        view.setStore(m_store.get());
        view.setCheck(Readyz);
        QSignalSpy loaded(&view, &HistoryView::loaded);
        for (const auto span : {HistoryView::Span::Month, HistoryView::Span::Week, HistoryView::Span::Day,
                                HistoryView::Span::Month, HistoryView::Span::Hour})
            view.setSpan(span);
        QVERIFY(loaded.wait(10'000));
        QTest::qWait(200); // nothing of the replaced queries arrives late
        QCOMPARE(loaded.size(), 1);
        QVERIFY(view.uptimeText().startsWith(QStringLiteral("Uptime 66.67 %")));
    }

    void emptyStates()
    {
        HistoryView view;
        view.setStore(nullptr);
        view.setCheck(Readyz);
        QVERIFY(view.grab().toImage().width() > 0);
        view.setStore(m_store.get());
        view.setCheck({});
        QSignalSpy loaded(&view, &HistoryView::loaded);
        QVERIFY(!loaded.wait(300)); // nothing to ask without a check
    }

    // A change of the shown check's state (an incident opened in the store) refreshes the view
    // at once, not at the next 15-s refresh.
    void incidentChangeRefreshes()
    {
        HistoryView view;
        view.setClock(&m_clock);
        view.setStore(m_store.get());
        view.show();
        QSignalSpy loaded(&view, &HistoryView::loaded);
        view.setSpan(HistoryView::Span::Hour);
        view.setCheck(Readyz);
        QVERIFY(loaded.wait(10'000));
        loaded.clear();
        QElapsedTimer clock;
        clock.start();
        m_store->record(result(Now, ProbeStatus::Unhealthy, 2.0));
        m_store->record(result(Now + 1000, ProbeStatus::Healthy, 5.0));
        QVERIFY(loaded.wait(5'000));
        QVERIFY2(clock.elapsed() < 5'000, qPrintable(QString::number(clock.elapsed())));
    }

private:
    static void screenshot(QWidget& widget, const QString& name)
    {
        const QString dir = QStringLiteral(OKHEALTH_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        QVERIFY(widget.grab().save(dir + u'/' + name + QStringLiteral(".png")));
    }

    QTemporaryDir m_dir;
    FixedClock m_clock;
    std::unique_ptr<HistoryStore> m_store;
};

QTEST_MAIN(TestHistoryView)
#include "tst_historyview.moc"
