#pragma once

#include <QList>
#include <QTimer>
#include <QWidget>

class QStackedLayout;
class QTabWidget;
class QComboBox;
class QLabel;
class QLineEdit;

namespace okh {

class DeploymentModel;
class DeploymentPage;
class HistoryStore;
class ServiceFilterModel;

// Every opened deployment as a tab of service tiles, or an invitation to open a file when
// there is none; above the tabs, a filter by status and text for every page. Ages on the
// tiles tick once a second.
class OverviewView : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewView(DeploymentModel& model, QWidget* parent = nullptr);

    QList<DeploymentPage*> pages() const { return m_pages; }
    QTabWidget* tabs() const { return m_tabs; }
    DeploymentPage* currentPage() const;
    ServiceFilterModel* filter() const { return m_filter; }
    QLineEdit* filterEdit() const { return m_filterText; }
    QComboBox* showCombo() const { return m_show; }
    // Puts the keyboard in the filter's text (View → Filter Services, Ctrl+F).
    void focusFilter();
    // Shows the deployment's tab with the service's tile current.
    void showService(const QString& deployment, const QString& service);
    // The monitors' history while they run (nullptr otherwise), for every page's history tab.
    void setHistoryStore(HistoryStore* store);
    // What the overview says while nothing is open (default: how to open a file).
    void setEmptyText(const QString& text);
    QString emptyText() const;

Q_SIGNALS:
    // From any page; empty service: the whole deployment; empty check: the whole service.
    void runNowRequested(const QString& deployment, const QString& service, const QString& check);

private:
    void rebuild();
    void updateTabTitles();

    DeploymentModel& m_model;
    QStackedLayout* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    ServiceFilterModel* m_filter = nullptr;
    HistoryStore* m_history = nullptr;
    QWidget* m_content = nullptr;
    QLineEdit* m_filterText = nullptr;
    QComboBox* m_show = nullptr;
    QTabWidget* m_tabs = nullptr;
    QList<DeploymentPage*> m_pages;
    QTimer m_tick;
};

} // namespace okh
