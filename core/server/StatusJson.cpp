#include "StatusJson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace okh::StatusJson {

namespace {

QJsonValue isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

double roundedMs(double ms)
{
    return qRound(ms * 10.0) / 10.0;
}

QJsonValue orNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

QJsonObject checkJson(const CheckSnapshot& c, const QString& target)
{
    const CheckStateMachine::State& s = c.state;
    QJsonObject check{
        {QStringLiteral("name"), c.key.check},
        {QStringLiteral("type"), c.type},
        {QStringLiteral("role"), roleKey(c.role)},
        {QStringLiteral("target"), target},
        {QStringLiteral("state"), statusKey(s.verdict)},
        {QStringLiteral("stateText"), c.stateText},
        {QStringLiteral("stateSince"), isoTime(s.verdictSinceMs)},
        {QStringLiteral("consecutiveFailures"), s.consecutiveFailures},
        {QStringLiteral("consecutiveSuccesses"), s.consecutiveSuccesses},
        {QStringLiteral("inStartPeriod"), s.inStartPeriod},
        {QStringLiteral("results"), s.runs},
        {QStringLiteral("retired"), c.retired},
    };
    if (s.runs == 0) {
        check.insert(QStringLiteral("latest"), QJsonValue());
        return check;
    }
    QJsonObject details;
    for (const ProbeDetail& d : s.last.details)
        details.insert(d.key, d.value);
    check.insert(QStringLiteral("latest"),
                 QJsonObject{
                     {QStringLiteral("status"), statusKey(s.last.status)},
                     {QStringLiteral("at"), isoTime(s.lastResultMs)},
                     {QStringLiteral("latencyMs"), roundedMs(s.last.latencyMs)},
                     {QStringLiteral("summary"), s.last.summary},
                     {QStringLiteral("details"), details},
                     {QStringLiteral("hint"), orNull(s.last.hint)},
                 });
    return check;
}

QJsonObject deploymentJson(const MonitorReading& reading)
{
    const DeploymentSnapshot& d = reading.snapshot;
    QJsonArray services;
    for (const ServiceAssessment& a : d.services) {
        QJsonArray checks;
        for (const CheckSnapshot& c : d.checks) {
            if (c.key.service == a.service)
                checks.append(checkJson(c, reading.targets.value(c.key)));
        }
        services.append(QJsonObject{
            {QStringLiteral("name"), a.service},
            {QStringLiteral("kind"), a.kind},
            {QStringLiteral("status"), statusKey(a.status)},
            {QStringLiteral("conclusion"), ServiceAssessment::conclusionKey(a.conclusion)},
            {QStringLiteral("conclusionText"), a.conclusionText},
            {QStringLiteral("rootCause"), d.rootCauses.contains(a.service)},
            {QStringLiteral("causedBy"), QJsonArray::fromStringList(a.causedBy)},
            {QStringLiteral("causeReason"), orNull(a.causeReason)},
            {QStringLiteral("dependsOn"), QJsonArray::fromStringList(a.dependsOn)},
            {QStringLiteral("checks"), checks},
        });
    }
    const auto& l = reading.lateness;
    return QJsonObject{
        {QStringLiteral("name"), d.name},
        {QStringLiteral("reachable"), d.reachable},
        {QStringLiteral("transportError"), orNull(d.transportError)},
        {QStringLiteral("rootCauses"), QJsonArray::fromStringList(d.rootCauses)},
        {QStringLiteral("deploymentCause"), orNull(d.deploymentCause)},
        {QStringLiteral("probesRun"), reading.probesRun},
        {QStringLiteral("schedulerLatenessMs"),
         QJsonObject{
             {QStringLiteral("samples"), l.samples},
             {QStringLiteral("p50"), roundedMs(l.p50Ms)},
             {QStringLiteral("p99"), roundedMs(l.p99Ms)},
             {QStringLiteral("max"), roundedMs(l.maxMs)},
         }},
        {QStringLiteral("services"), services},
    };
}

} // namespace

QJsonObject toJson(const QList<MonitorReading>& readings, qint64 nowMs)
{
    QJsonArray deployments;
    for (const MonitorReading& reading : readings)
        deployments.append(deploymentJson(reading));
    return QJsonObject{
        {QStringLiteral("generatedAt"), isoTime(nowMs)},
        {QStringLiteral("deployments"), deployments},
    };
}

QByteArray render(const QList<MonitorReading>& readings, qint64 nowMs)
{
    return QJsonDocument(toJson(readings, nowMs)).toJson(QJsonDocument::Indented);
}

} // namespace okh::StatusJson
