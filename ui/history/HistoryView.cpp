#include "HistoryView.h"

#include "IncidentModel.h"
#include "LatencyChart.h"
#include "TimelineBand.h"
#include "store/HistoryStore.h"
#include "util/Clock.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QStackedLayout>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace okh {

namespace {
constexpr int LatencyPoints = 120;
constexpr int IncidentPageSize = 50;
} // namespace

qint64 HistoryView::spanMs(Span span)
{
    constexpr qint64 hour = 3'600'000;
    switch (span) {
    case Span::Hour:
        return hour;
    case Span::Day:
        return 24 * hour;
    case Span::Week:
        return 7 * 24 * hour;
    case Span::Month:
        break;
    }
    return 30 * 24 * hour;
}

HistoryView::HistoryView(QWidget* parent)
    : QWidget(parent)
    , m_clock(&SystemClock::instance())
{
    m_stack = new QStackedLayout(this);
    m_message = new QLabel(this);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_stack->addWidget(m_message);

    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* bar = new QHBoxLayout;
    m_spans = new QButtonGroup(this);
    const std::pair<Span, QString> spans[]
        = {{Span::Hour, tr("1 h")}, {Span::Day, tr("24 h")}, {Span::Week, tr("7 d")}, {Span::Month, tr("30 d")}};
    for (const auto& [span, text] : spans) {
        auto* button = new QToolButton(content);
        button->setText(text);
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolTip(tr("History of the last %1").arg(text));
        m_spans->addButton(button, int(span));
        bar->addWidget(button);
    }
    m_spans->button(int(m_span))->setChecked(true);
    connect(m_spans, &QButtonGroup::idClicked, this, [this](int id) { setSpan(Span(id)); });
    bar->addSpacing(12);
    m_uptime = new QLabel(content);
    m_uptime->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_uptime, 1);
    layout->addLayout(bar);

    m_timeline = new TimelineBand(content);
    layout->addWidget(m_timeline);
    m_latency = new LatencyChart(content);
    layout->addWidget(m_latency, 1);

    auto* incidentsTitle = new QLabel(tr("Incidents"), content);
    QFont bold = incidentsTitle->font();
    bold.setBold(true);
    incidentsTitle->setFont(bold);
    layout->addWidget(incidentsTitle);
    m_incidents = new IncidentModel(this);
    m_table = new QTableView(content);
    m_table->setModel(m_incidents);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAccessibleName(tr("Incidents"));
    incidentsTitle->setBuddy(m_table);
    layout->addWidget(m_table, 1);
    m_stack->addWidget(content);

    m_refresh.setInterval(15'000); // new results keep coming; the store is cheap for one check
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
    });
    showMessage(tr("History is shown once monitoring runs."));
}

void HistoryView::setStore(HistoryStore* store)
{
    if (m_store)
        disconnect(m_store, &HistoryStore::incidentsChanged, this, nullptr);
    m_store = store;
    if (store) {
        // A change of this check's state shows at once; the timer only grows the charts.
        connect(store, &HistoryStore::incidentsChanged, this, [this](const QList<IncidentChange>& changes) {
            for (const IncidentChange& change : changes) {
                if (change.check == m_key && isVisible()) {
                    refresh();
                    return;
                }
            }
        });
    }
    m_incidents->setFetch(store
                              ? IncidentModel::Fetch([store](const IncidentQuery& q) { return store->incidentPage(q); })
                              : IncidentModel::Fetch());
    refresh();
}

void HistoryView::setCheck(const CheckKey& key)
{
    if (key == m_key)
        return;
    m_key = key;
    refresh();
}

void HistoryView::setSpan(Span span)
{
    m_span = span;
    m_spans->button(int(span))->setChecked(true);
    refresh();
}

void HistoryView::showMessage(const QString& text)
{
    m_message->setText(text);
    m_stack->setCurrentWidget(m_message);
}

QString HistoryView::uptimeText() const
{
    return m_uptime->text();
}

void HistoryView::refresh()
{
    m_timelineQuery.cancel();
    m_latencyQuery.cancel();
    m_uptimeQuery.cancel();
    const quint64 generation = ++m_generation;
    m_parts = 0;
    if (!m_store) {
        m_refresh.stop();
        showMessage(tr("History is shown once monitoring runs."));
        return;
    }
    if (m_key.check.isEmpty()) {
        showMessage(tr("Select a check to see its history."));
        return;
    }
    m_stack->setCurrentIndex(1);
    m_refresh.start();
    const qint64 now = m_clock->nowMs();
    const TimeRange range{now - spanMs(m_span), now};
    const CheckFilter filter{m_key.deployment, m_key.service, m_key.check};

    m_timelineQuery.start(m_store->timeline(m_key, range), this,
                          [this, generation, range](const QList<StatusRun>& runs) {
                              if (generation != m_generation)
                                  return;
                              m_timeline->setRuns(range, runs);
                              partArrived(generation);
                          });
    m_latencyQuery.start(m_store->latencySeries(m_key, range, LatencyPoints), this,
                         [this, generation, range](const LatencySeries& series) {
                             if (generation != m_generation)
                                 return;
                             m_latency->setSeries(range, series);
                             partArrived(generation);
                         });
    m_uptimeQuery.start(m_store->uptime(range, filter), this, [this, generation](const UptimeReport& report) {
        if (generation != m_generation)
            return;
        UptimeCounts counts;
        for (const UptimeRow& row : report.checks) {
            if (row.key == m_key)
                counts = row.counts;
        }
        const QLocale locale;
        const std::optional<double> percent = counts.percent();
        const qint64 total = counts.ok + counts.fail + counts.unknown;
        m_uptime->setText(
            percent ? tr("Uptime %1 % · %2 results, %3 failed, %4 unknown")
                          .arg(locale.toString(*percent, 'f', *percent >= 99.995 || *percent < 0.005 ? 0 : 2),
                               locale.toString(total), locale.toString(counts.fail), locale.toString(counts.unknown))
                    : tr("No results in this range"));
        partArrived(generation);
    });
    IncidentQuery incidents;
    incidents.range = range;
    incidents.filter = filter;
    incidents.problemsOnly = true;
    incidents.limit = IncidentPageSize;
    m_incidents->setQuery(incidents, now);
}

void HistoryView::partArrived(quint64 generation)
{
    if (generation == m_generation && ++m_parts == 3)
        Q_EMIT loaded();
}

} // namespace okh
