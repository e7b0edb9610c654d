#pragma once

#include <QList>
#include <QString>

namespace okh {

// Healthy/Unhealthy judge the service; Unknown means the monitor itself could not run the check
// (bad parameters, its own transport trouble) and must never count against the service.
enum class ProbeStatus { Healthy, Unhealthy, Unknown };

struct ProbeDetail
{
    QString key;
    QString value;
    friend bool operator==(const ProbeDetail&, const ProbeDetail&) = default;
};

struct ProbeResult
{
    ProbeStatus status = ProbeStatus::Unknown;
    double latencyMs = 0.0;
    QString summary;
    QList<ProbeDetail> details;
    QString hint;

    QString detail(const QString& key) const;
    static ProbeResult healthy(const QString& summary);
    static ProbeResult unhealthy(const QString& summary, const QString& hint = {});
    static ProbeResult unknown(const QString& summary, const QString& hint = {});
};

// Stable machine names used in JSON, JUnit and metrics ("healthy", "unhealthy", "unknown").
QString statusKey(ProbeStatus status);
// Translated name for people.
QString statusText(ProbeStatus status);

} // namespace okh
