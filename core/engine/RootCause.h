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
//
// A service whose own port refuses connections is down on its own, whatever its dependencies
// do: web not listening while db is down is two things to fix, not one. A refusal at an
// endpoint a dependency's checks also use (the Celery ping at the broker's port) is that
// dependency's, not the service's.
class RootCause
{
public:
    struct Node
    {
        QString service;
        ProbeStatus status = ProbeStatus::Unknown;
        QStringList dependsOn;
        QStringList endpoints; // "host:port" of every check of the service that connects somewhere
        QStringList refused; // those of its failing gating checks that refused the connection
    };

    // For each unhealthy service whose failure a failing dependency explains: the root causes
    // (unhealthy services, reached through dependencies, with no failing dependency of their own,
    // or down on their own).
    static QHash<QString, QStringList> consequences(const QList<Node>& nodes);

    // The unhealthy services that are not a consequence of another: what to fix first, in the
    // order given.
    static QStringList roots(const QList<Node>& nodes);
};

} // namespace okh
