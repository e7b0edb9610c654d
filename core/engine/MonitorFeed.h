#pragma once

#include "Snapshots.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <chrono>

namespace okh {

class MonitoringSession;

// What a viewer on another thread receives: value types only.
struct MonitorBatch
{
    QList<CheckSnapshot> checks; // changed since the previous batch, the latest state of each
    QList<DeploymentSnapshot> deployments; // whose state may have changed; `checks` left empty
    int results = 0; // how many results this batch coalesces
};

// Coalesces a session's updates for the GUI (docs/desktop.md, "Threads"): at most one batch
// per period, the latest state per check wins, plus the services, causes and reachability of
// every deployment that had an update. 500 results a second become five signals. Lives on the
// session's thread; connect to batchReady() queued from another one.
class MonitorFeed : public QObject
{
    Q_OBJECT
public:
    explicit MonitorFeed(MonitoringSession& session, std::chrono::milliseconds period = std::chrono::milliseconds(200),
                         QObject* parent = nullptr);

    // The next batch holds every check and deployment: for a viewer that has just connected.
    void requestFull();

Q_SIGNALS:
    void batchReady(const okh::MonitorBatch& batch);

private:
    void markDeployment(const QString& deployment);
    void schedule();
    void emitBatch();

    MonitoringSession& m_session;
    QTimer m_timer;
    QHash<CheckKey, CheckSnapshot> m_checks;
    QSet<QString> m_deployments;
    int m_results = 0;
    bool m_full = false;
};

} // namespace okh
