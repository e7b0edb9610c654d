#include "HtmlReport.h"

#include "TextReport.h"

namespace okh {

namespace {

QString e(const QString& text)
{
    return text.toHtmlEscaped();
}

// The same marks as the text report: a word, so the status reads without colour.
QString resultWord(ProbeStatus status)
{
    switch (status) {
    case ProbeStatus::Healthy:
        return QStringLiteral("✔ ok");
    case ProbeStatus::Unhealthy:
        return QStringLiteral("✖ FAIL");
    case ProbeStatus::Unknown:
        break;
    }
    return QStringLiteral("? unknown");
}

const char* style()
{
    return "body{font-family:sans-serif;margin:2em;color:#212121;max-width:70em}"
           "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}"
           "table{border-collapse:collapse;width:100%}th,td{border:1px solid #bdbdbd;padding:.3em .6em;"
           "text-align:left;vertical-align:top}td.latency{text-align:right;white-space:nowrap}"
           ".healthy{color:#1b5e20}.unhealthy{color:#b71c1c;font-weight:bold}.unknown{color:#616161}"
           ".cause{border-left:4px solid #b71c1c;padding-left:.8em}ul.facts{margin:.2em 0}";
}

} // namespace

QByteArray HtmlReport::render(const RunReport& report)
{
    const RootCause::Analysis causes = report.causes();
    const QString verdict = TextReport::verdict(report);
    QString out = QStringLiteral("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
        + e(tr("Smoke check %1").arg(verdict)) + QStringLiteral("</title>\n<style>") + QLatin1String(style())
        + QStringLiteral("</style>\n</head>\n<body>\n");
    out += QStringLiteral("<h1 class=\"%1\">%2</h1>\n")
               .arg(statusKey(report.status()), e(tr("Smoke check %1").arg(verdict)));
    out += QStringLiteral("<p>%1</p>\n").arg(e(TextReport::timing(report)));

    QStringList causeLines;
    if (!causes.deploymentCause.isEmpty())
        causeLines
            << QStringLiteral("<p><strong>%1</strong></p>").arg(e(tr("root cause: %1").arg(causes.deploymentCause)));
    if (const QString root = TextReport::rootCauseLine(causes); !root.isEmpty()) {
        causeLines << QStringLiteral("<p><strong>%1</strong></p>").arg(e(root));
        const QStringList consequences = TextReport::consequenceLines(causes);
        if (!consequences.isEmpty()) {
            causeLines << QStringLiteral("<ul>");
            for (const QString& consequence : consequences)
                causeLines << QStringLiteral("<li>%1</li>").arg(e(consequence));
            causeLines << QStringLiteral("</ul>");
        }
    }
    if (!causeLines.isEmpty())
        out += QStringLiteral("<div class=\"cause\">\n") + causeLines.join(u'\n') + QStringLiteral("\n</div>\n");

    for (const ServiceOutcome* service : report.rootCausesFirst(causes)) {
        out += QStringLiteral("<h2 class=\"%1\">%2</h2>\n")
                   .arg(statusKey(service->status()), e(TextReport::serviceHeading(*service, causes)));
        out += QStringLiteral("<table>\n<tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th><th>%5</th></tr>\n")
                   .arg(e(tr("Result")), e(tr("Check")), e(tr("Role")), e(tr("Summary")), e(tr("Latency")));
        for (const CheckOutcome& c : service->checks) {
            QString summary = e(c.result.summary);
            if (c.result.status != ProbeStatus::Healthy) {
                summary += QStringLiteral("<ul class=\"facts\">");
                for (const QString& fact : TextReport::failureFacts(c))
                    summary += QStringLiteral("<li>") + e(fact) + QStringLiteral("</li>");
                summary += QStringLiteral("</ul>");
            }
            out += QStringLiteral("<tr><td class=\"%1\">%2</td><td>%3</td><td>%4</td><td>%5</td>"
                                  "<td class=\"latency\">%6</td></tr>\n")
                       .arg(statusKey(c.result.status), e(resultWord(c.result.status)), e(c.check.name),
                            e(roleKey(c.check.role)), summary, e(TextReport::latencyText(c.result.latencyMs)));
        }
        out += QStringLiteral("</table>\n");
    }
    out += QStringLiteral("</body>\n</html>\n");
    return out.toUtf8();
}

} // namespace okh
