#include "ChecksTableModel.h"

#include "config/DeploymentSpec.h"
#include "model/DeploymentModel.h"
#include "paint/StatusPaint.h"

#include <QDateTime>
#include <QLocale>

namespace okh {

ChecksTableModel::ChecksTableModel(DeploymentModel& source, QObject* parent)
    : QAbstractTableModel(parent)
    , m_source(source)
{
    connect(&source, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        beginResetModel();
        m_service = QModelIndex();
    });
    connect(&source, &QAbstractItemModel::modelReset, this, [this] { endResetModel(); });
    connect(&source, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from, const QModelIndex& to) {
        if (!m_service.isValid() || from.parent() != m_service)
            return;
        Q_EMIT dataChanged(index(from.row(), 0), index(to.row(), ColumnCount - 1));
    });
}

void ChecksTableModel::setService(const QModelIndex& service)
{
    beginResetModel();
    m_service = service;
    endResetModel();
}

QModelIndex ChecksTableModel::sourceCheck(int row) const
{
    return m_service.isValid() ? m_source.index(row, 0, m_service) : QModelIndex();
}

int ChecksTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_service.isValid() ? 0 : m_source.rowCount(m_service);
}

int ChecksTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ChecksTableModel::roleText(int checkRole)
{
    switch (CheckRole(checkRole)) {
    case CheckRole::Liveness:
        return tr("liveness");
    case CheckRole::Readiness:
        return tr("readiness");
    case CheckRole::Startup:
        return tr("startup");
    case CheckRole::Info:
        break;
    }
    return tr("info");
}

QString ChecksTableModel::latencyText(double ms)
{
    return ms < 10 ? tr("%1 ms").arg(QLocale().toString(ms, 'f', 1)) : tr("%1 ms").arg(QLocale().toString(ms, 'f', 0));
}

QString ChecksTableModel::sinceText(const QDateTime& since, const QDateTime& now)
{
    // Today's changes need only the time; older ones their date too.
    const QLocale locale;
    if (since.toLocalTime().date() == now.toLocalTime().date())
        return locale.toString(since.toLocalTime().time(), QLocale::ShortFormat);
    return locale.toString(since.toLocalTime(), QLocale::ShortFormat);
}

QVariant ChecksTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const QModelIndex check = sourceCheck(index.row());
    const qint64 last = check.data(DeploymentModel::LastResultMsRole).toLongLong();
    if (role == Qt::DecorationRole && index.column() == State) {
        const auto status = ProbeStatus(check.data(DeploymentModel::StatusRole).toInt());
        return StatusPaint::icon(status); // with the state's words beside it
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Target)
            return check.data(DeploymentModel::TargetRole);
        const qint64 since = check.data(DeploymentModel::SinceMsRole).toLongLong();
        if (index.column() == Since && last && since)
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(since), QLocale::LongFormat);
        return check.data(DeploymentModel::SummaryRole);
    }
    if (role == Qt::TextAlignmentRole && index.column() == Latency)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    switch (Column(index.column())) {
    case Name:
        return check.data();
    case Role:
        return roleText(check.data(DeploymentModel::CheckRoleRole).toInt());
    case Type:
        return check.data(DeploymentModel::KindRole);
    case Target:
        return check.data(DeploymentModel::TargetRole);
    case State: {
        const QString status = check.data(DeploymentModel::StatusTextRole).toString();
        const QString state = check.data(DeploymentModel::StateTextRole).toString();
        return state == status || state.isEmpty() ? status : tr("%1 (%2)").arg(status, state);
    }
    case LastResult:
        return last ? check.data(DeploymentModel::SummaryRole) : QVariant(tr("no result yet"));
    case Latency:
        return last ? QVariant(latencyText(check.data(DeploymentModel::LatencyMsRole).toDouble())) : QVariant();
    case Since: {
        const qint64 since = check.data(DeploymentModel::SinceMsRole).toLongLong();
        if (!last || !since)
            return {};
        return sinceText(QDateTime::fromMSecsSinceEpoch(since), QDateTime::currentDateTime());
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ChecksTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Name:
        return tr("Check");
    case Role:
        return tr("Role");
    case Type:
        return tr("Type");
    case Target:
        return tr("Target");
    case State:
        return tr("State");
    case LastResult:
        return tr("Last result");
    case Latency:
        return tr("Latency");
    case Since:
        return tr("Since");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace okh
