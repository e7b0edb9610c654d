#include "MonitorFeed.h"

#include "MonitoringSession.h"

namespace okh {

MonitorFeed::MonitorFeed(MonitoringSession& session, std::chrono::milliseconds period, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_timer(this) // a child: moveToThread() takes it along
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(period);
    connect(&m_timer, &QTimer::timeout, this, &MonitorFeed::emitBatch);
    connect(&session, &MonitoringSession::checkUpdated, this, [this](const CheckSnapshot& check) {
        m_checks.insert(check.key, check);
        m_deployments.insert(check.key.deployment);
        ++m_results;
        schedule();
    });
    connect(&session, &MonitoringSession::servicesChanged, this, &MonitorFeed::markDeployment);
    connect(&session, &MonitoringSession::reachabilityChanged, this,
            [this](const QString& deployment) { markDeployment(deployment); });
    connect(&session, &MonitoringSession::started, this, &MonitorFeed::requestFull);
}

void MonitorFeed::requestFull()
{
    m_full = true;
    schedule();
}

void MonitorFeed::markDeployment(const QString& deployment)
{
    m_deployments.insert(deployment);
    schedule();
}

void MonitorFeed::schedule()
{
    // The first update after a quiet spell waits one period too: that is what bounds the rate.
    if (!m_timer.isActive())
        m_timer.start();
}

void MonitorFeed::emitBatch()
{
    MonitorBatch batch;
    batch.results = m_results;
    if (m_full) {
        for (const auto& monitor : m_session.monitors()) {
            batch.checks.append(monitor->checkSnapshots());
            batch.deployments.append(monitor->summary());
        }
    } else {
        batch.checks = m_checks.values();
        for (const QString& name : std::as_const(m_deployments)) {
            if (const DeploymentMonitor* monitor = m_session.monitor(name))
                batch.deployments.append(monitor->summary());
        }
    }
    m_checks.clear();
    m_deployments.clear();
    m_results = 0;
    m_full = false;
    if (!batch.checks.isEmpty() || !batch.deployments.isEmpty())
        Q_EMIT batchReady(batch);
}

} // namespace okh
