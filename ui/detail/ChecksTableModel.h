#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QPersistentModelIndex>

namespace okh {

class DeploymentModel;

// The checks of one service as a table (the container detail): name, role, type, target
// (passwords masked), state with what is pending, latest result, latency, since when. Rows
// follow the DeploymentModel's children of the service; nothing is copied.
class ChecksTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // State and timing first: they are what an operator reads; the long texts go last.
    enum Column { Name, State, Latency, Since, Role, Type, Target, LastResult, ColumnCount };

    explicit ChecksTableModel(DeploymentModel& source, QObject* parent = nullptr);

    // Shows the checks of this service index of the source (an invalid index: none).
    void setService(const QModelIndex& service);
    QModelIndex service() const { return m_service; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString roleText(int checkRole);
    // "12 ms", "0.4 ms"
    static QString latencyText(double ms);
    // "Since" in the table: the time alone when it is today, else date and time.
    static QString sinceText(const QDateTime& since, const QDateTime& now);

private:
    QModelIndex sourceCheck(int row) const;

    DeploymentModel& m_source;
    QPersistentModelIndex m_service;
};

} // namespace okh
