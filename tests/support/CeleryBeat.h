#pragma once

#include "TestSupport.h"
#include "standin/ManagedProcess.h"

#include <QString>
#include <QTemporaryDir>
#include <chrono>
#include <memory>

namespace okh::test {

// A real Celery beat of resources/standin/celery_app (see CeleryWorker), sending okh_celery.add
// every intervalSeconds; after each task it publishes it touches its liveness file, as
// maykin-common's beat probe does. The schedule database and the liveness file live in this
// fixture's own temp dir. Beat needs no worker: it only publishes to the broker.
//
//   /usr/bin/python3 -m celery -A okh_celery beat -s <dir>/celerybeat-schedule --pidfile= -l info
class CeleryBeat
{
public:
    struct Options
    {
        QString brokerUrl; // e.g. RedisServer::url()
        int intervalSeconds = 1;
    };

    CeleryBeat();
    ~CeleryBeat();
    CeleryBeat(const CeleryBeat&) = delete;
    CeleryBeat& operator=(const CeleryBeat&) = delete;

    // Starts beat and waits (up to 30 s) until it has published its first task: the liveness
    // file exists.
    bool start(const Options& options);
    // SIGTERM, up to grace, then SIGKILL; true when it ended within grace. Beat deletes its
    // liveness file at a graceful exit.
    bool stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
    void kill(); // SIGKILL: the liveness file stays and ages
    bool freeze(); // SIGSTOP: no more publishing, the liveness file ages
    bool thaw();
    bool isFrozen() const { return m_frozen; }
    bool isAlive() const;

    qint64 pid() const;
    QString livenessFile() const;
    double startupSeconds() const { return m_startupSeconds; }

    QString errorString() const { return m_errorString; }
    QString logTail(int maxLines = 30) const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ManagedProcess> m_process;
    Options m_options;
    QString m_errorString;
    double m_startupSeconds = 0;
    bool m_frozen = false;
};

} // namespace okh::test
