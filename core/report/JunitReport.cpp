#include "JunitReport.h"

#include "TargetDescription.h"

#include <QXmlStreamWriter>

namespace okh {

namespace {

QString seconds(double ms)
{
    return QString::number(ms / 1000.0, 'f', 3);
}

// The service's place in the root-cause analysis, first in a failure's text: what a CI job's
// reader acts on (docs/engine.md, "Roots and consequences").
QString causeText(const RootCause::Analysis& causes, const QString& service)
{
    QString text;
    if (!causes.deploymentCause.isEmpty())
        text += QStringLiteral("deployment: ") + causes.deploymentCause + u'\n';
    if (const RootCause::Finding* f = causes.find(service)) {
        if (f->root)
            text += QStringLiteral("root cause: ") + f->reason;
        else
            text += QStringLiteral("consequence of ") + f->causedBy.join(QStringLiteral(", ")) + QStringLiteral(": ")
                + f->reason;
        text += u'\n';
    }
    return text;
}

QString detailText(const CheckOutcome& c)
{
    QString text = QStringLiteral("target: ") + describeTarget(c.check.target) + u'\n';
    for (const auto& d : c.result.details)
        text += d.key + QStringLiteral(": ") + d.value + u'\n';
    if (!c.result.hint.isEmpty())
        text += QStringLiteral("hint: ") + c.result.hint + u'\n';
    return text;
}

} // namespace

QByteArray JunitReport::render(const RunReport& report)
{
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(QStringLiteral("testsuites"));
    xml.writeAttribute(QStringLiteral("name"), QStringLiteral("okhealth: ") + report.deployment);
    xml.writeAttribute(QStringLiteral("tests"), QString::number(report.checkCount()));
    xml.writeAttribute(QStringLiteral("failures"), QString::number(report.countGating(ProbeStatus::Unhealthy)));
    xml.writeAttribute(QStringLiteral("errors"), QString::number(report.countGating(ProbeStatus::Unknown)));
    xml.writeAttribute(QStringLiteral("time"), seconds(report.durationMs));
    const RootCause::Analysis causes = report.causes();
    for (const auto& service : report.services) {
        int failures = 0;
        int errors = 0;
        double totalMs = 0;
        for (const auto& c : service.checks) {
            totalMs += c.result.latencyMs;
            if (!isGating(c.check.role))
                continue;
            failures += c.result.status == ProbeStatus::Unhealthy ? 1 : 0;
            errors += c.result.status == ProbeStatus::Unknown ? 1 : 0;
        }
        xml.writeStartElement(QStringLiteral("testsuite"));
        xml.writeAttribute(QStringLiteral("name"), report.deployment + u'.' + service.name);
        xml.writeAttribute(QStringLiteral("tests"), QString::number(service.checks.size()));
        xml.writeAttribute(QStringLiteral("failures"), QString::number(failures));
        xml.writeAttribute(QStringLiteral("errors"), QString::number(errors));
        xml.writeAttribute(QStringLiteral("skipped"), QStringLiteral("0"));
        xml.writeAttribute(QStringLiteral("time"), seconds(totalMs));
        xml.writeAttribute(QStringLiteral("timestamp"), report.startedAt.toString(Qt::ISODate));
        for (const auto& c : service.checks) {
            xml.writeStartElement(QStringLiteral("testcase"));
            xml.writeAttribute(QStringLiteral("classname"), report.deployment + u'.' + service.name);
            xml.writeAttribute(QStringLiteral("name"),
                               c.check.name + QStringLiteral(" (") + roleKey(c.check.role) + u')');
            xml.writeAttribute(QStringLiteral("time"), seconds(c.result.latencyMs));
            const bool gating = isGating(c.check.role);
            if (gating && c.result.status == ProbeStatus::Unhealthy) {
                xml.writeStartElement(QStringLiteral("failure"));
                xml.writeAttribute(QStringLiteral("type"), QStringLiteral("unhealthy"));
                xml.writeAttribute(QStringLiteral("message"), c.result.summary);
                xml.writeCharacters(causeText(causes, service.name) + detailText(c));
                xml.writeEndElement();
            } else if (gating && c.result.status == ProbeStatus::Unknown) {
                xml.writeStartElement(QStringLiteral("error"));
                xml.writeAttribute(QStringLiteral("type"), QStringLiteral("unknown"));
                xml.writeAttribute(QStringLiteral("message"), c.result.summary);
                xml.writeCharacters(detailText(c));
                xml.writeEndElement();
            }
            xml.writeTextElement(QStringLiteral("system-out"),
                                 statusKey(c.result.status) + QStringLiteral(": ") + c.result.summary + u'\n'
                                     + detailText(c));
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndDocument();
    return out;
}

} // namespace okh
