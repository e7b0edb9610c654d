#pragma once

#include "config/DeploymentSpec.h"
#include "engine/MonitorFeed.h"

#include <QAbstractItemModel>
#include <QList>

namespace okh {

class Muting;

// Deployments → services (containers) → checks, as the dashboard shows them: the structure
// from the deployment files, the state from the monitor feed's batches. Rows keep file order
// (tiles do not jump around when something fails); causes are roles, not an order.
class DeploymentModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Role {
        StatusRole = Qt::UserRole + 1, // int(ProbeStatus): a deployment's is its worst service's
        StatusTextRole, // "healthy", "unhealthy", "unknown" (translated)
        KindRole, // service: "web", "redis", …; check: its type ("http", …)
        ConclusionTextRole, // service: "out of rotation: readiness check readyz is failing"
        RootCauseRole, // service: bool
        CausedByRole, // service: QStringList
        CauseReasonRole, // service: "not answering on 127.0.0.1:8000"
        CauseTextRole, // service: "root cause: …" or "consequence of redis: …" (empty: none)
        CauseLineRole, // deployment: "redis is down — explains web and celery" (empty: none)
        ReachableRole, // deployment: bool (its SSH connection)
        TransportErrorRole, // deployment: why it cannot be reached
        PausedRole, // deployment: bool
        CheckRoleRole, // check: int(CheckRole)
        StateTextRole, // check: "failing 2/3", "healthy"
        LatestStatusRole, // check: int(ProbeStatus) of the latest result, counted or not
        SummaryRole, // check: the latest result's summary
        LastResultMsRole, // check: wall clock of the latest result (0: none yet)
        LatencyMsRole, // check: double, the latest result's
        RecentRole, // check: QList<RecentResult>, oldest first
        CheckSnapshotRole, // check: the whole CheckSnapshot
        TargetRole, // check: what it talks to, passwords masked (describeTarget)
        SinceMsRole, // check: wall clock since which its verdict holds (0: no result yet)
        CheckSpecRole, // check: its CheckSpec
        HasSnapshotRole, // check: bool, a snapshot has come in
        AcknowledgedByRole, // service: who acknowledged its incident (empty: not acknowledged)
        AcknowledgedAtMsRole, // service: when
        MaintenanceUntilMsRole, // deployment: end of its maintenance window (0: none)
        PausedUntilMsRole, // deployment: end of its pause (0: not paused, or until resumed)
        MutingTextRole, // deployment: "Maintenance window until 17:30: notifications are muted." (empty: none)
    };
    Q_ENUM(Role)

    explicit DeploymentModel(QObject* parent = nullptr);

    // Acknowledgements, maintenance windows and pauses shown with the state; must outlive the model.
    void setMuting(const Muting* muting);
    const Muting* muting() const { return m_muting; }

    // The structure; state comes with batches. Replaces what was there.
    void setDeployments(const QList<DeploymentSpec>& deployments);
    // One deployment's structure anew (an edit; `previousName` when it was renamed), the others'
    // state kept; a name not there yet is added at the end.
    void replaceDeployment(const QString& previousName, const DeploymentSpec& spec);
    void apply(const MonitorBatch& batch);

    QModelIndex deploymentIndex(const QString& deployment) const;
    QModelIndex serviceIndex(const QString& deployment, const QString& service) const;
    QModelIndex checkIndex(const CheckKey& key) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString statusText(ProbeStatus status);
    // The deployment's first line: what to fix first, then what it explains.
    static QString causeLine(const DeploymentSnapshot& summary);

private:
    struct CheckRow
    {
        CheckSpec spec;
        CheckSnapshot snapshot;
        bool hasSnapshot = false;
    };
    struct ServiceRow
    {
        QString deployment;
        QString name;
        QString kind;
        ServiceAssessment assessment;
        QList<CheckRow> checks;
    };
    struct DeploymentRow
    {
        QString name;
        DeploymentSnapshot summary;
        QList<ServiceRow> services;
    };

    QVariant deploymentData(const DeploymentRow& d, int role) const;
    static DeploymentRow rowFor(const DeploymentSpec& spec);
    QVariant serviceData(const ServiceRow& s, int role) const;
    QVariant checkData(const CheckRow& c, int role) const;
    int deploymentRow(const QString& name) const;

    QList<DeploymentRow> m_deployments;
    const Muting* m_muting = nullptr;
};

} // namespace okh

Q_DECLARE_METATYPE(okh::CheckSnapshot)
Q_DECLARE_METATYPE(okh::CheckSpec)
Q_DECLARE_METATYPE(QList<okh::RecentResult>)
