#include "DeploymentPage.h"

#include "ServiceTileDelegate.h"
#include "model/DeploymentModel.h"

#include <QLabel>
#include <QListView>
#include <QVBoxLayout>

namespace okh {

DeploymentPage::DeploymentPage(DeploymentModel& model, const QModelIndex& deployment, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_deployment(deployment)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    m_cause = new QLabel(this);
    m_cause->setWordWrap(true);
    m_cause->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_cause->setMargin(6);
    m_cause->setAutoFillBackground(true);
    layout->addWidget(m_cause);

    m_tiles = new QListView(this);
    m_tiles->setModel(&model);
    m_tiles->setRootIndex(deployment);
    m_tiles->setItemDelegate(new ServiceTileDelegate(m_tiles));
    m_tiles->setViewMode(QListView::IconMode);
    m_tiles->setFlow(QListView::LeftToRight);
    m_tiles->setWrapping(true);
    m_tiles->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // tiles wrap instead
    m_tiles->setResizeMode(QListView::Adjust);
    m_tiles->setMovement(QListView::Static);
    m_tiles->setUniformItemSizes(true);
    m_tiles->setSpacing(2);
    m_tiles->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tiles->setAccessibleName(tr("Services of %1").arg(deployment.data().toString()));
    layout->addWidget(m_tiles, 1);

    connect(&model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from) {
        if (from == m_deployment)
            refresh();
    });
    refresh();
}

QString DeploymentPage::causeText() const
{
    return m_cause->text();
}

void DeploymentPage::refresh()
{
    if (!m_deployment.isValid())
        return;
    const QString line = m_deployment.data(DeploymentModel::CauseLineRole).toString();
    const bool reachable = m_deployment.data(DeploymentModel::ReachableRole).toBool();
    const bool paused = m_deployment.data(DeploymentModel::PausedRole).toBool();
    const auto status = ProbeStatus(m_deployment.data(DeploymentModel::StatusRole).toInt());
    QString text;
    if (paused)
        text = tr("Paused: no checks run until you resume.");
    else if (!line.isEmpty())
        text = (reachable ? tr("Root cause: %1") : QStringLiteral("%1")).arg(line);
    else if (status == ProbeStatus::Healthy)
        text = tr("All services healthy.");
    else
        text = tr("Waiting for results…");
    m_cause->setText(text);
    m_cause->setAccessibleName(text);
    QPalette palette = m_cause->palette();
    const bool alarming = !paused && !line.isEmpty();
    palette.setColor(QPalette::Window, alarming ? QColor(0xfd, 0xec, 0xea) : palette.color(QPalette::AlternateBase));
    palette.setColor(QPalette::WindowText, alarming ? QColor(0x8e, 0x1b, 0x1b) : palette.color(QPalette::Text));
    m_cause->setPalette(palette);
    QFont font = m_cause->font();
    font.setBold(alarming);
    m_cause->setFont(font);
}

} // namespace okh
