#include "SmokeReportModel.h"

#include "detail/ChecksTableModel.h"
#include "paint/StatusPaint.h"
#include "report/TextReport.h"

namespace okh {

SmokeReportModel::SmokeReportModel(QObject* parent)
    : QAbstractItemModel(parent)
{ }

void SmokeReportModel::setReport(const RunReport& report)
{
    beginResetModel();
    m_report = report;
    m_causes = m_report.causes();
    m_services = m_report.rootCausesFirst(m_causes);
    endResetModel();
}

void SmokeReportModel::clear()
{
    beginResetModel();
    m_report = {};
    m_causes = {};
    m_services.clear();
    endResetModel();
}

QString SmokeReportModel::resultText(ProbeStatus status)
{
    switch (status) {
    case ProbeStatus::Healthy:
        return tr("passed");
    case ProbeStatus::Unhealthy:
        return tr("failed");
    case ProbeStatus::Unknown:
        break;
    }
    return tr("could not run");
}

QModelIndex SmokeReportModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_services.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.row() >= m_services.size())
        return {};
    if (row >= m_services.at(parent.row())->checks.size())
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex SmokeReportModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int SmokeReportModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(m_services.size());
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return int(m_services.at(parent.row())->checks.size());
}

int SmokeReportModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant SmokeReportModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == 0)
        return serviceData(index.row(), index.column(), role);
    return checkData(int(index.internalId() - 1), index.row(), index.column(), role);
}

QVariant SmokeReportModel::serviceData(int row, int column, int role) const
{
    const ServiceOutcome& service = *m_services.at(row);
    const ProbeStatus status = service.status();
    if (role == StatusRole)
        return int(status);
    if (role == Qt::DecorationRole && column == Result)
        return StatusPaint::icon(status);
    if (role == Qt::ToolTipRole && column == Name)
        return TextReport::serviceHeading(service, m_causes);
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    switch (column) {
    case Result:
        return resultText(status);
    case Name:
        return service.name;
    case Summary: {
        if (m_causes.roots().contains(service.name))
            return tr("root cause");
        const QStringList causedBy = m_causes.causedBy(service.name);
        if (!causedBy.isEmpty())
            return tr("because %1 is failing", nullptr, int(causedBy.size())).arg(causedBy.join(QStringLiteral(", ")));
        return {};
    }
    default:
        return {};
    }
}

QVariant SmokeReportModel::checkData(int service, int row, int column, int role) const
{
    const CheckOutcome& outcome = m_services.at(service)->checks.at(row);
    const ProbeStatus status = outcome.result.status;
    if (role == StatusRole)
        return int(status);
    if (role == FactsRole)
        return status == ProbeStatus::Healthy ? QStringList() : TextReport::failureFacts(outcome);
    if (role == Qt::DecorationRole && column == Result)
        return StatusPaint::icon(status);
    if (role == Qt::ToolTipRole && status != ProbeStatus::Healthy)
        return TextReport::failureFacts(outcome).join(u'\n');
    if (role == Qt::TextAlignmentRole && column == Latency)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    switch (column) {
    case Result:
        return resultText(status);
    case Name:
        return outcome.check.name;
    case Role:
        return ChecksTableModel::roleText(int(outcome.check.role));
    case Summary:
        return outcome.result.summary;
    case Latency:
        return TextReport::latencyText(outcome.result.latencyMs);
    default:
        return {};
    }
}

QVariant SmokeReportModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Result:
        return tr("Result");
    case Name:
        return tr("Service / check");
    case Role:
        return tr("Role");
    case Summary:
        return tr("Summary");
    case Latency:
        return tr("Latency");
    default:
        return {};
    }
}

} // namespace okh
