#pragma once

#include "FailureEvidence.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace okh {

// Which failing services are root causes and which are consequences of them, from evidence
// (docs/engine.md, "Root causes"): a service is a consequence of a failing dependency only
// when its own failures point there (a component it names, a broker its ping cannot reach, a
// proxy's 502 or a generic 500 while a dependency fails). A service that is down itself (nothing
// answers on its port, a stale liveness file) is a root cause whatever its dependencies do.
class RootCause
{
    Q_DECLARE_TR_FUNCTIONS(okh::RootCause)
public:
    // One service's latest gating results, as the analysis needs them.
    struct Service
    {
        QString name;
        QStringList dependsOn;
        QHash<QString, QString> components; // ServiceSpec::components
        bool failing = false; // a latest gating result is unhealthy
        bool answered = false; // a latest gating result came from something that answered
        QList<FailureEvidence> evidence; // of the unhealthy results, and of names that do not resolve

        // Adds a gating check's latest result.
        void add(const CheckSpec& check, const ProbeResult& result);
    };

    struct Finding
    {
        QString service;
        bool root = true;
        QStringList causedBy; // the failing services its evidence points at (consequences only)
        QStringList roots; // the root causes it leads back to (consequences only)
        QString reason; // "not answering on 127.0.0.1:8000", "readyz names DatabaseBackend"
    };

    struct Analysis
    {
        QList<Finding> findings; // one per failing service, in the order given
        // Set when one cause explains every service better: nothing answers anywhere.
        QString deploymentCause;

        QStringList roots() const;
        const Finding* find(const QString& service) const;
        QStringList causedBy(const QString& service) const;
        QString reason(const QString& service) const;
    };

    static Analysis analyse(const QList<Service>& services);
};

} // namespace okh
