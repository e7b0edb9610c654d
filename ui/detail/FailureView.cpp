#include "FailureView.h"

#include "model/DeploymentModel.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace okh {

FailureView::FailureView(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_browser = new QTextBrowser(this);
    m_browser->setOpenLinks(false);
    m_browser->setAccessibleName(tr("Failure details"));
    layout->addWidget(m_browser, 1);

    auto* buttons = new QHBoxLayout;
    m_runNow = new QPushButton(tr("Check &Now"), this);
    m_runNow->setToolTip(tr("Run this check at once (Ctrl+R); the schedule goes on after it."));
    buttons->addWidget(m_runNow);
    buttons->addStretch(1);
    m_copy = new QPushButton(tr("Copy as &Markdown"), this);
    m_copy->setToolTip(tr("Copy these details as Markdown for a ticket (Ctrl+Shift+C)."));
    buttons->addWidget(m_copy);
    layout->addLayout(buttons);

    connect(m_copy, &QPushButton::clicked, this, &FailureView::copyMarkdown);
    connect(m_runNow, &QPushButton::clicked, this, [this] {
        if (m_check.isValid())
            Q_EMIT runNowRequested(m_check);
    });
    refresh();
}

FailureSubject FailureView::subjectOf(const QModelIndex& check)
{
    FailureSubject s;
    const QModelIndex service = check.parent();
    const QModelIndex deployment = service.parent();
    s.deployment = deployment.data().toString();
    s.reachable = deployment.data(DeploymentModel::ReachableRole).toBool();
    s.transportError = deployment.data(DeploymentModel::TransportErrorRole).toString();
    s.service = service.data().toString();
    s.serviceKind = service.data(DeploymentModel::KindRole).toString();
    s.cause = service.data(DeploymentModel::CauseTextRole).toString();
    s.check = check.data(DeploymentModel::CheckSpecRole).value<CheckSpec>();
    s.hasSnapshot = check.data(DeploymentModel::HasSnapshotRole).toBool();
    s.snapshot = check.data(DeploymentModel::CheckSnapshotRole).value<CheckSnapshot>();
    return s;
}

void FailureView::setCheck(const QModelIndex& check)
{
    disconnect(m_changes);
    m_check = check;
    if (check.isValid()) {
        m_changes = connect(check.model(), &QAbstractItemModel::dataChanged, this,
                            [this](const QModelIndex& from, const QModelIndex& to) {
                                if (m_check.isValid() && m_check.parent() == from.parent()
                                    && m_check.row() >= from.row() && m_check.row() <= to.row())
                                    refresh();
                            });
    }
    refresh();
}

void FailureView::refresh()
{
    const bool valid = m_check.isValid();
    m_runNow->setEnabled(valid);
    m_copy->setEnabled(valid);
    if (!valid) {
        m_report = FailureReport();
        m_markdown.clear();
        m_browser->setHtml(QStringLiteral("<p>%1</p>").arg(tr("Select a check to see what its probe captured.")));
        return;
    }
    FailureReport report = FailureReport::build(subjectOf(m_check));
    QString markdown = report.toMarkdown();
    if (markdown == m_markdown)
        return; // only the age moved on: keep the scroll position and any selection
    m_report = std::move(report);
    m_markdown = std::move(markdown);
    const int scroll = m_browser->verticalScrollBar()->value();
    m_browser->setHtml(m_report.toHtml());
    m_browser->verticalScrollBar()->setValue(scroll);
}

void FailureView::copyMarkdown()
{
    if (m_markdown.isEmpty())
        return;
    QApplication::clipboard()->setText(m_markdown);
    Q_EMIT copied(m_markdown);
}

} // namespace okh
