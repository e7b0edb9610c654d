#include "OverviewView.h"

#include "DeploymentPage.h"
#include "model/DeploymentModel.h"
#include "paint/StatusPaint.h"

#include <QLabel>
#include <QListView>
#include <QStackedLayout>
#include <QTabWidget>

namespace okh {

OverviewView::OverviewView(DeploymentModel& model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
{
    m_stack = new QStackedLayout(this);
    m_empty = new QLabel(tr("No deployment is open.\nUse File → Open… (Ctrl+O) to open a deployment file."), this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_stack->addWidget(m_empty);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_stack->addWidget(m_tabs);

    connect(&model, &QAbstractItemModel::modelReset, this, &OverviewView::rebuild);
    connect(&model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from) {
        if (from.parent().isValid())
            return;
        m_tabs->setTabIcon(from.row(), StatusPaint::icon(ProbeStatus(from.data(DeploymentModel::StatusRole).toInt())));
        m_tabs->setTabToolTip(from.row(), from.data(DeploymentModel::StatusTextRole).toString());
    });
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (DeploymentPage* page = qobject_cast<DeploymentPage*>(m_tabs->currentWidget()))
            page->tiles()->viewport()->update();
    });
    m_tick.start();
    rebuild();
}

DeploymentPage* OverviewView::currentPage() const
{
    return qobject_cast<DeploymentPage*>(m_tabs->currentWidget());
}

void OverviewView::rebuild()
{
    while (m_tabs->count() > 0) {
        QWidget* page = m_tabs->widget(0);
        m_tabs->removeTab(0);
        delete page;
    }
    m_pages.clear();
    for (int row = 0; row < m_model.rowCount(); ++row) {
        const QModelIndex deployment = m_model.index(row, 0);
        auto* page = new DeploymentPage(m_model, deployment, m_tabs);
        m_pages.append(page);
        connect(page, &DeploymentPage::runNowRequested, this, &OverviewView::runNowRequested);
        m_tabs->addTab(page, StatusPaint::icon(ProbeStatus(deployment.data(DeploymentModel::StatusRole).toInt())),
                       deployment.data().toString());
    }
    m_stack->setCurrentWidget(m_pages.isEmpty() ? static_cast<QWidget*>(m_empty) : m_tabs);
}

} // namespace okh
