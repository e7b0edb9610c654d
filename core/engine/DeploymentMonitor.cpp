#include "DeploymentMonitor.h"

#include "RootCause.h"
#include "probes/Probe.h"
#include "store/HistoryStore.h"
#include "transport/SshTunnel.h"
#include "transport/TunnelVerdict.h"
#include "util/LogCategories.h"

#include <QHash>
#include <algorithm>

namespace okh {

namespace {
constexpr size_t LatenessSamples = 100'000;
}

struct DeploymentMonitor::Scheduled
{
    int service = 0;
    int check = 0;
    CheckSpec spec;
    CheckKey key;
    std::unique_ptr<CheckStateMachine> machine;
    QTimer timer;
    qint64 dueMs = 0; // monotonic
    qint64 lastStartMs = -1;
    bool running = false;
    bool queued = false;
    quint64 run = 0; // results of an older run (before a stop/start) are dropped
    quint64 tunnelEpoch = 0;
    std::unique_ptr<Probe> probe;
    QList<RecentResult> recent;
    ProbeResult lastProblem;
    qint64 lastProblemMs = 0;
};

DeploymentMonitor::DeploymentMonitor(DeploymentSpec spec, Options options, QObject* parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_options(options)
    , m_connection(m_spec.connection, m_options.passphrases)
{
    connect(
        &m_connection, &DeploymentConnection::reachabilityChanged, this,
        [this](bool reachable, const QString& error) { Q_EMIT reachabilityChanged(m_spec.name, reachable, error); });
    connect(&m_connection, &DeploymentConnection::hostKeyRejected, this,
            [this](const SshHostKey& key, SshFailure failure) { Q_EMIT hostKeyRejected(m_spec.name, key, failure); });
    m_monotonic.start();
    const qint64 wallStart = m_options.wallClock->nowMs();
    for (int s = 0; s < m_spec.services.size(); ++s) {
        const ServiceSpec& service = m_spec.services.at(s);
        for (int c = 0; c < service.checks.size(); ++c) {
            auto item = std::make_unique<Scheduled>();
            item->service = s;
            item->check = c;
            item->spec = service.checks.at(c);
            item->key = {m_spec.name, service.name, item->spec.name};
            item->machine = std::make_unique<CheckStateMachine>(item->spec, wallStart);
            item->timer.setSingleShot(true);
            // Lateness of probe starts matters (target p99 < 20 ms): no coarse timer slack.
            item->timer.setTimerType(Qt::PreciseTimer);
            Scheduled* raw = item.get();
            connect(&item->timer, &QTimer::timeout, this, [this, raw] { onDue(*raw); });
            m_checks.push_back(std::move(item));
        }
    }
}

DeploymentMonitor::~DeploymentMonitor()
{
    stop();
}

void DeploymentMonitor::start()
{
    if (m_started)
        return;
    m_started = true;
    m_paused = false;
    m_connection.start();
    const qint64 now = m_monotonic.elapsed();
    for (auto& s : m_checks) {
        if (s->machine->isRetired())
            continue;
        // Spread first runs over the interval by a stable hash: no thundering herd, and the same
        // check keeps its phase across restarts.
        const qint64 interval = std::max<qint64>(1, s->spec.interval.count());
        const qint64 offset = qint64(qHash(s->key) % size_t(interval));
        arm(*s, now + s->spec.initialDelay.count() + offset);
    }
}

void DeploymentMonitor::stop()
{
    m_started = false;
    for (auto& s : m_checks) {
        s->timer.stop();
        s->probe.reset();
        s->running = false;
        s->queued = false;
    }
    m_queue.clear();
    m_running = 0;
}

void DeploymentMonitor::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (paused)
        stop();
    else
        start();
    Q_EMIT servicesChanged(m_spec.name);
}

void DeploymentMonitor::runNow(const QString& service, const QString& check)
{
    if (!m_started)
        return;
    const qint64 now = m_monotonic.elapsed();
    for (auto& s : m_checks) {
        if ((!service.isEmpty() && s->key.service != service) || (!check.isEmpty() && s->key.check != check))
            continue;
        if (s->running || s->queued || s->machine->isRetired())
            continue;
        s->timer.stop();
        s->dueMs = now;
        onDue(*s);
    }
}

void DeploymentMonitor::arm(Scheduled& s, qint64 dueMs)
{
    s.dueMs = dueMs;
    s.timer.start(int(std::max<qint64>(0, dueMs - m_monotonic.elapsed())));
}

bool DeploymentMonitor::gatedByStartup(const Scheduled& s) const
{
    if (s.spec.role != CheckRole::Liveness && s.spec.role != CheckRole::Readiness)
        return false;
    for (const auto& other : m_checks) {
        if (other->service == s.service && other->spec.role == CheckRole::Startup
            && !other->machine->state().everSucceeded)
            return true;
    }
    return false;
}

void DeploymentMonitor::onDue(Scheduled& s)
{
    if (!m_started)
        return;
    if (gatedByStartup(s)) {
        // Kubernetes: liveness and readiness do not run until the startup probe has passed.
        arm(s, s.dueMs + s.spec.interval.count());
        return;
    }
    if (m_running >= m_options.maxConcurrent) {
        if (!s.queued) {
            s.queued = true;
            m_queue.push_back(&s);
        }
        return;
    }
    launch(s);
}

void DeploymentMonitor::launch(Scheduled& s)
{
    const qint64 now = m_monotonic.elapsed();
    const float late = float(std::max<qint64>(0, now - s.dueMs));
    if (m_latenessMs.size() < LatenessSamples)
        m_latenessMs.push_back(late);
    else
        m_latenessMs[m_latenessNext++ % LatenessSamples] = late;
    s.running = true;
    s.queued = false;
    s.lastStartMs = now;
    const quint64 run = ++s.run;
    ++m_running;
    ++m_probesRun;
    const SshTunnel* tunnel = m_connection.tunnel();
    s.tunnelEpoch = tunnel ? tunnel->epochNow() : 0;
    if (tunnel && !tunnel->connectedNow()) {
        // Nothing can be probed: say so at once instead of letting the probe time out.
        QMetaObject::invokeMethod(
            this, [this, sp = &s, run, tunnel] { onResult(*sp, run, TunnelVerdict::unreachable(*tunnel, {})); },
            Qt::QueuedConnection);
        return;
    }
    s.probe = createProbe(s.spec, m_connection.environment());
    Scheduled* raw = &s;
    connect(s.probe.get(), &Probe::finished, this, [this, raw, run](const ProbeResult& r) { onResult(*raw, run, r); });
    s.probe->start();
}

void DeploymentMonitor::onResult(Scheduled& s, quint64 run, ProbeResult result)
{
    if (!s.running || run != s.run)
        return;
    if (s.probe) {
        s.probe->disconnect(this);
        s.probe.release()->deleteLater(); // we are inside its signal
    }
    s.running = false;
    --m_running;
    if (const SshTunnel* tunnel = m_connection.tunnel())
        result = TunnelVerdict::judge(*tunnel, s.spec.target, s.tunnelEpoch, std::move(result));

    const qint64 wallNow = m_options.wallClock->nowMs();
    const ProbeStatus before = s.machine->state().verdict;
    const bool changed = s.machine->apply(result, wallNow);
    if (m_options.recentResults > 0) {
        if (s.recent.size() >= m_options.recentResults)
            s.recent.removeFirst();
        s.recent.append({wallNow, result.status, float(result.latencyMs)});
    }
    if (result.status != ProbeStatus::Healthy) {
        s.lastProblem = result;
        s.lastProblemMs = wallNow;
    }
    if (m_options.history) {
        StoredResult stored;
        stored.check = s.key;
        stored.timestampMs = wallNow;
        stored.result = result;
        stored.state = s.machine->state().verdict;
        m_options.history->record(stored);
    }
    if (m_started && !s.machine->isRetired()) {
        // Start to start, like kubelet's ticker. The timer is re-armed only here, so runs never
        // overlap: one that overran its interval is followed at once by the next.
        arm(s, std::max(s.lastStartMs + s.spec.interval.count(), m_monotonic.elapsed()));
    }
    Q_EMIT checkUpdated(snapshotOf(s)); // with its next due time
    if (changed) {
        qCInfo(lcEngine) << s.key.deployment << s.key.service << s.key.check << "→"
                         << statusKey(s.machine->state().verdict);
        Q_EMIT verdictChanged(s.key, before, s.machine->state().verdict, result);
        Q_EMIT servicesChanged(m_spec.name);
    }

    drainQueue();
}

void DeploymentMonitor::drainQueue()
{
    while (m_running < m_options.maxConcurrent && !m_queue.empty()) {
        Scheduled* next = m_queue.front();
        m_queue.pop_front();
        if (next->queued && !next->running)
            launch(*next);
    }
}

CheckSnapshot DeploymentMonitor::snapshotOf(const Scheduled& s) const
{
    CheckSnapshot c;
    c.key = s.key;
    c.role = s.spec.role;
    c.type = s.spec.typeKey();
    c.state = s.machine->state();
    c.stateText = s.machine->describe();
    c.retired = s.machine->isRetired();
    c.running = s.running;
    if (s.timer.isActive())
        c.nextDueMs = m_options.wallClock->nowMs() + std::max<qint64>(0, s.dueMs - m_monotonic.elapsed());
    c.recent = s.recent;
    c.lastProblem = s.lastProblem;
    c.lastProblemMs = s.lastProblemMs;
    return c;
}

QList<ServiceAssessment> DeploymentMonitor::assessServices(QString* deploymentCause) const
{
    QList<ServiceAssessment> services;
    // For causes, a service whose latest gating result failed counts as failing even before its
    // threshold flips it: when redis drops, web's readyz may cross its threshold first, and the
    // operator must still be pointed at redis.
    QList<RootCause::Service> evidence;
    for (int i = 0; i < m_spec.services.size(); ++i) {
        const ServiceSpec& spec = m_spec.services.at(i);
        QList<CheckStateMachine::State> states;
        RootCause::Service e{spec.name, spec.dependsOn, spec.components, false, false, {}};
        for (const auto& s : m_checks) {
            if (s->service != i)
                continue;
            states.append(s->machine->state());
            if (s->machine->state().runs > 0)
                e.add(s->spec, s->machine->state().last);
        }
        services.append(ServiceAssessment::assess(spec, states));
        evidence.append(e);
    }
    const RootCause::Analysis causes = RootCause::analyse(evidence);
    for (auto& a : services) {
        if (a.status != ProbeStatus::Unhealthy)
            continue;
        a.causedBy = causes.causedBy(a.service);
        a.rootCause = a.causedBy.isEmpty();
        a.causeReason = causes.reason(a.service);
    }
    *deploymentCause = causes.deploymentCause;
    // Roots first: the first line of any report names what to fix.
    std::stable_sort(services.begin(), services.end(), [](const ServiceAssessment& a, const ServiceAssessment& b) {
        const auto rank = [](const ServiceAssessment& x) {
            if (x.status == ProbeStatus::Unhealthy)
                return x.rootCause ? 0 : 1;
            return x.status == ProbeStatus::Unknown ? 2 : 3;
        };
        return rank(a) < rank(b);
    });
    return services;
}

DeploymentSnapshot DeploymentMonitor::snapshot() const
{
    DeploymentSnapshot d = summary();
    d.checks = checkSnapshots();
    return d;
}

QList<CheckSnapshot> DeploymentMonitor::checkSnapshots() const
{
    QList<CheckSnapshot> checks;
    checks.reserve(qsizetype(m_checks.size()));
    for (const auto& s : m_checks)
        checks.append(snapshotOf(*s));
    return checks;
}

DeploymentSnapshot DeploymentMonitor::summary() const
{
    DeploymentSnapshot d;
    d.name = m_spec.name;
    d.paused = m_paused;
    d.reachable = m_connection.isUp();
    d.transportError = m_connection.lastError();
    d.services = assessServices(&d.deploymentCause);
    for (const auto& a : d.services) {
        if (a.rootCause)
            d.rootCauses.append(a.service);
    }
    return d;
}

DeploymentMonitor::Lateness DeploymentMonitor::lateness() const
{
    Lateness l;
    if (m_latenessMs.empty())
        return l;
    std::vector<float> sorted = m_latenessMs;
    std::sort(sorted.begin(), sorted.end());
    l.samples = qint64(sorted.size());
    l.p50Ms = sorted[sorted.size() / 2];
    l.p99Ms = sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)];
    l.maxMs = sorted.back();
    return l;
}

} // namespace okh
