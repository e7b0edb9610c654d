#include "RootCause.h"

#include <QSet>

namespace okh {

namespace {

using NodesByName = QHash<QString, const RootCause::Node*>;

void collectDependencyEndpoints(const QString& service, const NodesByName& byName, QSet<QString>& seen,
                                QSet<QString>& endpoints)
{
    const RootCause::Node* node = byName.value(service);
    if (!node || seen.contains(service))
        return;
    seen.insert(service);
    for (const QString& dependency : node->dependsOn) {
        if (const RootCause::Node* d = byName.value(dependency)) {
            for (const QString& e : d->endpoints)
                endpoints.insert(e);
            collectDependencyEndpoints(dependency, byName, seen, endpoints);
        }
    }
}

// Unhealthy with a refusal at an endpoint of its own (none of its dependencies' checks use it).
bool downOnItsOwn(const RootCause::Node& node, const NodesByName& byName)
{
    if (node.status != ProbeStatus::Unhealthy || node.refused.isEmpty())
        return false;
    QSet<QString> seen;
    QSet<QString> dependencyEndpoints;
    collectDependencyEndpoints(node.service, byName, seen, dependencyEndpoints);
    for (const QString& e : node.refused) {
        if (!dependencyEndpoints.contains(e))
            return true;
    }
    return false;
}

// Follows every dependency edge from `service` (a healthy middle service still carries the
// dependency) and collects the unhealthy services that have no unhealthy dependency below them;
// a service down on its own ends the path.
void collectRoots(const QString& service, const NodesByName& byName, const QSet<QString>& downAlone,
                  QSet<QString>& visiting, QStringList& roots)
{
    const RootCause::Node* node = byName.value(service);
    if (!node || visiting.contains(service))
        return;
    if (downAlone.contains(service)) {
        if (!roots.contains(service))
            roots.append(service);
        return;
    }
    visiting.insert(service);
    bool hasFailingDependency = false;
    for (const QString& dependency : node->dependsOn) {
        if (!byName.contains(dependency))
            continue;
        QStringList below;
        collectRoots(dependency, byName, downAlone, visiting, below);
        if (!below.isEmpty()) {
            hasFailingDependency = true;
            for (const QString& r : below) {
                if (!roots.contains(r))
                    roots.append(r);
            }
        }
    }
    if (!hasFailingDependency && node->status == ProbeStatus::Unhealthy && !roots.contains(service))
        roots.append(service);
    visiting.remove(service);
}

} // namespace

QHash<QString, QStringList> RootCause::consequences(const QList<Node>& nodes)
{
    NodesByName byName;
    for (const Node& n : nodes)
        byName.insert(n.service, &n);
    QSet<QString> downAlone;
    for (const Node& n : nodes) {
        if (downOnItsOwn(n, byName))
            downAlone.insert(n.service);
    }
    QHash<QString, QStringList> result;
    for (const Node& n : nodes) {
        if (n.status != ProbeStatus::Unhealthy || downAlone.contains(n.service))
            continue;
        QStringList roots;
        QSet<QString> visiting;
        collectRoots(n.service, byName, downAlone, visiting, roots);
        roots.removeAll(n.service);
        if (!roots.isEmpty())
            result.insert(n.service, roots);
    }
    return result;
}

QStringList RootCause::roots(const QList<Node>& nodes)
{
    const auto explained = consequences(nodes);
    QStringList result;
    for (const Node& n : nodes) {
        if (n.status == ProbeStatus::Unhealthy && !explained.contains(n.service))
            result.append(n.service);
    }
    return result;
}

} // namespace okh
