#include "AlertPlanner.h"

#include "Muting.h"
#include "util/Clock.h"

#include <algorithm>

namespace okh {

AlertPlanner::AlertPlanner(const Clock& clock, Muting& muting, Options options)
    : m_clock(clock)
    , m_muting(muting)
    , m_options(options)
{ }

void AlertPlanner::setRules(const NotificationRules& rules)
{
    m_options.rules = rules;
    refreshAll(m_clock.nowMs());
}

void AlertPlanner::observe(const DeploymentSnapshot& snapshot)
{
    const qint64 now = m_clock.nowMs();
    if (!m_watched.contains(snapshot.name))
        m_deploymentOrder.append(snapshot.name);
    Watched& w = m_watched[snapshot.name];
    w.name = snapshot.name;
    w.order.clear();
    for (const ServiceAssessment& a : snapshot.services) {
        w.order.append(a.service);
        const bool seen = w.services.contains(a.service);
        Tracked& t = w.services[a.service];
        if (seen && a.status != t.assessment.status)
            t.changes.append(now);
        t.assessment = a;
        if (a.status != ProbeStatus::Unknown)
            t.everKnown = true;
        if (a.status == ProbeStatus::Healthy)
            m_muting.clearAcknowledgement(snapshot.name, a.service); // the incident is over
        refresh(t, now);
    }
}

void AlertPlanner::forget(const QString& deployment)
{
    m_watched.remove(deployment);
    m_deploymentOrder.removeAll(deployment);
}

std::optional<AlertPlanner::Told> AlertPlanner::notable(const Tracked& t) const
{
    const NotificationRules& rules = m_options.rules;
    switch (t.assessment.status) {
    case ProbeStatus::Healthy:
        return Told::Healthy;
    case ProbeStatus::Unhealthy:
        if (t.assessment.conclusion == ServiceAssessment::Conclusion::OutOfRotation)
            return rules.outOfRotation ? std::optional(Told::OutOfRotation) : std::nullopt;
        return rules.wouldRestart ? std::optional(Told::Down) : std::nullopt;
    case ProbeStatus::Unknown:
        // Not known yet after the start is not news; the monitor losing sight of it can be.
        return rules.unknown && t.everKnown ? std::optional(Told::Unknown) : std::nullopt;
    }
    return std::nullopt;
}

AlertPlanner::Told AlertPlanner::wanted(const Tracked& t) const
{
    if (t.flapping)
        return Told::Flapping;
    return notable(t).value_or(t.told);
}

void AlertPlanner::refreshAll(qint64 now)
{
    for (Watched& w : m_watched) {
        for (Tracked& t : w.services)
            refresh(t, now);
    }
}

void AlertPlanner::refresh(Tracked& t, qint64 now)
{
    const qint64 windowStart = now - m_options.flapWindow.count();
    t.changes.erase(std::remove_if(t.changes.begin(), t.changes.end(), [&](qint64 at) { return at < windowStart; }),
                    t.changes.end());
    if (!t.flapping && t.changes.size() >= m_options.flapChanges)
        t.flapping = true;
    else if (t.flapping && (t.changes.isEmpty() || now - t.changes.last() >= m_options.flapQuiet.count())) {
        t.flapping = false; // settled; its old changes do not count again
        t.changes.clear();
    }
    const Told next = wanted(t);
    if (next == t.told) {
        t.differsSinceMs = -1;
    } else if (t.differsSinceMs < 0 || next != t.pending) {
        // The group window starts again with each new state: what changes on is not told yet.
        t.differsSinceMs = now;
        t.pending = next;
    }
}

bool AlertPlanner::muted(const QString& deployment, const QString& service, const Tracked& t) const
{
    if (m_muting.isMuted(deployment))
        return true;
    return t.assessment.status != ProbeStatus::Healthy && m_muting.acknowledgement(deployment, service).has_value();
}

qint64 AlertPlanner::dueAtMs(const Tracked& t) const
{
    qint64 due = t.differsSinceMs + m_options.groupWindow.count();
    if (t.everTold)
        due = std::max(due, t.toldMs + std::chrono::milliseconds(m_options.rules.throttle).count());
    return due;
}

qint64 AlertPlanner::nextDueMs() const
{
    qint64 next = 0;
    for (const Watched& w : m_watched) {
        for (auto it = w.services.cbegin(); it != w.services.cend(); ++it) {
            const Tracked& t = it.value();
            if (t.differsSinceMs < 0 || muted(w.name, it.key(), t))
                continue;
            const qint64 due = dueAtMs(t);
            if (next == 0 || due < next)
                next = due;
        }
        // A flapping service settles by time alone.
        for (const Tracked& t : w.services) {
            if (t.flapping && !t.changes.isEmpty()) {
                const qint64 settles = t.changes.last() + m_options.flapQuiet.count();
                if (next == 0 || settles < next)
                    next = settles;
            }
        }
    }
    return next;
}

std::optional<Alert> AlertPlanner::take()
{
    const qint64 now = m_clock.nowMs();
    refreshAll(now);
    if (!m_options.rules.enabled) {
        // Off: what is now is taken as told, so turning them on does not replay the past.
        for (Watched& w : m_watched) {
            for (Tracked& t : w.services) {
                t.told = wanted(t);
                t.differsSinceMs = -1;
            }
        }
        return std::nullopt;
    }
    bool anyDue = false;
    for (const Watched& w : m_watched) {
        for (auto it = w.services.cbegin(); it != w.services.cend() && !anyDue; ++it) {
            const Tracked& t = it.value();
            anyDue = t.differsSinceMs >= 0 && !muted(w.name, it.key(), t) && dueAtMs(t) <= now;
        }
    }
    if (!anyDue)
        return std::nullopt;
    // Everything that differs and may be told goes along, even if its own window is still open.
    Alert alert;
    const qint64 throttle = std::chrono::milliseconds(m_options.rules.throttle).count();
    for (const QString& deployment : std::as_const(m_deploymentOrder)) {
        Watched& w = m_watched[deployment];
        for (const QString& service : std::as_const(w.order)) {
            Tracked& t = w.services[service];
            if (t.differsSinceMs < 0 || muted(deployment, service, t) || (t.everTold && t.toldMs + throttle > now))
                continue;
            addItem(alert, w, service, t, now);
        }
    }
    fold(alert, m_watched);
    if (alert.items.isEmpty())
        return std::nullopt;
    writeText(alert);
    return alert;
}

void AlertPlanner::addItem(Alert& alert, const Watched& w, const QString& service, Tracked& t, qint64 now)
{
    const Told next = wanted(t);
    const bool recovery = next == Told::Healthy;
    t.told = next;
    t.differsSinceMs = -1;
    if (recovery && !m_options.rules.recovered)
        return; // taken as told, silently
    t.everTold = true;
    t.toldMs = now;
    AlertItem item;
    item.deployment = w.name;
    item.service = service;
    item.reason = t.assessment.causeReason.isEmpty() ? t.assessment.conclusionText : t.assessment.causeReason;
    switch (next) {
    case Told::Healthy:
        item.kind = AlertItem::Kind::Recovered;
        item.reason.clear();
        break;
    case Told::Down:
        item.kind = AlertItem::Kind::Down;
        break;
    case Told::OutOfRotation:
        item.kind = AlertItem::Kind::OutOfRotation;
        break;
    case Told::Unknown:
        item.kind = AlertItem::Kind::Unknown;
        break;
    case Told::Flapping:
        item.kind = AlertItem::Kind::Flapping;
        item.changes = int(t.changes.size());
        item.reason = t.assessment.conclusionText;
        break;
    }
    alert.items.append(item);
}

// A failing service explained by another one in the same deployment is named after it
// ("redis is down — explains web, celery") instead of on a line of its own; roots come first.
void AlertPlanner::fold(Alert& alert, const QHash<QString, Watched>& watched)
{
    const auto failing
        = [](AlertItem::Kind kind) { return kind == AlertItem::Kind::Down || kind == AlertItem::Kind::OutOfRotation; };
    QList<AlertItem> roots;
    QList<AlertItem> rest;
    for (AlertItem& item : alert.items) {
        const Watched& w = watched[item.deployment];
        if (failing(item.kind)) {
            for (const QString& other : w.order) {
                const ServiceAssessment& a = w.services[other].assessment;
                if (a.status == ProbeStatus::Unhealthy && a.causedBy.contains(item.service))
                    item.explains.append(other);
            }
        }
    }
    for (const AlertItem& item : std::as_const(alert.items)) {
        const bool explained
            = failing(item.kind) && std::any_of(alert.items.cbegin(), alert.items.cend(), [&](const AlertItem& o) {
                  return &o != &item && o.deployment == item.deployment && failing(o.kind)
                      && o.explains.contains(item.service);
              });
        if (explained)
            continue;
        if (failing(item.kind) && !item.explains.isEmpty())
            roots.append(item);
        else
            rest.append(item);
    }
    alert.items = roots + rest;
}

QString AlertPlanner::headline(const AlertItem& item)
{
    QString text;
    switch (item.kind) {
    case AlertItem::Kind::Down:
        text = tr("%1 is down").arg(item.service);
        break;
    case AlertItem::Kind::OutOfRotation:
        text = tr("%1 is out of rotation").arg(item.service);
        break;
    case AlertItem::Kind::Unknown:
        text = tr("%1 cannot be checked").arg(item.service);
        break;
    case AlertItem::Kind::Recovered:
        text = tr("%1 is healthy again").arg(item.service);
        break;
    case AlertItem::Kind::Flapping:
        text = tr("%1 keeps changing: %n changes in a short time", nullptr, item.changes).arg(item.service);
        break;
    }
    if (!item.explains.isEmpty())
        text = tr("%1 — explains %2").arg(text, item.explains.join(QStringLiteral(", ")));
    return text;
}

void AlertPlanner::writeText(Alert& alert) const
{
    const AlertItem& first = alert.items.first();
    alert.problem = std::any_of(alert.items.cbegin(), alert.items.cend(),
                                [](const AlertItem& i) { return i.kind != AlertItem::Kind::Recovered; });
    alert.title = headline(first);
    QStringList lines;
    lines.append(first.reason.isEmpty() ? first.deployment : tr("%1: %2").arg(first.deployment, first.reason));
    for (qsizetype i = 1; i < alert.items.size(); ++i) {
        const AlertItem& item = alert.items.at(i);
        lines.append(tr("%1: %2").arg(item.deployment, headline(item)));
    }
    alert.body = lines.join(u'\n');
}

} // namespace okh
