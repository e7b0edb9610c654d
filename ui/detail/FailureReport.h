#pragma once

#include "config/DeploymentSpec.h"
#include "engine/Snapshots.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace okh {

// The check a failure view is about, with what the dashboard knows around it.
struct FailureSubject
{
    QString deployment;
    QString service;
    QString serviceKind;
    CheckSpec check;
    CheckSnapshot snapshot;
    bool hasSnapshot = false;
    QString cause; // the service's "root cause: …" or "consequence of redis: …"; empty: none
    bool reachable = true; // the deployment's SSH connection
    QString transportError;
};

// Everything a check's probe captured, in the order an operator reads it: what failed and
// why, the request, the response, django-health-check's components, a command's exit code
// and output, the rest of the details, the hint. One structure feeds the failure view (HTML)
// and "Copy as Markdown" for a ticket, so both always say the same.
class FailureReport
{
    Q_DECLARE_TR_FUNCTIONS(okh::FailureReport)
public:
    enum class Shown {
        Current, // the check's latest result is not healthy
        Earlier, // healthy now; the last problem since the monitor started
        NoProblem, // nothing failed since the monitor started: the latest result
        NoResult, // no result yet
    };
    struct Row
    {
        QString label;
        QString value;
        bool code = false; // a URL, command or header value: shown as code
        bool failing = false; // a failing django-health-check component
    };
    struct Section
    {
        QString title; // empty: the report's head
        QList<Row> rows;
        bool table = false; // components: a two-column table
        QString block; // preformatted text (body excerpt, command output)
        QString text; // a paragraph (the hint)
    };

    static FailureReport build(const FailureSubject& subject);

    QString title; // "web · readyz: unhealthy"
    QString subtitle; // "HTTP 500 Internal Server Error: DatabaseBackend (unavailable) failing"
    ProbeStatus status = ProbeStatus::Unknown;
    Shown shown = Shown::NoResult;
    QList<Section> sections;

    QString toMarkdown() const;
    QString toHtml() const;

    // "2026-12-06 10:00:00 UTC": tickets are read in other time zones.
    static QString timeText(qint64 msSinceEpoch);
    static QString failureKindText(FailureKind kind);
};

} // namespace okh
