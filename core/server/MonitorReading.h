#pragma once

#include "engine/DeploymentMonitor.h"

#include <QHash>
#include <QList>
#include <QString>

namespace okh {

// What /metrics and /status show of one running DeploymentMonitor, read in one go on the
// monitor's thread: plain values, so the renderers are pure functions that tests can feed.
struct MonitorReading
{
    enum class Detail {
        Metrics, // snapshot, lateness and counters
        Status, // also every check's target, for people
    };

    DeploymentSnapshot snapshot;
    DeploymentMonitor::Lateness lateness;
    qint64 probesRun = 0;
    QHash<CheckKey, QString> targets; // Detail::Status only; see publicTarget()

    static MonitorReading read(const DeploymentMonitor& monitor, Detail detail);
};

// What a check talks to, safe to publish on an HTTP endpoint: describeTarget() (passwords of
// URLs are redacted), except that of a command only the program is shown — its arguments may
// hold a secret expanded from ${VAR} when the file was loaded (docs/deployment-file.md). read()
// shortens the "command" detail of exec results the same way.
QString publicTarget(const ProbeTarget& target);

} // namespace okh
