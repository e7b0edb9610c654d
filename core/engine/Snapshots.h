#pragma once

#include "CheckStateMachine.h"
#include "ServiceAssessment.h"
#include "store/HistoryTypes.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace okh {

// One result as sparklines and the failure view need it, kept in memory per check.
struct RecentResult
{
    qint64 atMs = 0; // wall clock
    ProbeStatus status = ProbeStatus::Unknown;
    float latencyMs = 0;
};

// One check as the GUI, /status and /metrics see it.
struct CheckSnapshot
{
    CheckKey key;
    CheckRole role = CheckRole::Liveness;
    QString type;
    CheckStateMachine::State state;
    QString stateText; // "failing 2/3"
    bool retired = false; // a startup check that passed: not run again (kubelet)
    bool running = false; // a probe is out
    qint64 nextDueMs = 0; // wall clock; 0 while running, retired, paused or stopped
    QList<RecentResult> recent; // oldest first, at most DeploymentMonitor::Options::recentResults
    ProbeResult lastProblem; // the latest result that was not healthy, for the failure view
    qint64 lastProblemMs = 0; // 0: none since the monitor started
};

struct DeploymentSnapshot
{
    QString name;
    bool reachable = true; // false: its SSH connection is down
    QString transportError;
    QList<ServiceAssessment> services; // roots first when something fails
    QList<CheckSnapshot> checks;
    QStringList rootCauses;
    QString deploymentCause; // "nothing answers on 127.0.0.1: …" when that explains every failure
    bool paused = false;
};

} // namespace okh
