#include "DeploymentPage.h"

#include "ServiceTileDelegate.h"
#include "detail/ChecksTableModel.h"
#include "model/DeploymentModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QSplitter>
#include <QTableView>
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

    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_tiles = new QListView(splitter);
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
    splitter->addWidget(m_tiles);

    // The selected service's checks: the container detail.
    auto* detail = new QWidget(splitter);
    auto* detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 4, 0, 0);
    m_detailTitle = new QLabel(detail);
    QFont bold = m_detailTitle->font();
    bold.setBold(true);
    m_detailTitle->setFont(bold);
    detailLayout->addWidget(m_detailTitle);
    m_checksModel = new ChecksTableModel(model, this);
    m_checks = new QTableView(detail);
    m_checks->setModel(m_checksModel);
    m_checks->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_checks->setSelectionMode(QAbstractItemView::SingleSelection);
    m_checks->setAlternatingRowColors(true);
    m_checks->setWordWrap(false);
    m_checks->setTextElideMode(Qt::ElideMiddle);
    m_checks->verticalHeader()->hide();
    m_checks->horizontalHeader()->setStretchLastSection(false);
    m_checks->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_checks->horizontalHeader()->setSectionResizeMode(ChecksTableModel::Target, QHeaderView::Stretch);
    m_checks->horizontalHeader()->setSectionResizeMode(ChecksTableModel::LastResult, QHeaderView::Stretch);
    detailLayout->addWidget(m_checks, 1);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    connect(m_tiles->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { showService(current); });
    showService({});

    connect(&model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from) {
        if (from == m_deployment)
            refresh();
    });
    refresh();
}

QString DeploymentPage::detailTitle() const
{
    return m_detailTitle->text();
}

void DeploymentPage::showService(const QModelIndex& service)
{
    m_checksModel->setService(service);
    m_detailTitle->setText(
        service.isValid()
            ? tr("Checks of %1 (%2)").arg(service.data().toString(), service.data(DeploymentModel::KindRole).toString())
            : tr("Select a service to see its checks."));
    m_checks->setAccessibleName(m_detailTitle->text());
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
