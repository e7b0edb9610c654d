#include "DeploymentModel.h"

#include "alert/Muting.h"
#include "report/TargetDescription.h"

#include <QDateTime>
#include <QLocale>
#include <QPersistentModelIndex>
#include <algorithm>

namespace okh {

namespace {

// internalId: 0 for a deployment; d + 1 for a service of deployment d; for a check of service
// s of deployment d, (d + 1) | (s + 1) << 16. Enough for 65,535 deployments.
constexpr quintptr Shift = 16;
constexpr quintptr Mask = (quintptr(1) << Shift) - 1;

ProbeStatus worst(ProbeStatus a, ProbeStatus b)
{
    const auto rank = [](ProbeStatus s) { return s == ProbeStatus::Unhealthy ? 2 : s == ProbeStatus::Unknown ? 1 : 0; };
    return rank(a) >= rank(b) ? a : b;
}

} // namespace

DeploymentModel::DeploymentModel(QObject* parent)
    : QAbstractItemModel(parent)
{ }

void DeploymentModel::setMuting(const Muting* muting)
{
    if (m_muting)
        disconnect(m_muting, nullptr, this, nullptr);
    m_muting = muting;
    if (!m_muting)
        return;
    connect(m_muting, &Muting::changed, this, [this](const QString& name) {
        const int d = deploymentRow(name);
        if (d < 0)
            return;
        const QModelIndex deployment = index(d, 0);
        Q_EMIT dataChanged(deployment, deployment);
        if (const int services = rowCount(deployment); services > 0)
            Q_EMIT dataChanged(index(0, 0, deployment), index(services - 1, 0, deployment));
    });
}

namespace {

QString clockTime(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms).time(), QLocale::ShortFormat);
}

} // namespace

DeploymentModel::DeploymentRow DeploymentModel::rowFor(const DeploymentSpec& spec)
{
    DeploymentRow d;
    d.name = spec.name;
    d.summary.name = spec.name;
    for (const ServiceSpec& service : spec.services) {
        ServiceRow s;
        s.deployment = spec.name;
        s.name = service.name;
        s.kind = service.kind;
        s.assessment.service = service.name;
        s.assessment.kind = service.kind;
        for (const CheckSpec& check : service.checks)
            s.checks.append({check, {}, false});
        d.services.append(s);
    }
    return d;
}

void DeploymentModel::setDeployments(const QList<DeploymentSpec>& deployments)
{
    beginResetModel();
    m_deployments.clear();
    for (const DeploymentSpec& spec : deployments)
        m_deployments.append(rowFor(spec));
    endResetModel();
}

void DeploymentModel::replaceDeployment(const QString& previousName, const DeploymentSpec& spec)
{
    // A reset: services and checks may have come and gone. The other rows keep their data, so
    // the views show their state again at once.
    beginResetModel();
    const int row = deploymentRow(previousName.isEmpty() ? spec.name : previousName);
    if (row >= 0)
        m_deployments[row] = rowFor(spec);
    else
        m_deployments.append(rowFor(spec));
    endResetModel();
}

int DeploymentModel::deploymentRow(const QString& name) const
{
    for (int i = 0; i < m_deployments.size(); ++i) {
        if (m_deployments.at(i).name == name)
            return i;
    }
    return -1;
}

void DeploymentModel::apply(const MonitorBatch& batch)
{
    // A service shows its checks (chips, sparkline, pending state, filters): a changed check
    // changes its service too, once per batch. The checks of a service are one block of rows,
    // so its changed checks go out as one dataChanged: 500 checks a second must not become
    // 500 signals through the proxies and views.
    struct Touched
    {
        QModelIndex service;
        int first;
        int last;
    };
    QList<Touched> touched;
    for (const CheckSnapshot& snapshot : batch.checks) {
        const QModelIndex at = checkIndex(snapshot.key);
        if (!at.isValid())
            continue; // a deployment that was replaced meanwhile
        CheckRow& row = m_deployments[int(at.internalId() & Mask) - 1]
                            .services[int(at.internalId() >> Shift) - 1]
                            .checks[at.row()];
        row.snapshot = snapshot;
        row.hasSnapshot = true;
        const QModelIndex service = at.parent();
        auto it = std::find_if(touched.begin(), touched.end(),
                               [&service](const Touched& t) { return t.service == service; });
        if (it == touched.end())
            touched.append({service, at.row(), at.row()});
        else {
            it->first = std::min(it->first, at.row());
            it->last = std::max(it->last, at.row());
        }
    }
    // Nothing above changes the structure, so these indexes are still valid.
    for (const Touched& t : std::as_const(touched)) {
        Q_EMIT dataChanged(index(t.first, 0, t.service), index(t.last, columnCount(t.service) - 1, t.service));
        Q_EMIT dataChanged(t.service, t.service);
    }
    for (const DeploymentSnapshot& summary : batch.deployments) {
        const int d = deploymentRow(summary.name);
        if (d < 0)
            continue;
        DeploymentRow& row = m_deployments[d];
        row.summary = summary;
        for (int s = 0; s < row.services.size(); ++s) {
            for (const ServiceAssessment& a : summary.services) {
                if (a.service == row.services.at(s).name)
                    row.services[s].assessment = a;
            }
        }
        const QModelIndex deployment = index(d, 0);
        Q_EMIT dataChanged(deployment, deployment);
        if (!row.services.isEmpty())
            Q_EMIT dataChanged(index(0, 0, deployment), index(int(row.services.size()) - 1, 0, deployment));
    }
}

QModelIndex DeploymentModel::deploymentIndex(const QString& deployment) const
{
    const int d = deploymentRow(deployment);
    return d < 0 ? QModelIndex() : index(d, 0);
}

QModelIndex DeploymentModel::serviceIndex(const QString& deployment, const QString& service) const
{
    const QModelIndex parent = deploymentIndex(deployment);
    if (!parent.isValid())
        return {};
    const auto& services = m_deployments.at(parent.row()).services;
    for (int s = 0; s < services.size(); ++s) {
        if (services.at(s).name == service)
            return index(s, 0, parent);
    }
    return {};
}

QModelIndex DeploymentModel::checkIndex(const CheckKey& key) const
{
    const QModelIndex parent = serviceIndex(key.deployment, key.service);
    if (!parent.isValid())
        return {};
    const auto& checks = m_deployments.at(parent.parent().row()).services.at(parent.row()).checks;
    for (int c = 0; c < checks.size(); ++c) {
        if (checks.at(c).spec.name == key.check)
            return index(c, 0, parent);
    }
    return {};
}

QModelIndex DeploymentModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    if (parent.internalId() == 0) // a deployment: its services
        return createIndex(row, column, quintptr(parent.row() + 1));
    // A service: its checks.
    return createIndex(row, column, (parent.internalId() & Mask) | (quintptr(parent.row() + 1) << Shift));
}

QModelIndex DeploymentModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const quintptr id = child.internalId();
    const int d = int(id & Mask) - 1;
    const quintptr s = id >> Shift;
    if (s == 0)
        return createIndex(d, 0, quintptr(0));
    return createIndex(int(s) - 1, 0, quintptr(d + 1));
}

int DeploymentModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(m_deployments.size());
    if (parent.column() != 0)
        return 0;
    const quintptr id = parent.internalId();
    if (id == 0)
        return int(m_deployments.at(parent.row()).services.size());
    if ((id >> Shift) == 0)
        return int(m_deployments.at(int(id & Mask) - 1).services.at(parent.row()).checks.size());
    return 0;
}

int DeploymentModel::columnCount(const QModelIndex&) const
{
    return 1;
}

QVariant DeploymentModel::data(const QModelIndex& index, int role) const
{
    if (!QAbstractItemModel::checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const quintptr id = index.internalId();
    if (id == 0)
        return deploymentData(m_deployments.at(index.row()), role);
    const DeploymentRow& d = m_deployments.at(int(id & Mask) - 1);
    if ((id >> Shift) == 0)
        return serviceData(d.services.at(index.row()), role);
    return checkData(d.services.at(int(id >> Shift) - 1).checks.at(index.row()), role);
}

QVariant DeploymentModel::deploymentData(const DeploymentRow& d, int role) const
{
    ProbeStatus status = ProbeStatus::Healthy;
    for (const ServiceRow& s : d.services)
        status = worst(status, s.assessment.status);
    if (!d.summary.reachable)
        status = ProbeStatus::Unknown; // the monitor's trouble, not the services'
    switch (role) {
    case Qt::DisplayRole:
        return d.name;
    case StatusRole:
        return int(status);
    case StatusTextRole:
        return statusText(status);
    case CauseLineRole:
        return causeLine(d.summary);
    case ReachableRole:
        return d.summary.reachable;
    case TransportErrorRole:
        return d.summary.transportError;
    case PausedRole:
        return d.summary.paused;
    case MaintenanceUntilMsRole:
        return m_muting ? m_muting->maintenanceUntilMs(d.name) : 0;
    case PausedUntilMsRole:
        return m_muting ? m_muting->pausedUntilMs(d.name) : 0;
    case MutingTextRole: {
        QStringList lines;
        if (m_muting && m_muting->isPaused(d.name)) {
            const qint64 until = m_muting->pausedUntilMs(d.name);
            lines.append(until ? tr("Paused until %1: no checks run until then.").arg(clockTime(until))
                               : tr("Paused: no checks run until you resume."));
        }
        if (const qint64 until = m_muting ? m_muting->maintenanceUntilMs(d.name) : 0)
            lines.append(tr("Maintenance window until %1: notifications are muted.").arg(clockTime(until)));
        return lines.join(u' ');
    }
    case Qt::ToolTipRole:
        return d.summary.reachable ? causeLine(d.summary) : d.summary.transportError;
    default:
        return {};
    }
}

QVariant DeploymentModel::serviceData(const ServiceRow& s, int role) const
{
    const ServiceAssessment& a = s.assessment;
    switch (role) {
    case Qt::DisplayRole:
        return s.name;
    case Qt::AccessibleTextRole: {
        QString text = tr("%1 (%2): %3")
                           .arg(s.name, s.kind, a.conclusionText.isEmpty() ? statusText(a.status) : a.conclusionText);
        if (const auto ack = m_muting ? m_muting->acknowledgement(s.deployment, s.name) : std::nullopt)
            text = tr("%1; acknowledged by %2").arg(text, ack->user);
        return text;
    }
    case StatusRole:
        return int(a.status);
    case StatusTextRole:
        return statusText(a.status);
    case KindRole:
        return s.kind;
    case ConclusionTextRole:
        return a.conclusionText;
    case RootCauseRole:
        return a.rootCause;
    case CausedByRole:
        return a.causedBy;
    case CauseReasonRole:
        return a.causeReason;
    case AcknowledgedByRole:
    case AcknowledgedAtMsRole: {
        const auto ack = m_muting ? m_muting->acknowledgement(s.deployment, s.name) : std::nullopt;
        if (!ack)
            return role == AcknowledgedByRole ? QVariant(QString()) : QVariant(qint64(0));
        return role == AcknowledgedByRole ? QVariant(ack->user) : QVariant(ack->atMs);
    }
    case CauseTextRole:
        if (a.rootCause)
            return tr("root cause: %1").arg(a.causeReason);
        if (!a.causedBy.isEmpty())
            return tr("consequence of %1: %2").arg(a.causedBy.join(QStringLiteral(", ")), a.causeReason);
        return QString();
    case Qt::ToolTipRole:
        return a.causeReason.isEmpty() ? a.conclusionText : a.conclusionText + u'\n' + a.causeReason;
    default:
        return {};
    }
}

QVariant DeploymentModel::checkData(const CheckRow& c, int role) const
{
    const CheckStateMachine::State& state = c.snapshot.state;
    switch (role) {
    case Qt::DisplayRole:
        return c.spec.name;
    case Qt::AccessibleTextRole:
        return tr("%1: %2").arg(c.spec.name, c.hasSnapshot ? c.snapshot.stateText : tr("no result yet"));
    case StatusRole:
        return int(c.hasSnapshot ? state.verdict : ProbeStatus::Unknown);
    case StatusTextRole:
        return statusText(c.hasSnapshot ? state.verdict : ProbeStatus::Unknown);
    case KindRole:
        return c.spec.typeKey();
    case CheckRoleRole:
        return int(c.spec.role);
    case StateTextRole:
        return c.hasSnapshot ? c.snapshot.stateText : tr("no result yet");
    case LatestStatusRole:
        return int(c.hasSnapshot ? state.last.status : ProbeStatus::Unknown);
    case SummaryRole:
    case Qt::ToolTipRole:
        return c.hasSnapshot ? state.last.summary : QString();
    case LastResultMsRole:
        return c.hasSnapshot ? state.lastResultMs : qint64(0);
    case LatencyMsRole:
        return c.hasSnapshot ? state.last.latencyMs : 0.0;
    case RecentRole:
        return QVariant::fromValue(c.snapshot.recent);
    case CheckSnapshotRole:
        return QVariant::fromValue(c.snapshot);
    case TargetRole:
        return describeTarget(c.spec.target);
    case SinceMsRole:
        return c.hasSnapshot ? state.verdictSinceMs : qint64(0);
    case CheckSpecRole:
        return QVariant::fromValue(c.spec);
    case HasSnapshotRole:
        return c.hasSnapshot;
    default:
        return {};
    }
}

QHash<int, QByteArray> DeploymentModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(StatusRole, "status");
    names.insert(StatusTextRole, "statusText");
    names.insert(KindRole, "kind");
    names.insert(ConclusionTextRole, "conclusionText");
    names.insert(RootCauseRole, "rootCause");
    names.insert(CausedByRole, "causedBy");
    names.insert(CauseReasonRole, "causeReason");
    names.insert(CauseLineRole, "causeLine");
    names.insert(ReachableRole, "reachable");
    names.insert(TransportErrorRole, "transportError");
    names.insert(PausedRole, "paused");
    names.insert(AcknowledgedByRole, "acknowledgedBy");
    names.insert(AcknowledgedAtMsRole, "acknowledgedAtMs");
    names.insert(MaintenanceUntilMsRole, "maintenanceUntilMs");
    names.insert(PausedUntilMsRole, "pausedUntilMs");
    names.insert(MutingTextRole, "mutingText");
    names.insert(CheckRoleRole, "checkRole");
    names.insert(StateTextRole, "stateText");
    names.insert(LatestStatusRole, "latestStatus");
    names.insert(SummaryRole, "summary");
    names.insert(LastResultMsRole, "lastResultMs");
    names.insert(LatencyMsRole, "latencyMs");
    names.insert(RecentRole, "recent");
    names.insert(CheckSnapshotRole, "checkSnapshot");
    names.insert(TargetRole, "target");
    names.insert(SinceMsRole, "sinceMs");
    names.insert(CheckSpecRole, "checkSpec");
    names.insert(HasSnapshotRole, "hasSnapshot");
    names.insert(CauseTextRole, "causeText");
    return names;
}

QString DeploymentModel::statusText(ProbeStatus status)
{
    switch (status) {
    case ProbeStatus::Healthy:
        return tr("healthy");
    case ProbeStatus::Unhealthy:
        return tr("unhealthy");
    case ProbeStatus::Unknown:
        break;
    }
    return tr("unknown");
}

QString DeploymentModel::causeLine(const DeploymentSnapshot& summary)
{
    if (!summary.reachable)
        return tr("cannot reach deployment: %1").arg(summary.transportError);
    if (!summary.deploymentCause.isEmpty())
        return summary.deploymentCause;
    QStringList parts;
    for (const ServiceAssessment& root : summary.services) {
        if (!root.rootCause)
            continue;
        QStringList explains;
        for (const ServiceAssessment& a : summary.services) {
            if (!a.rootCause && a.causedBy.contains(root.service))
                explains.append(a.service);
        }
        QString part = root.causeReason.isEmpty() ? tr("%1 is failing").arg(root.service)
                                                  : tr("%1 is failing (%2)").arg(root.service, root.causeReason);
        if (!explains.isEmpty())
            part += tr(" — explains %1").arg(explains.join(QStringLiteral(", ")));
        parts.append(part);
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace okh
