#pragma once

#include "ProbeResult.h"

#include <QElapsedTimer>
#include <QNetworkProxy>
#include <QObject>
#include <QTimer>
#include <chrono>

namespace okh {

// One asynchronous check run. start() returns at once; finished() is emitted exactly once,
// at the latest when the timeout expires. A probe object runs once.
class Probe : public QObject
{
    Q_OBJECT
public:
    explicit Probe(std::chrono::milliseconds timeout, QObject* parent = nullptr);

    void start();
    bool isFinished() const { return m_finished; }
    std::chrono::milliseconds timeout() const { return m_timeout; }
    // How the probe's sockets reach the target: no proxy (direct) or the deployment's SSH
    // tunnel (a SOCKS5 endpoint on 127.0.0.1 that forwards over direct-tcpip channels).
    void setProxy(const QNetworkProxy& proxy) { m_proxy = proxy; }
    QNetworkProxy proxy() const { return m_proxy; }

Q_SIGNALS:
    void finished(const okh::ProbeResult& result);

protected:
    // Starts the work; must not block. Calls finish() when done (possibly synchronously).
    virtual void begin() = 0;
    // Drops all I/O at once; called when the timeout fires, before timedOutResult().
    virtual void abort() = 0;
    virtual ProbeResult timedOutResult() const;

    void finish(ProbeResult result);
    double elapsedMs() const;

private:
    void onTimeout();

    std::chrono::milliseconds m_timeout;
    QTimer m_deadline;
    QElapsedTimer m_clock;
    bool m_started = false;
    bool m_finished = false;
    QNetworkProxy m_proxy{QNetworkProxy::NoProxy};
};

} // namespace okh
