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

// What happened on the wire when a check failed, for root causes (engine/FailureEvidence): the
// probe knows whether anything answered; the engine decides what that means across services.
enum class FailureKind {
    None,
    Refused, // nothing listens on the port
    Unresolved, // the host name does not resolve
    NoConnection, // the connection did not complete in time
    ClosedEarly, // the peer accepted, then hung up without answering
    NoAnswer, // connected (request sent) but no answer in time
    Answered, // the peer answered and reported a failure (HTTP status, Redis error, …)
    FileMissing, // a liveness or readiness file is missing or not a regular file
    FileStale, // a liveness file is older than its max age
    CommandFailed, // an exec check's command failed
    NotRunning, // the container an exec or file check runs in is not running
    NoReply, // the broker works, the Celery worker did not answer or send heartbeats
    Other,
};

struct ProbeResult
{
    ProbeStatus status = ProbeStatus::Unknown;
    double latencyMs = 0.0;
    QString summary;
    QList<ProbeDetail> details;
    QString hint;
    FailureKind failure = FailureKind::None;

    QString detail(const QString& key) const;
    static ProbeResult healthy(const QString& summary);
    static ProbeResult unhealthy(const QString& summary, const QString& hint = {});
    static ProbeResult unknown(const QString& summary, const QString& hint = {});
    ProbeResult& because(FailureKind kind)
    {
        failure = kind;
        return *this;
    }
};

// The worse of two statuses: unhealthy beats unknown beats healthy (reports, the tray).
ProbeStatus worseStatus(ProbeStatus a, ProbeStatus b);

// Stable machine names used in JSON, JUnit and metrics ("healthy", "unhealthy", "unknown").
QString statusKey(ProbeStatus status);
// Translated name for people.
QString statusText(ProbeStatus status);

} // namespace okh
