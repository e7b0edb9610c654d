#include "RootCause.h"

#include <QSet>

namespace okh {

namespace {

// Follows every dependency edge from `service` (a healthy middle service still carries the
// dependency) and collects the unhealthy services that have no unhealthy dependency below them.
void collectRoots(const QString& service, const QHash<QString, const RootCause::Node*>& byName, QSet<QString>& visiting,
                  QStringList& roots)
{
    const RootCause::Node* node = byName.value(service);
    if (!node || visiting.contains(service))
        return;
    visiting.insert(service);
    bool hasFailingDependency = false;
    for (const QString& dependency : node->dependsOn) {
        const RootCause::Node* d = byName.value(dependency);
        if (!d)
            continue;
        QStringList below;
        collectRoots(dependency, byName, visiting, below);
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
    QHash<QString, const Node*> byName;
    for (const Node& n : nodes)
        byName.insert(n.service, &n);
    QHash<QString, QStringList> result;
    for (const Node& n : nodes) {
        if (n.status != ProbeStatus::Unhealthy)
            continue;
        QStringList roots;
        QSet<QString> visiting;
        collectRoots(n.service, byName, visiting, roots);
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
