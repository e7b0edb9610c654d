#include "TrayStatus.h"

#include "model/DeploymentModel.h"

namespace okh {

TrayStatus::TrayStatus(const DeploymentModel& model, QObject* parent)
    : QObject(parent)
    , m_model(model)
{
    connect(&model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& topLeft) {
        // Only a deployment row's own data (its status and cause line) counts here.
        if (!topLeft.parent().isValid())
            update();
    });
    connect(&model, &QAbstractItemModel::modelReset, this, &TrayStatus::update);
    connect(&model, &QAbstractItemModel::rowsInserted, this, &TrayStatus::update);
    connect(&model, &QAbstractItemModel::rowsRemoved, this, &TrayStatus::update);
    update();
}

void TrayStatus::update()
{
    const int deployments = m_model.rowCount();
    ProbeStatus worst = deployments == 0 ? ProbeStatus::Unknown : ProbeStatus::Healthy;
    int counts[3] = {0, 0, 0}; // by ProbeStatus
    QStringList trouble;
    for (int row = 0; row < deployments; ++row) {
        const QModelIndex deployment = m_model.index(row, 0);
        const auto status = ProbeStatus(deployment.data(DeploymentModel::StatusRole).toInt());
        ++counts[int(status)];
        worst = worseStatus(worst, status);
        if (status == ProbeStatus::Healthy)
            continue;
        QString why = deployment.data(DeploymentModel::CauseLineRole).toString();
        if (why.isEmpty() && !deployment.data(DeploymentModel::ReachableRole).toBool())
            why = deployment.data(DeploymentModel::TransportErrorRole).toString();
        if (why.isEmpty())
            why = deployment.data(DeploymentModel::StatusTextRole).toString();
        trouble << tr("%1: %2").arg(deployment.data().toString(), why);
    }

    QStringList lines{tr("OK Health")};
    if (deployments == 0) {
        lines << tr("No deployment open");
    } else {
        QStringList parts;
        if (counts[int(ProbeStatus::Unhealthy)] > 0)
            parts << tr("%n unhealthy", nullptr, counts[int(ProbeStatus::Unhealthy)]);
        if (counts[int(ProbeStatus::Unknown)] > 0)
            parts << tr("%n unknown", nullptr, counts[int(ProbeStatus::Unknown)]);
        if (counts[int(ProbeStatus::Healthy)] > 0)
            parts << tr("%n healthy", nullptr, counts[int(ProbeStatus::Healthy)]);
        lines << tr("%n deployment(s): %1", nullptr, deployments).arg(parts.join(QStringLiteral(", ")));
        lines << trouble;
    }
    const QString toolTip = lines.join(u'\n');
    if (worst == m_worst && toolTip == m_toolTip)
        return;
    m_worst = worst;
    m_toolTip = toolTip;
    Q_EMIT changed();
}

} // namespace okh
