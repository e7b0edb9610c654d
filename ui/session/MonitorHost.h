#pragma once

#include "config/DeploymentSpec.h"
#include "engine/MonitorFeed.h"

#include <QObject>
#include <QPointer>

class QThread;

namespace okh {

class MonitoringSession;

// The desktop app's monitoring thread (docs/desktop.md, "Threads"): the session (monitors,
// SSH tunnels, history) and its feed live there; the GUI thread gets coalesced batches by
// queued signals and sends controls the same way. Nothing here waits: shutdown() stops the
// monitors, lets the history flush, deletes them on their thread and reports finished().
class MonitorHost : public QObject
{
    Q_OBJECT
public:
    explicit MonitorHost(QObject* parent = nullptr);
    // Only a fallback for a host that was not shut down: waits for the thread.
    ~MonitorHost() override;

    void start(const QList<DeploymentSpec>& deployments, const QString& historyPath);
    void runNow(const QString& deployment, const QString& service = {}, const QString& check = {});
    void setPaused(const QString& deployment, bool paused);
    void shutdown();
    bool isRunning() const { return m_thread != nullptr; }

Q_SIGNALS:
    void started();
    void failed(const QString& message);
    void batchReady(const okh::MonitorBatch& batch);
    void finished();

private:
    void deleteOnThread();

    QThread* m_thread = nullptr;
    MonitoringSession* m_session = nullptr; // lives on m_thread
    MonitorFeed* m_feed = nullptr; // lives on m_thread
    bool m_shuttingDown = false;
};

} // namespace okh
