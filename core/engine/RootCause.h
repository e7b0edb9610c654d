#pragma once

#include "probes/ProbeResult.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace okh {

// Which failures are consequences of others, from the dependencies the profile declares
// (web → db, redis; celery → redis, db; flower → redis; nginx → web). When redis is down, the
// web readiness and the Celery ping fail too; an operator must be told to look at redis first.
class RootCause
{
public:
    struct Node
    {
        QString service;
        ProbeStatus status = ProbeStatus::Unknown;
        QStringList dependsOn;
    };

    // For each unhealthy service whose failure a failing dependency explains: the root causes
    // (unhealthy services, reached through dependencies, with no failing dependency of their own).
    static QHash<QString, QStringList> consequences(const QList<Node>& nodes);

    // The unhealthy services that are not a consequence of another: what to fix first, in the
    // order given.
    static QStringList roots(const QList<Node>& nodes);
};

} // namespace okh
