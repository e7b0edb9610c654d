#include "RootCause.h"

#include <QSet>
#include <algorithm>

namespace okh {

void RootCause::Service::add(const CheckSpec& check, const ProbeResult& result)
{
    if (check.role == CheckRole::Info)
        return;
    // Something listened: a healthy result, or a failure the peer itself reported. A stale or
    // missing file proves nothing is running, so it is no answer.
    const FailureKind k = result.failure;
    if (result.status == ProbeStatus::Healthy
        || (result.status == ProbeStatus::Unhealthy
            && (k == FailureKind::Answered || k == FailureKind::NoAnswer || k == FailureKind::NoReply
                || k == FailureKind::CommandFailed || k == FailureKind::Other)))
        answered = true;
    if (result.status == ProbeStatus::Unhealthy) {
        failing = true;
        evidence.append(FailureEvidence::of(check, result, components));
    } else if (result.status == ProbeStatus::Unknown && result.failure == FailureKind::Unresolved) {
        evidence.append(FailureEvidence::of(check, result, components));
    }
}

QStringList RootCause::Analysis::roots() const
{
    QStringList names;
    for (const auto& f : findings) {
        if (f.root)
            names.append(f.service);
    }
    return names;
}

const RootCause::Finding* RootCause::Analysis::find(const QString& service) const
{
    for (const auto& f : findings) {
        if (f.service == service)
            return &f;
    }
    return nullptr;
}

QStringList RootCause::Analysis::causedBy(const QString& service) const
{
    const Finding* f = find(service);
    return f ? f->causedBy : QStringList();
}

QString RootCause::Analysis::reason(const QString& service) const
{
    const Finding* f = find(service);
    return f ? f->reason : QString();
}

namespace {

using Points = FailureEvidence::Points;

bool silentAt(const RootCause::Service& s, const QString& endpoint)
{
    return std::any_of(s.evidence.begin(), s.evidence.end(), [&endpoint](const FailureEvidence& e) {
        return e.points == Points::NotAnswering && !endpoint.isEmpty() && e.endpoint == endpoint;
    });
}

// One failing service judged on its own evidence: which failing services it points at, or
// why it is its own root cause.
RootCause::Finding judge(const RootCause::Service& s, const QHash<QString, const RootCause::Service*>& byName)
{
    const auto failingService = [&byName](const QString& name) {
        const RootCause::Service* d = byName.value(name);
        return d && d->failing;
    };
    QStringList failingDependencies;
    for (const QString& d : s.dependsOn) {
        if (failingService(d))
            failingDependencies.append(d);
    }

    RootCause::Finding f;
    f.service = s.name;
    QStringList own;
    QStringList links;
    QStringList linkReasons;
    for (const FailureEvidence& e : s.evidence) {
        QStringList pointed;
        if (e.points == Points::Components) {
            QStringList healthy;
            for (const QString& n : e.named) {
                if (failingService(n))
                    pointed.append(n);
                else if (byName.contains(n))
                    healthy.append(n);
            }
            if (pointed.isEmpty() && !healthy.isEmpty()) {
                // Evidence against the graph: the dependency answers the monitor, not this service.
                own.append(RootCause::tr("%1, but %2 answers the monitor: check %3's credentials, network and "
                                         "settings for it")
                               .arg(e.reason, healthy.join(QStringLiteral(", ")), s.name));
                continue;
            }
        } else if (e.points == Points::Dependencies) {
            pointed = failingDependencies;
        } else if (e.points == Points::NotAnswering) {
            // A check of a dependency's own port (a worker's ping of its Redis broker): the
            // dependency is what does not answer.
            for (const QString& d : failingDependencies) {
                if (silentAt(*byName.value(d), e.endpoint))
                    pointed.append(d);
            }
        }
        if (pointed.isEmpty()) {
            own.append(e.reason);
            continue;
        }
        for (const QString& p : pointed) {
            if (!links.contains(p))
                links.append(p);
        }
        linkReasons.append(e.points == Points::NotAnswering
                               ? RootCause::tr("%1 checks %2 at %3, which does not answer")
                                     .arg(e.check, pointed.join(QStringLiteral(", ")), e.endpoint)
                               : e.reason);
    }
    if (!own.isEmpty() || links.isEmpty()) {
        f.root = true;
        own.removeDuplicates();
        f.reason = own.join(QStringLiteral("; "));
        return f;
    }
    f.root = false;
    f.causedBy = links;
    linkReasons.removeDuplicates();
    f.reason = linkReasons.join(QStringLiteral("; "));
    return f;
}

// Follows causedBy to the roots; a cycle with no root in it makes its members roots.
void collectRoots(const QString& service, const QHash<QString, RootCause::Finding*>& byName, QSet<QString>& seen,
                  QStringList& roots)
{
    RootCause::Finding* f = byName.value(service);
    if (!f || seen.contains(service))
        return;
    seen.insert(service);
    if (f->root) {
        if (!roots.contains(service))
            roots.append(service);
        return;
    }
    for (const QString& c : f->causedBy)
        collectRoots(c, byName, seen, roots);
}

QString deploymentCause(const QList<RootCause::Service>& services)
{
    QStringList hosts;
    int silentServices = 0;
    for (const auto& s : services) {
        if (s.answered)
            return {};
        bool silent = false;
        for (const auto& e : s.evidence) {
            if (e.points == Points::NotAnswering) {
                silent = true;
                if (!e.host.isEmpty() && !hosts.contains(e.host))
                    hosts.append(e.host);
            }
        }
        silentServices += silent ? 1 : 0;
    }
    if (silentServices < 2)
        return {};
    return hosts.isEmpty() ? RootCause::tr("nothing answers: is the deployment running?")
                           : RootCause::tr("nothing answers on %1: is the deployment running, and are these the "
                                           "right host and ports?")
                                 .arg(hosts.join(QStringLiteral(", ")));
}

} // namespace

RootCause::Analysis RootCause::analyse(const QList<Service>& services)
{
    QHash<QString, const Service*> byName;
    for (const Service& s : services)
        byName.insert(s.name, &s);
    Analysis a;
    for (const Service& s : services) {
        if (s.failing)
            a.findings.append(judge(s, byName));
    }
    QHash<QString, Finding*> findings;
    for (Finding& f : a.findings)
        findings.insert(f.service, &f);
    // A cycle of services blaming each other with no root behind it: all its members become
    // roots at once, so the outcome does not depend on the order of the services.
    for (;;) {
        QList<Finding*> rootless;
        for (Finding& f : a.findings) {
            if (f.root)
                continue;
            QSet<QString> seen;
            f.roots.clear();
            collectRoots(f.service, findings, seen, f.roots);
            if (f.roots.isEmpty())
                rootless.append(&f);
        }
        if (rootless.isEmpty())
            break;
        for (Finding* f : rootless) {
            f->root = true;
            f->causedBy.clear();
        }
    }
    a.deploymentCause = deploymentCause(services);
    return a;
}

} // namespace okh
