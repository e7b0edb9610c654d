#include "JsonReport.h"

#include "TargetDescription.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace okh {

QJsonObject JsonReport::toJson(const RunReport& report)
{
    const RootCause::Analysis causes = report.causes();
    QJsonArray services;
    for (const auto& service : report.services) {
        QJsonArray checks;
        for (const auto& c : service.checks) {
            QJsonObject details;
            for (const auto& d : c.result.details)
                details.insert(d.key, d.value);
            QJsonObject check{
                {QStringLiteral("name"), c.check.name},
                {QStringLiteral("type"), c.check.typeKey()},
                {QStringLiteral("role"), roleKey(c.check.role)},
                {QStringLiteral("target"), describeTarget(c.check.target)},
                {QStringLiteral("status"), statusKey(c.result.status)},
                {QStringLiteral("latencyMs"), qRound(c.result.latencyMs * 10.0) / 10.0},
                {QStringLiteral("summary"), c.result.summary},
                {QStringLiteral("details"), details},
            };
            check.insert(QStringLiteral("hint"), c.result.hint.isEmpty() ? QJsonValue() : QJsonValue(c.result.hint));
            checks.append(check);
        }
        const RootCause::Finding* finding = causes.find(service.name);
        services.append(QJsonObject{
            {QStringLiteral("name"), service.name},
            {QStringLiteral("kind"), service.kind},
            {QStringLiteral("status"), statusKey(service.status())},
            {QStringLiteral("rootCause"), finding && finding->root},
            {QStringLiteral("causedBy"), QJsonArray::fromStringList(causes.causedBy(service.name))},
            {QStringLiteral("causeReason"), finding ? QJsonValue(finding->reason) : QJsonValue()},
            {QStringLiteral("checks"), checks},
        });
    }
    return QJsonObject{
        {QStringLiteral("deployment"), report.deployment},
        {QStringLiteral("status"), statusKey(report.status())},
        {QStringLiteral("healthy"), report.gatingChecksHealthy()},
        {QStringLiteral("rootCauses"), QJsonArray::fromStringList(causes.roots())},
        {QStringLiteral("deploymentCause"),
         causes.deploymentCause.isEmpty() ? QJsonValue() : QJsonValue(causes.deploymentCause)},
        {QStringLiteral("startedAt"), report.startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("durationMs"), qRound(report.durationMs * 10.0) / 10.0},
        {QStringLiteral("services"), services},
    };
}

QByteArray JsonReport::render(const RunReport& report)
{
    return QJsonDocument(toJson(report)).toJson(QJsonDocument::Indented);
}

} // namespace okh
