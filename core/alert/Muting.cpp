#include "Muting.h"

#include "util/Clock.h"

#include <QDir>
#include <pwd.h>
#include <unistd.h>

namespace okh {

Muting::Muting(const Clock& clock, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
{ }

QString Muting::serviceKey(const QString& deployment, const QString& service)
{
    return deployment + u'\n' + service;
}

void Muting::acknowledge(const QString& deployment, const QString& service, const QString& user)
{
    m_acknowledged.insert(serviceKey(deployment, service), {user, m_clock.nowMs()});
    Q_EMIT changed(deployment);
}

void Muting::clearAcknowledgement(const QString& deployment, const QString& service)
{
    if (m_acknowledged.remove(serviceKey(deployment, service)) > 0)
        Q_EMIT changed(deployment);
}

std::optional<Muting::Acknowledgement> Muting::acknowledgement(const QString& deployment, const QString& service) const
{
    const auto it = m_acknowledged.constFind(serviceKey(deployment, service));
    if (it == m_acknowledged.constEnd())
        return std::nullopt;
    return *it;
}

void Muting::setMaintenance(const QString& deployment, std::chrono::milliseconds duration)
{
    if (duration.count() <= 0)
        m_maintenanceUntil.remove(deployment);
    else
        m_maintenanceUntil.insert(deployment, m_clock.nowMs() + duration.count());
    Q_EMIT changed(deployment);
}

qint64 Muting::maintenanceUntilMs(const QString& deployment) const
{
    return m_maintenanceUntil.value(deployment, 0);
}

void Muting::setPaused(const QString& deployment, std::optional<std::chrono::milliseconds> duration)
{
    m_pausedUntil.insert(deployment, duration ? m_clock.nowMs() + duration->count() : 0);
    Q_EMIT changed(deployment);
}

void Muting::clearPause(const QString& deployment)
{
    if (m_pausedUntil.remove(deployment) > 0)
        Q_EMIT changed(deployment);
}

bool Muting::isPaused(const QString& deployment) const
{
    return m_pausedUntil.contains(deployment);
}

qint64 Muting::pausedUntilMs(const QString& deployment) const
{
    return m_pausedUntil.value(deployment, 0);
}

bool Muting::isMuted(const QString& deployment) const
{
    return m_maintenanceUntil.contains(deployment) || m_pausedUntil.contains(deployment);
}

QStringList Muting::expire()
{
    const qint64 now = m_clock.nowMs();
    QStringList changedDeployments;
    QStringList resumed;
    for (auto it = m_maintenanceUntil.begin(); it != m_maintenanceUntil.end();) {
        if (it.value() <= now) {
            changedDeployments.append(it.key());
            it = m_maintenanceUntil.erase(it);
        } else {
            ++it;
        }
    }
    for (auto it = m_pausedUntil.begin(); it != m_pausedUntil.end();) {
        if (it.value() != 0 && it.value() <= now) {
            resumed.append(it.key());
            it = m_pausedUntil.erase(it);
        } else {
            ++it;
        }
    }
    changedDeployments.append(resumed);
    changedDeployments.removeDuplicates();
    for (const QString& deployment : changedDeployments)
        Q_EMIT changed(deployment);
    return resumed;
}

qint64 Muting::nextExpiryMs() const
{
    qint64 next = 0;
    const auto consider = [&next](qint64 at) {
        if (at != 0 && (next == 0 || at < next))
            next = at;
    };
    for (const qint64 at : m_maintenanceUntil)
        consider(at);
    for (const qint64 at : m_pausedUntil)
        consider(at);
    return next;
}

QString Muting::localUserName()
{
    QString name = qEnvironmentVariable("USER");
    if (name.isEmpty()) {
        if (const passwd* pw = getpwuid(getuid()))
            name = QString::fromLocal8Bit(pw->pw_name);
    }
    return name.isEmpty() ? QDir::home().dirName() : name;
}

} // namespace okh
