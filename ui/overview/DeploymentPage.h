#pragma once

#include <QPersistentModelIndex>
#include <QWidget>

class QLabel;
class QListView;
class QTabWidget;
class QTableView;

namespace okh {

class ChecksTableModel;
class DeploymentModel;
class FailureView;
class HistoryStore;
class HistoryView;
class ServiceFilterModel;

// One deployment in the overview: its root-cause line first (what to fix, what it explains,
// or why the deployment cannot be reached), then its services as tiles, then the selected
// service's checks beside the selected check's failure details.
class DeploymentPage : public QWidget
{
    Q_OBJECT
public:
    // The tiles show `filter`'s services (a proxy of `model`); `deployment` is of `model`.
    DeploymentPage(DeploymentModel& model, ServiceFilterModel& filter, const QModelIndex& deployment,
                   QWidget* parent = nullptr);

    QListView* tiles() const { return m_tiles; }
    QTableView* checksTable() const { return m_checks; }
    FailureView* failureView() const { return m_failure; }
    HistoryView* historyView() const { return m_history; }
    QTabWidget* detailTabs() const { return m_detailTabs; }
    void setHistoryStore(HistoryStore* store);
    QString deploymentName() const;
    QString detailTitle() const;
    QString causeText() const;
    // The current tile's service, as an index of the DeploymentModel.
    QModelIndex currentService() const;
    // "No service … matches the filter." while the filter hides every tile, else empty.
    QString noMatchText() const;

    // Makes the service's tile current and gives it the keyboard (false: no such tile shown).
    bool selectService(const QString& service);

    // Runs the focused check, else the current service, at once.
    void runCurrentNow();

Q_SIGNALS:
    // Empty service: the whole deployment; empty check: the whole service.
    void runNowRequested(const QString& deployment, const QString& service, const QString& check);

protected:
    void changeEvent(QEvent* event) override;

private:
    void refresh();
    void showService(const QModelIndex& service);
    void showCheck(int row);
    void runNow(const QModelIndex& serviceOrCheck);
    void showTileMenu(const QPoint& at);
    void updateNoMatch();
    void showCheckMenu(const QPoint& at);

    DeploymentModel& m_model;
    ServiceFilterModel& m_filter;
    QPersistentModelIndex m_deployment;
    QLabel* m_cause = nullptr;
    QListView* m_tiles = nullptr;
    QLabel* m_noMatch = nullptr;
    QLabel* m_detailTitle = nullptr;
    QTableView* m_checks = nullptr;
    ChecksTableModel* m_checksModel = nullptr;
    FailureView* m_failure = nullptr;
    HistoryView* m_history = nullptr;
    QTabWidget* m_detailTabs = nullptr;
};

} // namespace okh
