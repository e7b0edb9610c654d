#pragma once

#include "NotificationRules.h"
#include "engine/Snapshots.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>
#include <chrono>
#include <optional>

namespace okh {

class Clock;
class Muting;

// One service's line in a notification.
struct AlertItem
{
    enum class Kind { Down, OutOfRotation, Unknown, Recovered, Flapping };
    QString deployment;
    QString service;
    Kind kind = Kind::Down;
    QStringList explains; // failing services of the same deployment this one's failure explains
    QString reason; // "not answering on 127.0.0.1:6379"
    int changes = 0; // Flapping: status changes within the flapping window
};

// One desktop notification: root causes first.
struct Alert
{
    QList<AlertItem> items;
    QString title; // "redis is down — explains web, celery"
    QString body;
    bool problem = false; // something is (still) wrong, not only recoveries
};

// Decides which service transitions become notifications (docs/desktop.md, "Notifications"):
// only what the rules ask for; at most one per service per throttle period (a later change
// waits for the period's end and then tells the state of that moment, nothing is lost); what
// changes within the group window goes out as one notification; a service that keeps flipping
// is told once as flapping and then only when it has settled; acknowledged services and muted
// deployments stay quiet (and are told after, if still wrong). A change back before it was told
// is not told at all. Time comes from the injected clock; take() is called by a timer at
// nextDueMs() and whenever a batch came in or muting changed.
class AlertPlanner
{
    Q_DECLARE_TR_FUNCTIONS(okh::AlertPlanner)
public:
    struct Options
    {
        NotificationRules rules;
        std::chrono::milliseconds groupWindow{3000};
        // Flapping: this many status changes within the window; it ends after a quiet spell.
        int flapChanges = 4;
        std::chrono::milliseconds flapWindow{std::chrono::minutes(10)};
        std::chrono::milliseconds flapQuiet{std::chrono::minutes(5)};
    };

    AlertPlanner(const Clock& clock, Muting& muting, Options options);

    void setRules(const NotificationRules& rules);
    const NotificationRules& rules() const { return m_options.rules; }
    void observe(const DeploymentSnapshot& snapshot);
    void forget(const QString& deployment);

    std::optional<Alert> take();
    qint64 nextDueMs() const; // 0: nothing waits (or only muted services)

    static QString headline(const AlertItem& item);

private:
    enum class Told { Healthy, Down, OutOfRotation, Unknown, Flapping };
    struct Tracked
    {
        ServiceAssessment assessment;
        bool everKnown = false; // had a healthy or unhealthy status once
        Told told = Told::Healthy;
        bool everTold = false;
        qint64 toldMs = 0;
        qint64 differsSinceMs = -1; // -1: what it is now is what was told
        Told pending = Told::Healthy; // what it differs by, since differsSinceMs
        QList<qint64> changes; // within the flapping window
        bool flapping = false;
    };
    struct Watched
    {
        QString name;
        QStringList order; // services in the snapshot's order (roots first)
        QHash<QString, Tracked> services;
    };

    std::optional<Told> notable(const Tracked& t) const;
    Told wanted(const Tracked& t) const;
    void refresh(Tracked& t, qint64 now);
    void refreshAll(qint64 now);
    bool muted(const QString& deployment, const QString& service, const Tracked& t) const;
    qint64 dueAtMs(const Tracked& t) const;
    void addItem(Alert& alert, const Watched& w, const QString& service, Tracked& t, qint64 now);
    static void fold(Alert& alert, const QHash<QString, Watched>& watched);
    void writeText(Alert& alert) const;

    const Clock& m_clock;
    Muting& m_muting;
    Options m_options;
    QStringList m_deploymentOrder;
    QHash<QString, Watched> m_watched;
};

} // namespace okh

Q_DECLARE_METATYPE(okh::Alert)
