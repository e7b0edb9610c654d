#include "MonitorReading.h"

#include "report/TargetDescription.h"

namespace okh {

namespace {

QString publicCommand(const QStringList& command)
{
    QString text = command.value(0);
    if (command.size() > 1)
        text += QStringLiteral(" …");
    return text;
}

} // namespace

QString publicTarget(const ProbeTarget& target)
{
    if (const auto* exec = std::get_if<ExecTarget>(&target))
        return exec->context.describe() + QStringLiteral(": ") + publicCommand(exec->command);
    return describeTarget(target);
}

MonitorReading MonitorReading::read(const DeploymentMonitor& monitor, Detail detail)
{
    MonitorReading r;
    r.snapshot = monitor.snapshot();
    r.lateness = monitor.lateness();
    r.probesRun = monitor.probesRun();
    if (detail == Detail::Metrics)
        return r;
    const DeploymentSpec& spec = monitor.spec();
    QHash<CheckKey, const CheckSpec*> specs;
    for (const ServiceSpec& service : spec.services) {
        for (const CheckSpec& check : service.checks) {
            const CheckKey key{spec.name, service.name, check.name};
            r.targets.insert(key, publicTarget(check.target));
            specs.insert(key, &check);
        }
    }
    // ExecProbe already shows only the program; a result from an older probe or another path
    // may not, so keep only the program here too (the arguments may hold ${VAR} secrets).
    for (CheckSnapshot& check : r.snapshot.checks) {
        const CheckSpec* checkSpec = specs.value(check.key);
        const auto* exec = checkSpec ? std::get_if<ExecTarget>(&checkSpec->target) : nullptr;
        if (!exec)
            continue;
        for (ProbeDetail& d : check.state.last.details) {
            if (d.key == QLatin1String("command"))
                d.value = publicCommand(exec->command);
        }
    }
    return r;
}

} // namespace okh
