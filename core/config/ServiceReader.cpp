#include "ServiceReader.h"

#include "config/CheckTypes.h"
#include "util/ClosestMatch.h"
#include "util/Durations.h"

#include <functional>
#include <initializer_list>

namespace okh {

namespace {

// A service-level "exec" moves the checks that follow the service's context.
void setExecContext(ProbeTarget& target, const ExecContext& context)
{
    if (auto* file = std::get_if<FileTarget>(&target))
        file->context = context;
    else if (auto* exec = std::get_if<ExecTarget>(&target))
        exec->context = context;
}

} // namespace

ServiceSpec ServiceReader::parseService(const ConfigNode& node, const ServiceSpec* base) const
{
    checkKeys(node,
              {QStringLiteral("name"), QStringLiteral("kind"), QStringLiteral("dependsOn"), QStringLiteral("exec"),
               QStringLiteral("components"), QStringLiteral("checks")});
    ServiceSpec service = base ? *base : ServiceSpec{};
    service.name = name(node, QStringLiteral("name"));
    if (!base)
        service.kind = QStringLiteral("other");
    if (node.has(QStringLiteral("kind")))
        service.kind = oneOf(node, QStringLiteral("kind"), serviceKinds(), tr("service kind"));
    if (node.has(QStringLiteral("exec"))) {
        service.exec = parseExecContext(node, QStringLiteral("exec"));
        // A profile never gives a check a context of its own: its file and exec checks follow
        // the service. Checks below may still name their own.
        for (CheckSpec& check : service.checks)
            setExecContext(check.target, service.exec);
    }

    if (node.has(QStringLiteral("dependsOn"))) {
        const QJsonArray dependsOn = array(node, QStringLiteral("dependsOn"));
        const QString dependsOnPath = node.pathOf(QStringLiteral("dependsOn"));
        service.dependsOn.clear();
        for (qsizetype i = 0; i < dependsOn.size(); ++i) {
            const QString path = JsonSourceMap::elementPath(dependsOnPath, i);
            if (!dependsOn.at(i).isString())
                expected(path, tr("a service name"), dependsOn.at(i));
            const QString dependency = expand(path, dependsOn.at(i).toString());
            if (dependency == service.name)
                fail(path, tr("a service cannot depend on itself"));
            if (service.dependsOn.contains(dependency))
                fail(path, tr("%1 is listed twice").arg(quoted(dependency)));
            service.dependsOn.append(dependency);
        }
    }

    if (node.has(QStringLiteral("components")))
        service.components = parseComponents(node);

    if (node.has(QStringLiteral("checks"))) {
        mergeNamedList(
            node, QStringLiteral("checks"), tr("a check object"), tr("duplicate check name %1 (also at %2)"),
            service.checks,
            [this, &service](const ConfigNode& checkNode, const CheckSpec* base) {
                return parseCheck(checkNode, base, service.exec);
            },
            [](const ConfigNode&, const QString&) {});
    }
    if (service.checks.isEmpty())
        fail(node.path, tr("service %1 has no checks; add at least one to \"checks\"").arg(quoted(service.name)));
    return service;
}

// "components": {"DatabaseBackend": "db", "Cache backend": "redis"}: which service a failing
// django-health-check component (or "broker", for Celery checks) stands for (engine/RootCause).
QHash<QString, QString> ServiceReader::parseComponents(const ConfigNode& node) const
{
    const ConfigNode components = object(node, QStringLiteral("components"));
    QHash<QString, QString> out;
    for (const QString& component : keysInFileOrder(components)) {
        if (component.trimmed().isEmpty())
            fail(components.pathOf(component), tr("a component name cannot be empty"), Anchor::Key);
        out.insert(component, *string(components, component));
    }
    return out;
}

CheckSpec ServiceReader::parseCheck(const ConfigNode& node, const CheckSpec* base, const ExecContext& serviceExec) const
{
    // The type decides which keys are valid, so it is read before the keys are checked.
    QString type = base ? base->typeKey() : QString();
    if (node.has(QStringLiteral("type")))
        type = oneOf(node, QStringLiteral("type"), checkTypeKeys(), tr("check type"));
    else if (!base)
        missing(node, QStringLiteral("type"), tr("one of %1").arg(checkTypeKeys().join(QStringLiteral(", "))));
    const CheckType& checkType = *findCheckType(type);

    const QStringList& ownKeys = checkType.keys;
    for (const QString& key : keysInFileOrder(node)) {
        if (commonCheckKeys().contains(key) || ownKeys.contains(key))
            continue;
        for (const CheckType& other : checkTypes()) {
            if (other.keys.contains(key)) {
                fail(node.pathOf(key),
                     tr("key %1 does not apply to %2 checks; they take: %3")
                         .arg(quoted(key), type, ownKeys.join(QStringLiteral(", "))),
                     Anchor::Key);
            }
        }
    }
    checkKeys(node, commonCheckKeys() + ownKeys);

    CheckSpec check = base ? *base : CheckSpec{};
    check.name = name(node, QStringLiteral("name"));
    // A fresh target starts from its type's defaults; otherwise the keys refine the base's.
    const bool fresh = !base || base->typeKey() != type;
    if (fresh)
        check.target = checkType.defaultTarget(serviceExec);

    if (node.has(QStringLiteral("role"))) {
        check.role = *roleFromKey(oneOf(node, QStringLiteral("role"), roleKeys(), tr("role")));
    } else if (!base) {
        missing(node, QStringLiteral("role"), tr("liveness, readiness, startup or info"));
    }

    if (auto value = duration(node, QStringLiteral("interval"), true))
        check.interval = *value;
    if (auto value = duration(node, QStringLiteral("timeout"), true))
        check.timeout = *value;
    if (auto value = duration(node, QStringLiteral("startPeriod"), false))
        check.startPeriod = *value;
    if (auto value = duration(node, QStringLiteral("initialDelay"), false))
        check.initialDelay = *value;
    constexpr qint64 maxThreshold = 1'000'000;
    if (auto value = integer(node, QStringLiteral("failureThreshold"), 1, maxThreshold))
        check.failureThreshold = int(*value);
    if (auto value = integer(node, QStringLiteral("successThreshold"), 1, maxThreshold))
        check.successThreshold = int(*value);
    // Kubernetes rejects other values: a liveness or startup probe succeeds on its first success.
    if (check.successThreshold != 1 && (check.role == CheckRole::Liveness || check.role == CheckRole::Startup)) {
        const QString key = node.has(QStringLiteral("successThreshold")) ? QStringLiteral("successThreshold")
                                                                         : QStringLiteral("role");
        fail(node.pathOf(key),
             tr("successThreshold must be 1 for %1 checks (a Kubernetes rule), got %2")
                 .arg(roleKey(check.role))
                 .arg(check.successThreshold));
    }

    readTarget(node, check.target, fresh);
    checkCeleryTimeout(node, check, !base && !node.has(QStringLiteral("timeout")));
    return check;
}

// Timing rules that depend on the target: the probe must be able to finish within the check's
// timeout (core/probes/CeleryPingProbe.cpp, HeartbeatProbe.cpp).
void ServiceReader::checkCeleryTimeout(const ConfigNode& node, const CheckSpec& check, bool defaultTimeout) const
{
    using namespace std::chrono_literals;
    // The key the message points at: the first of these the check gives, else the check.
    const auto anchor = [&node](std::initializer_list<const char*> keys) {
        for (const char* key : keys) {
            if (node.has(QLatin1String(key)))
                return node.pathOf(QLatin1String(key));
        }
        return node.path;
    };
    const QString defaultNote = defaultTimeout
        ? tr("; set \"timeout\" (the default is %1)").arg(formatDuration(CheckSpec{}.timeout))
        : QString();
    if (const auto* ping = std::get_if<CeleryPingTarget>(&check.target)) {
        const std::chrono::milliseconds needed = ping->replyTimeout + 1s;
        if (check.timeout >= needed)
            return;
        const QString why = ping->workers.isEmpty()
            ? tr("a broadcast ping collects replies until none has come for pingTimeout (%1), then removes its reply "
                 "queue")
                  .arg(formatDuration(ping->replyTimeout))
            : tr("when a named worker stays silent for pingTimeout (%1), the check broadcasts a ping for 1 s more to "
                 "name the workers that do answer, then removes its reply queue")
                  .arg(formatDuration(ping->replyTimeout));
        fail(anchor({"timeout", "pingTimeout"}),
             tr("the check's timeout (%1) must be at least pingTimeout + 1 s (%2): %3%4")
                 .arg(formatDuration(check.timeout), formatDuration(needed), why, defaultNote));
    }
    if (const auto* heartbeat = std::get_if<HeartbeatTarget>(&check.target)) {
        if (heartbeat->listen < check.timeout)
            return;
        fail(anchor({"listen", "timeout"}),
             tr("listen (%1) must be shorter than the check's timeout (%2): the check listens that long and must "
                "still finish in time%3")
                 .arg(formatDuration(heartbeat->listen), formatDuration(check.timeout), defaultNote));
    }
}

// Explicit "components" name services of the deployment (the profile's always do).
void ServiceReader::validateComponents(const ServiceSpec& service, const ConfigNode& node,
                                       const QStringList& names) const
{
    if (!node.has(QStringLiteral("components")))
        return;
    const ConfigNode components = object(node, QStringLiteral("components"));
    for (const QString& component : keysInFileOrder(components)) {
        const QString target = service.components.value(component);
        if (names.contains(target))
            continue;
        const QString message = tr("component %1 stands for %2, which is not a service of this deployment "
                                   "(services: %3)")
                                    .arg(quoted(component), quoted(target), names.join(QStringLiteral(", ")));
        fail(components.pathOf(component), withSuggestion(message, closestMatch(target, names)));
    }
}

void ServiceReader::validateDependencies(const QList<ServiceSpec>& services,
                                         const QHash<QString, ConfigNode>& explicitServices,
                                         const QString& deploymentPath) const
{
    QHash<QString, QString> dependsOnPaths; // service → path of an explicit dependsOn
    for (auto it = explicitServices.begin(); it != explicitServices.end(); ++it) {
        if (it->has(QStringLiteral("dependsOn")))
            dependsOnPaths.insert(it.key(), it->pathOf(QStringLiteral("dependsOn")));
    }
    QStringList names;
    for (const ServiceSpec& service : services)
        names << service.name;
    for (const ServiceSpec& service : services) {
        if (const auto node = explicitServices.constFind(service.name); node != explicitServices.constEnd())
            validateComponents(service, *node, names);
        for (qsizetype i = 0; i < service.dependsOn.size(); ++i) {
            const QString& dependency = service.dependsOn.at(i);
            if (names.contains(dependency))
                continue;
            const QString listPath = dependsOnPaths.value(service.name);
            const QString path = listPath.isEmpty() ? deploymentPath : JsonSourceMap::elementPath(listPath, i);
            const QString suggestion = closestMatch(dependency, names);
            const QString message
                = tr("service %1 depends on %2, which is not a service of this deployment "
                     "(services: %3)")
                      .arg(quoted(service.name), quoted(dependency), names.join(QStringLiteral(", ")));
            fail(path, withSuggestion(message, suggestion));
        }
    }

    // A cycle would make "which service failed first" meaningless; report the first one found.
    enum class Mark { None, Visiting, Done };
    QHash<QString, Mark> marks;
    QStringList stack;
    const std::function<void(const QString&)> visit = [&](const QString& serviceName) {
        marks[serviceName] = Mark::Visiting;
        stack << serviceName;
        const auto service = std::find_if(services.begin(), services.end(),
                                          [&serviceName](const ServiceSpec& s) { return s.name == serviceName; });
        for (const QString& dependency : service->dependsOn) {
            if (marks.value(dependency) == Mark::Visiting) {
                const QStringList cycle = stack.mid(stack.indexOf(dependency)) << dependency;
                const QString listPath = dependsOnPaths.value(serviceName);
                fail(listPath.isEmpty() ? deploymentPath : listPath,
                     tr("dependency cycle: %1").arg(cycle.join(QStringLiteral(" → "))));
            }
            if (marks.value(dependency) == Mark::None)
                visit(dependency);
        }
        stack.removeLast();
        marks[serviceName] = Mark::Done;
    };
    for (const ServiceSpec& service : services) {
        if (marks.value(service.name) == Mark::None)
            visit(service.name);
    }
}

} // namespace okh
