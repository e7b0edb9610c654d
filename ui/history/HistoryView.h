#pragma once

#include "history/PendingQuery.h"
#include "store/HistoryTypes.h"

#include <QFuture>
#include <QTimer>
#include <QWidget>

class QButtonGroup;
class QLabel;
class QStackedLayout;
class QTableView;

namespace okh {

class Clock;
class HistoryStore;
class IncidentModel;
class LatencyChart;
class TimelineBand;

// The selected check's history in the container detail, for the last hour, day, week or
// month: uptime, the state timeline, latency (p50/p95/max) and the incidents list. Every
// figure comes from the history store asynchronously (QFuture::then on this object); a new
// check or span cancels what is still asked for, so fast clicking piles nothing up.
class HistoryView : public QWidget
{
    Q_OBJECT
public:
    enum class Span { Hour, Day, Week, Month };
    Q_ENUM(Span)

    explicit HistoryView(QWidget* parent = nullptr);

    // The store while monitoring runs; nullptr before and after (the view says so).
    void setStore(HistoryStore* store);
    void setClock(const Clock* clock) { m_clock = clock; }
    void setCheck(const CheckKey& key);
    CheckKey check() const { return m_key; }
    void setSpan(Span span);
    Span span() const { return m_span; }
    void refresh();

    QString uptimeText() const;
    TimelineBand* timeline() const { return m_timeline; }
    LatencyChart* latency() const { return m_latency; }
    IncidentModel* incidents() const { return m_incidents; }
    QTableView* incidentTable() const { return m_table; }
    static qint64 spanMs(Span span);

Q_SIGNALS:
    // Uptime, timeline and latency of the current check and span have all come in.
    void loaded();

private:
    void showMessage(const QString& text);
    void partArrived(quint64 generation);

    HistoryStore* m_store = nullptr;
    const Clock* m_clock;
    CheckKey m_key;
    Span m_span = Span::Hour; // on call, the last hour first
    quint64 m_generation = 0;
    int m_parts = 0;
    PendingQuery<QList<StatusRun>> m_timelineQuery;
    PendingQuery<LatencySeries> m_latencyQuery;
    PendingQuery<UptimeReport> m_uptimeQuery;

    QStackedLayout* m_stack = nullptr;
    QLabel* m_message = nullptr;
    QButtonGroup* m_spans = nullptr;
    QLabel* m_uptime = nullptr;
    TimelineBand* m_timeline = nullptr;
    LatencyChart* m_latency = nullptr;
    IncidentModel* m_incidents = nullptr;
    QTableView* m_table = nullptr;
    QTimer m_refresh;
};

} // namespace okh
