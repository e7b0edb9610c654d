#pragma once

#include "alert/AlertPlanner.h"

#include <QObject>
#include <QTimer>

namespace okh {

class AppSettings;
class DesktopNotifier;
class Muting;
struct MonitorBatch;

// Between the monitor's batches and the desktop's notifications (docs/desktop.md,
// "Notifications"): feeds every deployment snapshot to the AlertPlanner, wakes when the planner
// or a maintenance window or pause is due (one timer, no polling), hands alerts to the
// notifier and the notifier's Acknowledge back to Muting (as the local user). Rules follow the
// settings as they change.
class AlertHub : public QObject
{
    Q_OBJECT
public:
    AlertHub(const Clock& clock, Muting& muting, DesktopNotifier& notifier, AppSettings& settings,
             QObject* parent = nullptr);

    void apply(const MonitorBatch& batch);
    void forget(const QString& deployment);
    // Acknowledges what the alert says is failing.
    void acknowledge(const Alert& alert);
    const AlertPlanner& planner() const { return m_planner; }

Q_SIGNALS:
    void alerted(const okh::Alert& alert);
    // A pause ran out: the deployment's checks must run again.
    void pauseEnded(const QString& deployment);

private:
    void wake();
    void schedule();

    const Clock& m_clock;
    Muting& m_muting;
    DesktopNotifier& m_notifier;
    AppSettings& m_settings;
    AlertPlanner m_planner;
    QTimer m_timer;
};

} // namespace okh
