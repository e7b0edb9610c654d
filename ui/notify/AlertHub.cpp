#include "AlertHub.h"

#include "alert/Muting.h"
#include "engine/MonitorFeed.h"
#include "notify/DesktopNotifier.h"
#include "settings/AppSettings.h"
#include "util/Clock.h"

namespace okh {

namespace {

AlertPlanner::Options plannerOptions(const AppSettings& settings)
{
    AlertPlanner::Options options;
    options.rules = settings.notificationRules();
    return options;
}

} // namespace

AlertHub::AlertHub(const Clock& clock, Muting& muting, DesktopNotifier& notifier, AppSettings& settings,
                   QObject* parent)
    : QObject(parent)
    , m_clock(clock)
    , m_muting(muting)
    , m_notifier(notifier)
    , m_settings(settings)
    , m_planner(clock, muting, plannerOptions(settings))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &AlertHub::wake);
    // Queued: muting changes inside the planner's observe() (a recovery ends its acknowledgement).
    connect(&m_muting, &Muting::changed, this, &AlertHub::wake, Qt::QueuedConnection);
    connect(&m_settings, &AppSettings::changed, this, [this](AppSettings::Key) {
        m_planner.setRules(m_settings.notificationRules());
        m_notifier.setSound(m_settings.notificationRules().sound);
        schedule();
    });
    connect(&m_notifier, &DesktopNotifier::acknowledgeRequested, this, &AlertHub::acknowledge);
    m_notifier.setSound(m_settings.notificationRules().sound);
}

void AlertHub::apply(const MonitorBatch& batch)
{
    for (const DeploymentSnapshot& snapshot : batch.deployments)
        m_planner.observe(snapshot);
    if (!batch.deployments.isEmpty())
        wake();
}

void AlertHub::forget(const QString& deployment)
{
    m_planner.forget(deployment);
}

void AlertHub::acknowledge(const Alert& alert)
{
    const QString user = Muting::localUserName();
    for (const AlertItem& item : alert.items) {
        if (item.kind == AlertItem::Kind::Down || item.kind == AlertItem::Kind::OutOfRotation
            || item.kind == AlertItem::Kind::Flapping) {
            m_muting.acknowledge(item.deployment, item.service, user);
            for (const QString& consequence : item.explains)
                m_muting.acknowledge(item.deployment, consequence, user);
        }
    }
}

void AlertHub::wake()
{
    for (const QString& deployment : m_muting.expire())
        Q_EMIT pauseEnded(deployment);
    while (const std::optional<Alert> alert = m_planner.take()) {
        m_notifier.notify(*alert);
        Q_EMIT alerted(*alert);
    }
    schedule();
}

void AlertHub::schedule()
{
    qint64 next = m_planner.nextDueMs();
    const qint64 expiry = m_muting.nextExpiryMs();
    if (expiry != 0 && (next == 0 || expiry < next))
        next = expiry;
    if (next == 0) {
        m_timer.stop();
        return;
    }
    m_timer.start(int(std::clamp<qint64>(next - m_clock.nowMs(), 0, 24 * 3600 * 1000)));
}

} // namespace okh
