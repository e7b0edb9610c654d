#include "MarkdownReport.h"

#include "TextReport.h"

namespace okh {

namespace {

// A table cell or list item on one line: pipes escaped, line breaks as spaces.
QString cell(QString text)
{
    text.replace(u'\\', QLatin1String("\\\\"));
    text.replace(u'|', QLatin1String("\\|"));
    text.replace(u'\n', u' ');
    return text;
}

QString resultWord(ProbeStatus status)
{
    switch (status) {
    case ProbeStatus::Healthy:
        return QStringLiteral("✅ ok");
    case ProbeStatus::Unhealthy:
        return QStringLiteral("❌ FAIL");
    case ProbeStatus::Unknown:
        break;
    }
    return QStringLiteral("❔ unknown");
}

} // namespace

QByteArray MarkdownReport::render(const RunReport& report)
{
    QStringList lines;
    lines << QStringLiteral("# ") + tr("Smoke check %1").arg(cell(TextReport::verdict(report))) << QString();
    lines << TextReport::timing(report) << QString();

    const RootCause::Analysis causes = report.causes();
    if (!causes.deploymentCause.isEmpty())
        lines << QStringLiteral("**") + cell(tr("root cause: %1").arg(causes.deploymentCause)) + QStringLiteral("**")
              << QString();
    if (const QString root = TextReport::rootCauseLine(causes); !root.isEmpty()) {
        lines << QStringLiteral("**") + cell(root) + QStringLiteral("**");
        for (const QString& consequence : TextReport::consequenceLines(causes))
            lines << QStringLiteral("- ") + cell(consequence);
        lines << QString();
    }

    for (const ServiceOutcome* service : report.rootCausesFirst(causes)) {
        lines << QStringLiteral("## ") + cell(TextReport::serviceHeading(*service, causes)) << QString();
        lines << QStringLiteral("| ") + tr("Result") + QStringLiteral(" | ") + tr("Check") + QStringLiteral(" | ")
                + tr("Role") + QStringLiteral(" | ") + tr("Summary") + QStringLiteral(" | ") + tr("Latency")
                + QStringLiteral(" |")
              << QStringLiteral("|---|---|---|---|---:|");
        QStringList failures;
        for (const CheckOutcome& c : service->checks) {
            lines << QStringLiteral("| %1 | %2 | %3 | %4 | %5 |")
                         .arg(resultWord(c.result.status), cell(c.check.name), roleKey(c.check.role),
                              cell(c.result.summary), TextReport::latencyText(c.result.latencyMs));
            if (c.result.status == ProbeStatus::Healthy)
                continue;
            failures << QStringLiteral("- **") + cell(c.check.name) + QStringLiteral("**");
            for (const QString& fact : TextReport::failureFacts(c))
                failures << QStringLiteral("  - ") + cell(fact);
        }
        lines << QString();
        if (!failures.isEmpty())
            lines << failures << QString();
    }
    return lines.join(u'\n').toUtf8();
}

} // namespace okh
