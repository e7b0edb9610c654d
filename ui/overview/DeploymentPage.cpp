#include "DeploymentPage.h"

#include "ServiceTileDelegate.h"
#include "detail/ChecksTableModel.h"
#include "detail/FailureView.h"
#include "history/HistoryView.h"
#include "history/IncidentModel.h"
#include "model/DeploymentModel.h"
#include "model/ServiceFilterModel.h"
#include "paint/Theme.h"

#include <QAction>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace okh {

DeploymentPage::DeploymentPage(DeploymentModel& model, ServiceFilterModel& filter, const QModelIndex& deployment,
                               QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_filter(filter)
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
    m_noMatch = new QLabel(this);
    m_noMatch->setWordWrap(true);
    m_noMatch->setMargin(6);
    m_noMatch->hide();
    layout->addWidget(m_noMatch);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_tiles = new QListView(splitter);
    m_tiles->setModel(&filter);
    m_tiles->setRootIndex(filter.mapFromSource(deployment));
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
    // Short columns fit their contents; the target gets a fixed start width (elided in the
    // middle, whole in its tooltip) and the last result takes what is left, scrolling
    // sideways rather than squeezing the short columns to "…".
    QHeaderView* header = m_checks->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ChecksTableModel::Target, QHeaderView::Interactive);
    header->resizeSection(ChecksTableModel::Target, header->fontMetrics().horizontalAdvance(u'x') * 28);
    header->setStretchLastSection(true);
    m_checks->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    auto* sideBySide = new QSplitter(Qt::Horizontal, detail);
    sideBySide->addWidget(m_checks);
    // The selected check: what its probe captured, and its history.
    m_detailTabs = new QTabWidget(sideBySide);
    m_failure = new FailureView(m_detailTabs);
    m_detailTabs->addTab(m_failure, tr("&Details"));
    m_history = new HistoryView(m_detailTabs);
    m_history->incidents()->setMuting(m_model.muting());
    m_detailTabs->addTab(m_history, tr("His&tory"));
    sideBySide->addWidget(m_detailTabs);
    sideBySide->setStretchFactor(0, 3);
    sideBySide->setStretchFactor(1, 2);
    detailLayout->addWidget(sideBySide, 1);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    connect(m_tiles->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { showService(m_filter.mapToSource(current)); });
    connect(m_checks->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showCheck(current.row()); });
    connect(m_failure, &FailureView::runNowRequested, this, &DeploymentPage::runNow);
    showService({});

    m_tiles->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tiles, &QWidget::customContextMenuRequested, this, &DeploymentPage::showTileMenu);
    m_checks->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_checks, &QWidget::customContextMenuRequested, this, &DeploymentPage::showCheckMenu);

    connect(&model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from) {
        if (from == m_deployment)
            refresh();
    });
    // A service the filter hides takes its checks off the detail; the count may reach zero.
    connect(&filter, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (!currentService().isValid() && m_checksModel->service().isValid())
            showService({});
        updateNoMatch();
    });
    connect(&filter, &QAbstractItemModel::rowsInserted, this, &DeploymentPage::updateNoMatch);
    connect(&filter, &ServiceFilterModel::filterChanged, this, &DeploymentPage::updateNoMatch);
    refresh();
    updateNoMatch();
}

QString DeploymentPage::deploymentName() const
{
    return m_deployment.data().toString();
}

QString DeploymentPage::detailTitle() const
{
    return m_detailTitle->text();
}

void DeploymentPage::showService(const QModelIndex& service)
{
    m_checksModel->setService(service);
    // The first failing check, else the first: the details show what matters at once.
    int row = m_checksModel->rowCount() > 0 ? 0 : -1;
    for (int r = 0; r < m_checksModel->rowCount(); ++r) {
        if (ProbeStatus(m_model.index(r, 0, service).data(DeploymentModel::LatestStatusRole).toInt())
            == ProbeStatus::Unhealthy) {
            row = r;
            break;
        }
    }
    if (row >= 0)
        m_checks->selectionModel()->setCurrentIndex(m_checksModel->index(row, 0),
                                                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    showCheck(row);
    m_detailTitle->setText(
        service.isValid()
            ? tr("Checks of %1 (%2)").arg(service.data().toString(), service.data(DeploymentModel::KindRole).toString())
            : tr("Select a service to see its checks."));
    m_checks->setAccessibleName(m_detailTitle->text());
}

void DeploymentPage::showCheck(int row)
{
    const QModelIndex service = m_checksModel->service();
    const QModelIndex check = service.isValid() && row >= 0 ? m_model.index(row, 0, service) : QModelIndex();
    m_failure->setCheck(check);
    m_history->setCheck(
        check.isValid() ? CheckKey{m_deployment.data().toString(), service.data().toString(), check.data().toString()}
                        : CheckKey());
}

void DeploymentPage::setHistoryStore(HistoryStore* store)
{
    m_history->setStore(store);
}

void DeploymentPage::runNow(const QModelIndex& serviceOrCheck)
{
    if (!serviceOrCheck.isValid() || !m_deployment.isValid())
        return;
    const bool isCheck = serviceOrCheck.parent().parent().isValid();
    const QModelIndex service = isCheck ? serviceOrCheck.parent() : serviceOrCheck;
    Q_EMIT runNowRequested(m_deployment.data().toString(), service.data().toString(),
                           isCheck ? serviceOrCheck.data().toString() : QString());
}

void DeploymentPage::runCurrentNow()
{
    if (m_checks->hasFocus() || m_failure->isAncestorOf(focusWidget())) {
        runNow(m_failure->check());
        return;
    }
    const QModelIndex service = currentService();
    if (service.isValid())
        runNow(service);
    else
        Q_EMIT runNowRequested(m_deployment.data().toString(), QString(), QString());
}

void DeploymentPage::showTileMenu(const QPoint& at)
{
    const QModelIndex service = m_filter.mapToSource(m_tiles->indexAt(at));
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    if (service.isValid()) {
        QAction* one = menu->addAction(tr("Check %1 Now").arg(service.data().toString()), this,
                                       [this, service = QPersistentModelIndex(service)] { runNow(service); });
        one->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    }
    menu->addAction(tr("Check Every Service of %1 Now").arg(m_deployment.data().toString()), this,
                    [this] { Q_EMIT runNowRequested(m_deployment.data().toString(), QString(), QString()); });
    menu->popup(m_tiles->viewport()->mapToGlobal(at));
}

void DeploymentPage::showCheckMenu(const QPoint& at)
{
    const QModelIndex row = m_checks->indexAt(at);
    const QModelIndex service = m_checksModel->service();
    if (!row.isValid() || !service.isValid())
        return;
    const QPersistentModelIndex check = m_model.index(row.row(), 0, service);
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QAction* one
        = menu->addAction(tr("Check %1 Now").arg(check.data().toString()), this, [this, check] { runNow(check); });
    one->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    menu->addAction(tr("Copy Details as Markdown"), this, [this, check] {
        m_failure->setCheck(check);
        m_failure->copyMarkdown();
    });
    menu->popup(m_checks->viewport()->mapToGlobal(at));
}

QModelIndex DeploymentPage::currentService() const
{
    return m_filter.mapToSource(m_tiles->currentIndex());
}

QString DeploymentPage::noMatchText() const
{
    return m_noMatch->isHidden() ? QString() : m_noMatch->text();
}

void DeploymentPage::updateNoMatch()
{
    if (!m_deployment.isValid())
        return;
    const int all = m_model.rowCount(m_deployment);
    const int shown = m_filter.rowCount(m_filter.mapFromSource(m_deployment));
    const bool hidesAll = m_filter.isFiltering() && all > 0 && shown == 0;
    m_noMatch->setText(hidesAll ? tr("No service of %1 matches the filter; %n service(s) hidden.", nullptr, all)
                                      .arg(m_deployment.data().toString())
                                : QString());
    m_noMatch->setVisible(hidesAll);
}

void DeploymentPage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        refresh(); // the theme changed: the banner's colours follow
}

bool DeploymentPage::selectService(const QString& service)
{
    const QModelIndex tile = m_filter.mapFromSource(m_model.serviceIndex(deploymentName(), service));
    if (!tile.isValid())
        return false;
    m_tiles->setCurrentIndex(tile);
    m_tiles->setFocus(Qt::OtherFocusReason);
    return true;
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
    const QString muting = m_deployment.data(DeploymentModel::MutingTextRole).toString();
    QString text;
    if (paused && !muting.isEmpty())
        text = muting;
    else if (paused)
        text = tr("Paused: no checks run until you resume.");
    else if (!line.isEmpty())
        text = (reachable ? tr("Root cause: %1") : QStringLiteral("%1")).arg(line);
    else if (status == ProbeStatus::Healthy)
        text = tr("All services healthy.");
    else
        text = tr("Waiting for results…");
    if (!paused && !muting.isEmpty())
        text += u'\n' + muting; // what to fix first, then that it is muted
    m_cause->setText(text);
    m_cause->setAccessibleName(text);
    QPalette palette = this->palette(); // the page's follows the theme; the banner's is set here
    const bool alarming = !paused && !line.isEmpty();
    const bool dark = Theme::isDark(palette);
    const QColor alarmBack = dark ? QColor(0x5c, 0x1f, 0x1f) : QColor(0xfd, 0xec, 0xea);
    const QColor alarmText = dark ? QColor(0xff, 0xd7, 0xd2) : QColor(0x8e, 0x1b, 0x1b);
    palette.setColor(QPalette::Window, alarming ? alarmBack : palette.color(QPalette::AlternateBase));
    palette.setColor(QPalette::WindowText, alarming ? alarmText : palette.color(QPalette::Text));
    m_cause->setPalette(palette);
    QFont font = m_cause->font();
    font.setBold(alarming);
    m_cause->setFont(font);
}

} // namespace okh
