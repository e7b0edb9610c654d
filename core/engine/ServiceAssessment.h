#pragma once

#include "CheckStateMachine.h"

#include <QCoreApplication>
#include <QList>

namespace okh {

// What an orchestrator would conclude about a service from its checks' states: liveness
// failing → restarted, readiness failing → out of rotation, startup not passed → starting.
struct ServiceAssessment
{
    Q_DECLARE_TR_FUNCTIONS(okh::ServiceAssessment)
public:
    enum class Conclusion { Serving, Starting, WouldRestart, OutOfRotation, Unknown };

    QString service;
    QString kind;
    QStringList dependsOn;
    ProbeStatus status = ProbeStatus::Unknown;
    Conclusion conclusion = Conclusion::Unknown;
    QString conclusionText; // "would be restarted: liveness check livez is failing"
    QStringList causedBy; // failing services its evidence points at (engine/RootCause)
    bool rootCause = false; // failing, and not a consequence of another service
    QString causeReason; // "not answering on 127.0.0.1:8000", "readyz names DatabaseBackend"

    // `states` holds the state of each of the service's checks, in spec order.
    static ServiceAssessment assess(const ServiceSpec& spec, const QList<CheckStateMachine::State>& states);
    static bool startupPassed(const ServiceSpec& spec, const QList<CheckStateMachine::State>& states);
    static QString
    conclusionKey(Conclusion conclusion); // "serving", "starting", "restart", "out-of-rotation", "unknown"
};

} // namespace okh
