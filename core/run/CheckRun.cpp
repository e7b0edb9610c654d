#include "CheckRun.h"

#include "probes/ProbeFactory.h"
#include "transport/SshTunnel.h"
#include "transport/TunnelVerdict.h"

namespace okh {

CheckRun::CheckRun(DeploymentSpec deployment, ProbeEnvironment environment, QObject* parent)
    : QObject(parent)
    , m_deployment(std::move(deployment))
    , m_environment(std::move(environment))
{ }

CheckRun::~CheckRun() = default;

void CheckRun::start()
{
    m_report = {};
    m_report.deployment = m_deployment.name;
    m_report.startedAt = QDateTime::currentDateTimeUtc();
    m_clock.start();
    m_probes.clear();
    for (int s = 0; s < m_deployment.services.size(); ++s) {
        const ServiceSpec& service = m_deployment.services.at(s);
        ServiceOutcome outcome{service.name, service.kind, service.dependsOn, service.components, {}};
        for (int c = 0; c < service.checks.size(); ++c) {
            outcome.checks.append({service.checks.at(c), {}});
            auto probe = createProbe(service.checks.at(c), m_environment);
            connect(probe.get(), &Probe::finished, this,
                    [this, s, c](const ProbeResult& result) { onProbeFinished(s, c, result); });
            m_probes.push_back(std::move(probe));
        }
        m_report.services.append(outcome);
    }
    m_pending = int(m_probes.size());
    if (m_environment.tunnel && m_environment.tunnel->state() != SshTunnel::State::Up) {
        // Nothing can be checked; say so for every check instead of letting each time out.
        for (auto& service : m_report.services) {
            for (auto& c : service.checks)
                c.result = TunnelVerdict::unreachable(*m_environment.tunnel, {});
        }
        m_probes.clear();
        m_pending = 0;
        m_report.durationMs = double(m_clock.nsecsElapsed()) / 1e6;
        Q_EMIT finished(m_report);
        return;
    }
    m_tunnelGeneration = m_environment.tunnel ? m_environment.tunnel->epochNow() : 0;
    if (m_pending == 0) {
        Q_EMIT finished(m_report);
        return;
    }
    // Start only after every probe is wired: a probe may finish synchronously (bad parameters).
    for (auto& p : m_probes)
        p->start();
}

void CheckRun::onProbeFinished(int service, int check, ProbeResult result)
{
    if (m_environment.tunnel)
        result = TunnelVerdict::judge(*m_environment.tunnel, m_report.services[service].checks[check].check.target,
                                      m_tunnelGeneration, std::move(result));
    m_report.services[service].checks[check].result = result;
    --m_pending;
    Q_EMIT progress(int(m_probes.size()) - m_pending, int(m_probes.size()));
    if (m_pending == 0) {
        m_report.durationMs = double(m_clock.nsecsElapsed()) / 1e6;
        Q_EMIT finished(m_report);
    }
}

} // namespace okh
