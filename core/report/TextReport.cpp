#include "TextReport.h"

#include "DetailLabel.h"
#include "TargetDescription.h"
#include "util/Durations.h"

#include <QStringList>

namespace okh {

namespace {

QString paint(const QString& text, ProbeStatus status, bool color)
{
    if (!color)
        return text;
    const char* code = status == ProbeStatus::Healthy ? "32" : status == ProbeStatus::Unhealthy ? "31" : "33";
    return QStringLiteral("\x1b[") + QLatin1String(code) + u'm' + text + QStringLiteral("\x1b[0m");
}

QString mark(ProbeStatus status)
{
    switch (status) {
    case ProbeStatus::Healthy:
        return QStringLiteral("ok  ");
    case ProbeStatus::Unhealthy:
        return QStringLiteral("FAIL");
    case ProbeStatus::Unknown:
        break;
    }
    return QStringLiteral("??  ");
}

} // namespace

QString TextReport::latencyText(double ms)
{
    return ms < 10.0 ? QString::number(ms, 'f', 1) + QStringLiteral(" ms")
                     : QString::number(qRound(ms)) + QStringLiteral(" ms");
}

QStringList TextReport::failureFacts(const CheckOutcome& outcome)
{
    QStringList facts{tr("target: %1").arg(describeTarget(outcome.check.target))};
    for (const auto& d : outcome.result.details) {
        // Response headers are for JSON and the desktop's failure view; a report gets the
        // facts the verdict rests on.
        if (d.key.startsWith(QLatin1String("header: ")))
            continue;
        facts.append(DetailLabel::forKey(d.key) + QStringLiteral(": ") + d.value);
    }
    if (!outcome.result.hint.isEmpty())
        facts.append(tr("hint: %1").arg(outcome.result.hint));
    return facts;
}

QString TextReport::verdict(const RunReport& report)
{
    const int failing = report.countGating(ProbeStatus::Unhealthy);
    const int unknown = report.countGating(ProbeStatus::Unknown);
    QString verdict = tr("%1: %2").arg(report.deployment, statusText(report.status()).toUpper());
    QStringList counts;
    if (failing > 0)
        counts.append(tr("%n check(s) failing", nullptr, failing));
    if (unknown > 0)
        counts.append(tr("%n check(s) could not run", nullptr, unknown));
    if (counts.isEmpty())
        counts.append(tr("all %n check(s) passed", nullptr, report.gatingCount()));
    if (const int info = report.countInfoNotHealthy(); info > 0)
        counts.append(tr("%n info check(s) not healthy", nullptr, info));
    return verdict + QStringLiteral(" — ") + counts.join(QStringLiteral(", "));
}

QString TextReport::timing(const RunReport& report)
{
    return tr("%1 · %n check(s) in %2", nullptr, report.checkCount())
        .arg(report.startedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")),
             formatDuration(std::chrono::milliseconds(qRound64(report.durationMs))));
}

QString TextReport::rootCauseLine(const RootCause::Analysis& causes)
{
    QStringList named;
    for (const auto& f : causes.findings) {
        if (f.root)
            named.append(f.reason.isEmpty() ? f.service : tr("%1 (%2)").arg(f.service, f.reason));
    }
    return named.isEmpty() ? QString() : tr("root cause: %1").arg(named.join(QStringLiteral(", ")));
}

QStringList TextReport::consequenceLines(const RootCause::Analysis& causes)
{
    QStringList lines;
    for (const auto& f : causes.findings) {
        if (!f.root)
            lines.append(
                tr("%1: consequence of %2 — %3").arg(f.service, f.causedBy.join(QStringLiteral(", ")), f.reason));
    }
    return lines;
}

QString TextReport::serviceHeading(const ServiceOutcome& service, const RootCause::Analysis& causes)
{
    QString heading = tr("%1 (%2): %3").arg(service.name, service.kind, statusText(service.status()));
    if (const QStringList causedBy = causes.causedBy(service.name); !causedBy.isEmpty())
        heading += QStringLiteral(" — ")
            + tr("because %1 is failing", nullptr, int(causedBy.size())).arg(causedBy.join(QStringLiteral(", ")));
    return heading;
}

QString TextReport::render(const RunReport& report, bool color)
{
    QStringList lines;
    const ProbeStatus overall = report.status();
    lines.append(paint(verdict(report), overall, color));
    // What to fix first, with the evidence; then each consequence and what links it.
    const RootCause::Analysis causes = report.causes();
    if (!causes.deploymentCause.isEmpty())
        lines.append(paint(tr("root cause: %1").arg(causes.deploymentCause), ProbeStatus::Unhealthy, color));
    if (const QString line = rootCauseLine(causes); !line.isEmpty()) {
        lines.append(causes.deploymentCause.isEmpty() ? paint(line, ProbeStatus::Unhealthy, color)
                                                      : QStringLiteral("  ") + line);
        for (const QString& consequence : consequenceLines(causes))
            lines.append(QStringLiteral("  ") + consequence);
    }

    for (const ServiceOutcome* servicePtr : report.rootCausesFirst(causes)) {
        const ServiceOutcome& service = *servicePtr;
        lines.append(QString());
        lines.append(paint(serviceHeading(service, causes), service.status(), color));
        for (const auto& c : service.checks) {
            const ProbeResult& r = c.result;
            lines.append(QStringLiteral("  %1 %2 [%3] %4  (%5)")
                             .arg(paint(mark(r.status), r.status, color), c.check.name, roleKey(c.check.role),
                                  r.summary, latencyText(r.latencyMs)));
            if (r.status == ProbeStatus::Healthy)
                continue;
            for (const QString& fact : failureFacts(c))
                lines.append(QStringLiteral("       ") + fact);
        }
    }
    return lines.join(u'\n') + u'\n';
}

} // namespace okh
