#include "ServiceFilterModel.h"

#include "DeploymentModel.h"

namespace okh {

ServiceFilterModel::ServiceFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true); // state changes move services in and out
}

void ServiceFilterModel::setShow(Show show)
{
    if (show == m_show)
        return;
    m_show = show;
    invalidateRowsFilter();
    Q_EMIT filterChanged();
}

void ServiceFilterModel::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_words = text.simplified().split(u' ', Qt::SkipEmptyParts);
    invalidateRowsFilter();
    Q_EMIT filterChanged();
}

bool ServiceFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const bool isService = sourceParent.isValid() && !sourceParent.parent().isValid();
    if (!isService)
        return true;
    return acceptsService(sourceModel()->index(sourceRow, 0, sourceParent));
}

bool ServiceFilterModel::acceptsService(const QModelIndex& service) const
{
    return statusPasses(service) && textPasses(service);
}

bool ServiceFilterModel::statusPasses(const QModelIndex& service) const
{
    const auto status = ProbeStatus(service.data(DeploymentModel::StatusRole).toInt());
    switch (m_show) {
    case Show::All:
        return true;
    case Show::Unhealthy:
        return status == ProbeStatus::Unhealthy;
    case Show::Unknown:
        return status == ProbeStatus::Unknown;
    case Show::Problems:
        break;
    }
    if (status != ProbeStatus::Healthy)
        return true;
    const QAbstractItemModel* model = service.model();
    for (int row = 0; row < model->rowCount(service); ++row) {
        const QModelIndex check = model->index(row, 0, service);
        const bool hasResult = check.data(DeploymentModel::LastResultMsRole).toLongLong() != 0;
        if (hasResult && ProbeStatus(check.data(DeploymentModel::LatestStatusRole).toInt()) != ProbeStatus::Healthy)
            return true;
    }
    return false;
}

bool ServiceFilterModel::textPasses(const QModelIndex& service) const
{
    if (m_words.isEmpty())
        return true;
    QStringList haystack{service.data().toString(), service.data(DeploymentModel::KindRole).toString(),
                         service.data(DeploymentModel::ConclusionTextRole).toString(),
                         service.data(DeploymentModel::CauseTextRole).toString(),
                         service.data(DeploymentModel::StatusTextRole).toString()};
    const QAbstractItemModel* model = service.model();
    for (int row = 0; row < model->rowCount(service); ++row) {
        const QModelIndex check = model->index(row, 0, service);
        haystack << check.data().toString() << check.data(DeploymentModel::KindRole).toString();
    }
    const QString all = haystack.join(u'\n');
    for (const QString& word : m_words) {
        if (!all.contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace okh
