#pragma once

#include "FailureReport.h"

#include <QPersistentModelIndex>
#include <QWidget>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace okh {

// The failure details of one check (select a check in the container detail): everything its
// probe captured, readable, with "Copy as Markdown" for a ticket. It follows the check's
// updates but rebuilds only when the text changes, so a scrolled or selected view stays put.
class FailureView : public QWidget
{
    Q_OBJECT
public:
    explicit FailureView(QWidget* parent = nullptr);

    // A check index of a DeploymentModel; an invalid index shows the empty state.
    void setCheck(const QModelIndex& check);
    QModelIndex check() const { return m_check; }
    const FailureReport& report() const { return m_report; }
    QString markdown() const { return m_markdown; }
    QTextBrowser* browser() const { return m_browser; }

    // What the dashboard knows about the check at `check`, for FailureReport.
    static FailureSubject subjectOf(const QModelIndex& check);

    void copyMarkdown();

Q_SIGNALS:
    void runNowRequested(const QModelIndex& check);
    void copied(const QString& markdown);

private:
    void refresh();

    QPersistentModelIndex m_check;
    QMetaObject::Connection m_changes;
    FailureReport m_report;
    QString m_markdown;
    QTextBrowser* m_browser = nullptr;
    QPushButton* m_copy = nullptr;
    QPushButton* m_runNow = nullptr;
};

} // namespace okh
