#pragma once

#include <QList>
#include <QTimer>
#include <QWidget>

class QStackedLayout;
class QTabWidget;
class QLabel;

namespace okh {

class DeploymentModel;
class DeploymentPage;

// Every opened deployment as a tab of service tiles, or an invitation to open a file when
// there is none. Ages on the tiles tick once a second.
class OverviewView : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewView(DeploymentModel& model, QWidget* parent = nullptr);

    QList<DeploymentPage*> pages() const { return m_pages; }
    QTabWidget* tabs() const { return m_tabs; }
    DeploymentPage* currentPage() const;

Q_SIGNALS:
    // From any page; empty service: the whole deployment; empty check: the whole service.
    void runNowRequested(const QString& deployment, const QString& service, const QString& check);

private:
    void rebuild();

    DeploymentModel& m_model;
    QStackedLayout* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    QTabWidget* m_tabs = nullptr;
    QList<DeploymentPage*> m_pages;
    QTimer m_tick;
};

} // namespace okh
