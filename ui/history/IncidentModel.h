#pragma once

#include "history/PendingQuery.h"
#include "store/HistoryTypes.h"

#include <QAbstractTableModel>
#include <QFuture>
#include <functional>

namespace okh {

class Muting;

// The incidents list of the container detail: a check's problems in a range, newest first
// (start, end or "ongoing" — acknowledged by whom, if so —, duration, status, what failed). Pages come from the history
// store as the view scrolls (canFetchMore/fetchMore, asynchronous); a new query cancels the page still asked for.
class IncidentModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Start, End, Duration, Status, WhatFailed, ColumnCount };
    using Fetch = std::function<QFuture<IncidentPage>(const IncidentQuery&)>;

    explicit IncidentModel(QObject* parent = nullptr);

    // Where pages come from (the history store); empty: nothing to show.
    void setFetch(Fetch fetch) { m_fetch = std::move(fetch); }
    // Starts over with this query (its first page is asked for at once).
    void setQuery(const IncidentQuery& query, qint64 nowMs);
    const Incident& incident(int row) const { return m_rows.at(row); }
    // An ongoing problem of an acknowledged service says "ongoing · acknowledged by …".
    void setMuting(const Muting* muting);
    bool isLoading() const { return m_pending.isPending(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

Q_SIGNALS:
    void pageLoaded(int rows, bool more);

private:
    void ask();

    Fetch m_fetch;
    const Muting* m_muting = nullptr;
    IncidentQuery m_query;
    qint64 m_nowMs = 0;
    QList<Incident> m_rows;
    bool m_more = false;
    PendingQuery<IncidentPage> m_pending;
    quint64 m_generation = 0;
};

} // namespace okh
