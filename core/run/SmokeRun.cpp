#include "SmokeRun.h"

namespace okh {

SmokeRun::SmokeRun(DeploymentSpec deployment, ProbeEnvironment environment, std::optional<QDeadlineTimer> waitReady,
                   QObject* parent)
    : QObject(parent)
    , m_deployment(std::move(deployment))
    , m_environment(std::move(environment))
    , m_deadline(waitReady)
{
    m_pause.setSingleShot(true);
    connect(&m_pause, &QTimer::timeout, this, &SmokeRun::startRound);
}

SmokeRun::~SmokeRun() = default;

void SmokeRun::start()
{
    startRound();
}

void SmokeRun::cancel()
{
    m_pause.stop();
    m_run.reset(); // deletes its probes: nothing more arrives
}

void SmokeRun::startRound()
{
    ++m_round;
    // The previous round's run may be the sender of the signal being handled: delete it later.
    if (m_run)
        m_run.release()->deleteLater();
    m_run = std::make_unique<CheckRun>(m_deployment, m_environment);
    connect(m_run.get(), &CheckRun::progress, this,
            [this](int done, int total) { Q_EMIT progress(m_round, done, total); });
    connect(m_run.get(), &CheckRun::finished, this, &SmokeRun::onRoundFinished);
    m_run->start();
}

void SmokeRun::onRoundFinished(const RunReport& report)
{
    if (!m_deadline || report.gatingChecksHealthy() || m_deadline->hasExpired()) {
        Q_EMIT finished(report);
        return;
    }
    const int notHealthy = report.countGating(ProbeStatus::Unhealthy) + report.countGating(ProbeStatus::Unknown);
    const std::chrono::milliseconds remaining(std::max<qint64>(0, m_deadline->remainingTime()));
    Q_EMIT waiting(report, notHealthy, remaining);
    // One second between rounds, but never past the deadline.
    m_pause.start(int(std::min<qint64>(1000, remaining.count())));
}

} // namespace okh
