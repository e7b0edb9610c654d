#pragma once

#include <QPersistentModelIndex>
#include <QWidget>

class QLabel;
class QListView;
class QTableView;

namespace okh {

class ChecksTableModel;
class DeploymentModel;

// One deployment in the overview: its root-cause line first (what to fix, what it explains,
// or why the deployment cannot be reached), then its services as tiles.
class DeploymentPage : public QWidget
{
    Q_OBJECT
public:
    DeploymentPage(DeploymentModel& model, const QModelIndex& deployment, QWidget* parent = nullptr);

    QListView* tiles() const { return m_tiles; }
    QTableView* checksTable() const { return m_checks; }
    QString detailTitle() const;
    QString causeText() const;

private:
    void refresh();
    void showService(const QModelIndex& service);

    DeploymentModel& m_model;
    QPersistentModelIndex m_deployment;
    QLabel* m_cause = nullptr;
    QListView* m_tiles = nullptr;
    QLabel* m_detailTitle = nullptr;
    QTableView* m_checks = nullptr;
    ChecksTableModel* m_checksModel = nullptr;
};

} // namespace okh
