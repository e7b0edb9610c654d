#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <chrono>

namespace okh {

class Clock;

// What the operator has silenced (docs/desktop.md, "Acknowledge, pause, maintenance"):
// acknowledged incidents (a failing service, muted until it recovers), maintenance windows
// (a deployment's notifications muted for a while, its checks keep running) and pauses (its
// checks stop for a while). Windows and pauses end by themselves: expire() drops what has run
// out and says so; nextExpiryMs() tells a timer when to call it.
class Muting : public QObject
{
    Q_OBJECT
public:
    struct Acknowledgement
    {
        QString user;
        qint64 atMs = 0;
    };

    explicit Muting(const Clock& clock, QObject* parent = nullptr);

    void acknowledge(const QString& deployment, const QString& service, const QString& user);
    // The service recovered (or its acknowledgement is taken back).
    void clearAcknowledgement(const QString& deployment, const QString& service);
    std::optional<Acknowledgement> acknowledgement(const QString& deployment, const QString& service) const;

    // duration 0 ends the window now.
    void setMaintenance(const QString& deployment, std::chrono::milliseconds duration);
    qint64 maintenanceUntilMs(const QString& deployment) const; // 0: none
    // Paused until then; duration nullopt: until resumed. The caller pauses the monitor.
    void setPaused(const QString& deployment, std::optional<std::chrono::milliseconds> duration);
    void clearPause(const QString& deployment);
    bool isPaused(const QString& deployment) const;
    qint64 pausedUntilMs(const QString& deployment) const; // 0: not paused, or until resumed

    // Muted for notifications: in a maintenance window or paused.
    bool isMuted(const QString& deployment) const;

    // Ends the windows and pauses whose time has come; returns the deployments whose pause ended
    // (their monitors must be resumed).
    QStringList expire();
    qint64 nextExpiryMs() const; // 0: nothing to expire

    // The local user's name, for "acknowledged by".
    static QString localUserName();

Q_SIGNALS:
    void changed(const QString& deployment);

private:
    static QString serviceKey(const QString& deployment, const QString& service);

    const Clock& m_clock;
    QHash<QString, Acknowledgement> m_acknowledged; // "deployment\nservice"
    QHash<QString, qint64> m_maintenanceUntil;
    QHash<QString, qint64> m_pausedUntil; // 0: until resumed
};

} // namespace okh
