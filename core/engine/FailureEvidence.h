#pragma once

#include "config/DeploymentSpec.h"
#include "probes/ProbeResult.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringList>

namespace okh {

// What one failing check says about where the trouble is (docs/engine.md, "Root causes"): the
// service itself (nothing answers on its port, a stale liveness file, a failing command), or a
// dependency the service names (a django-health-check component, a broker the ping cannot
// reach, a proxy's 502), or whichever of its dependencies fail (a generic 500).
struct FailureEvidence
{
    Q_DECLARE_TR_FUNCTIONS(okh::FailureEvidence)
public:
    enum class Points {
        Itself, // the service's own failure
        NotAnswering, // the service itself: nothing answers where it should
        Components, // the services `named` stands for
        Dependencies, // whichever of its dependencies fail; itself when none does
    };

    Points points = Points::Itself;
    QStringList named; // with Components: the services the failing components stand for
    QStringList components; // with Components: the failing components' names
    QString check;
    QString reason; // "not answering on 127.0.0.1:8000", "readyz names DatabaseBackend"
    QString host; // with NotAnswering: the host that did not answer, for the deployment-level cause
    QString endpoint; // with NotAnswering: host:port, to tell a check of a dependency's own port

    // `components` maps a component name (or "broker") to the service it stands for.
    static FailureEvidence of(const CheckSpec& check, const ProbeResult& result,
                              const QHash<QString, QString>& components);
    // Whether a result says nothing answered at all (refused, unresolved, no connection, …).
    static bool notAnswering(FailureKind kind);
    // The service a django-health-check component stands for: exact name, or "Cache backend"
    // for "Cache backend: default".
    static QString serviceOf(const QString& component, const QHash<QString, QString>& components);
};

} // namespace okh
