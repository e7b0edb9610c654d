#include "OverviewView.h"

#include "DeploymentPage.h"
#include "model/DeploymentModel.h"
#include "model/ServiceFilterModel.h"
#include "paint/StatusPaint.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
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
    m_filter = new ServiceFilterModel(this);
    m_filter->setSourceModel(&model);

    m_content = new QWidget(this);
    auto* contentLayout = new QVBoxLayout(m_content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(0);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(8, 6, 8, 2);
    m_filterText = new QLineEdit(m_content);
    m_filterText->setClearButtonEnabled(true);
    m_filterText->setPlaceholderText(tr("Filter services: name, kind, check, cause…"));
    m_filterText->setAccessibleName(tr("Filter services"));
    auto* filterLabel = new QLabel(tr("&Filter:"), m_content);
    filterLabel->setBuddy(m_filterText);
    auto* clear = new QAction(m_filterText);
    clear->setShortcut(QKeySequence(Qt::Key_Escape));
    clear->setShortcutContext(Qt::WidgetShortcut);
    connect(clear, &QAction::triggered, m_filterText, &QLineEdit::clear);
    m_filterText->addAction(clear);
    m_show = new QComboBox(m_content);
    m_show->addItem(tr("All services"), int(ServiceFilterModel::Show::All));
    m_show->addItem(tr("With problems"), int(ServiceFilterModel::Show::Problems));
    m_show->addItem(tr("Unhealthy"), int(ServiceFilterModel::Show::Unhealthy));
    m_show->addItem(tr("Unknown"), int(ServiceFilterModel::Show::Unknown));
    m_show->setToolTip(tr("\"With problems\": not healthy, or a check whose latest result failed."));
    auto* showLabel = new QLabel(tr("S&how:"), m_content);
    showLabel->setBuddy(m_show);
    bar->addWidget(filterLabel);
    bar->addWidget(m_filterText, 1);
    bar->addSpacing(12);
    bar->addWidget(showLabel);
    bar->addWidget(m_show);
    contentLayout->addLayout(bar);
    m_tabs = new QTabWidget(m_content);
    m_tabs->setDocumentMode(true);
    contentLayout->addWidget(m_tabs, 1);
    m_stack->addWidget(m_content);

    connect(m_filterText, &QLineEdit::textChanged, m_filter, &ServiceFilterModel::setText);
    connect(m_show, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setShow(ServiceFilterModel::Show(m_show->currentData().toInt())); });
    connect(m_filter, &ServiceFilterModel::filterChanged, this, &OverviewView::updateTabTitles);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &OverviewView::updateTabTitles);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &OverviewView::updateTabTitles);

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

void OverviewView::setEmptyText(const QString& text)
{
    m_empty->setText(text);
}

QString OverviewView::emptyText() const
{
    return m_empty->text();
}

void OverviewView::showService(const QString& deployment, const QString& service)
{
    for (DeploymentPage* page : std::as_const(m_pages)) {
        if (page->deploymentName() != deployment)
            continue;
        m_tabs->setCurrentWidget(page);
        if (!page->selectService(service)) {
            m_filterText->clear(); // the filter hid it
            page->selectService(service);
        }
        return;
    }
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
        auto* page = new DeploymentPage(m_model, *m_filter, deployment, m_tabs);
        m_pages.append(page);
        connect(page, &DeploymentPage::runNowRequested, this, &OverviewView::runNowRequested);
        page->setHistoryStore(m_history);
        m_tabs->addTab(page, StatusPaint::icon(ProbeStatus(deployment.data(DeploymentModel::StatusRole).toInt())),
                       deployment.data().toString());
    }
    m_stack->setCurrentWidget(m_pages.isEmpty() ? static_cast<QWidget*>(m_empty) : m_content);
    updateTabTitles();
}

void OverviewView::setHistoryStore(HistoryStore* store)
{
    m_history = store;
    for (DeploymentPage* page : std::as_const(m_pages))
        page->setHistoryStore(store);
}

void OverviewView::focusFilter()
{
    if (m_pages.isEmpty())
        return;
    m_filterText->setFocus(Qt::ShortcutFocusReason);
    m_filterText->selectAll();
}

void OverviewView::updateTabTitles()
{
    // While filtering, each tab says how many of its services are shown.
    for (int row = 0; row < m_model.rowCount() && row < m_tabs->count(); ++row) {
        const QModelIndex deployment = m_model.index(row, 0);
        const QString name = deployment.data().toString();
        const int all = m_model.rowCount(deployment);
        const int shown = m_filter->rowCount(m_filter->mapFromSource(deployment));
        m_tabs->setTabText(row, m_filter->isFiltering() ? tr("%1 (%2 of %3)").arg(name).arg(shown).arg(all) : name);
    }
}

} // namespace okh
