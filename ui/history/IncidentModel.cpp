#include "IncidentModel.h"

#include "alert/Muting.h"
#include "model/DeploymentModel.h"
#include "paint/StatusPaint.h"
#include "util/Durations.h"

#include <QDateTime>
#include <QLocale>

namespace okh {

IncidentModel::IncidentModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void IncidentModel::setQuery(const IncidentQuery& query, qint64 nowMs)
{
    m_pending.cancel();
    ++m_generation;
    beginResetModel();
    m_query = query;
    m_query.beforeStartMs = 0;
    m_query.beforeId = 0;
    m_nowMs = nowMs;
    m_rows.clear();
    m_more = false;
    endResetModel();
    ask();
}

void IncidentModel::ask()
{
    if (!m_fetch)
        return;
    const quint64 generation = m_generation;
    m_pending.start(m_fetch(m_query), this, [this, generation](const IncidentPage& page) {
        if (generation != m_generation)
            return; // an answer to a query replaced meanwhile
        m_more = page.more;
        if (!page.incidents.isEmpty()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.incidents.size()) - 1);
            m_rows += page.incidents;
            endInsertRows();
            m_query.beforeStartMs = page.incidents.last().startMs;
            m_query.beforeId = page.incidents.last().id;
        }
        m_pending.clear();
        Q_EMIT pageLoaded(int(m_rows.size()), m_more);
    });
}

bool IncidentModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_more && !m_pending.isPending();
}

void IncidentModel::fetchMore(const QModelIndex& parent)
{
    if (canFetchMore(parent))
        ask();
}

int IncidentModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

void IncidentModel::setMuting(const Muting* muting)
{
    if (m_muting)
        disconnect(m_muting, nullptr, this, nullptr);
    m_muting = muting;
    if (!m_muting)
        return;
    connect(m_muting, &Muting::changed, this, [this] {
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, End), index(int(m_rows.size()) - 1, End));
    });
}

int IncidentModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IncidentModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Incident& incident = m_rows.at(index.row());
    if (role == Qt::DecorationRole && index.column() == Status)
        return StatusPaint::icon(incident.status);
    if (role == Qt::ToolTipRole && index.column() == WhatFailed)
        return incident.hint.isEmpty() ? incident.summary : incident.summary + u'\n' + incident.hint;
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    const QLocale locale;
    switch (Column(index.column())) {
    case Start:
        return locale.toString(QDateTime::fromMSecsSinceEpoch(incident.startMs), QLocale::ShortFormat);
    case End:
        if (incident.endMs)
            return locale.toString(QDateTime::fromMSecsSinceEpoch(*incident.endMs), QLocale::ShortFormat);
        if (const auto ack = m_muting && incident.status != ProbeStatus::Healthy
                ? m_muting->acknowledgement(incident.check.deployment, incident.check.service)
                : std::nullopt)
            return tr("ongoing · acknowledged by %1").arg(ack->user);
        return tr("ongoing");
    case Duration:
        return formatDuration(std::chrono::milliseconds(incident.endMs.value_or(m_nowMs) - incident.startMs));
    case Status:
        return DeploymentModel::statusText(incident.status);
    case WhatFailed:
        return incident.summary;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant IncidentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Start:
        return tr("Start");
    case End:
        return tr("End");
    case Duration:
        return tr("Duration");
    case Status:
        return tr("Status");
    case WhatFailed:
        return tr("What failed");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace okh
