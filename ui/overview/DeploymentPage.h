#pragma once

#include <QPersistentModelIndex>
#include <QWidget>

class QLabel;
class QListView;

namespace okh {

class DeploymentModel;

// One deployment in the overview: its root-cause line first (what to fix, what it explains,
// or why the deployment cannot be reached), then its services as tiles.
class DeploymentPage : public QWidget
{
    Q_OBJECT
public:
    DeploymentPage(DeploymentModel& model, const QModelIndex& deployment, QWidget* parent = nullptr);

    QListView* tiles() const { return m_tiles; }
    QString causeText() const;

private:
    void refresh();

    DeploymentModel& m_model;
    QPersistentModelIndex m_deployment;
    QLabel* m_cause = nullptr;
    QListView* m_tiles = nullptr;
};

} // namespace okh
