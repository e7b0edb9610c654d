#pragma once

#include <QByteArray>
#include <QString>
#include <atomic>
#include <memory>

class QThread;
class QTcpServer;

namespace okh::test {

// A TCP listener on a free 127.0.0.1 port that accepts every connection and keeps it open
// without sending a byte (or, with a banner, sends only that banner): the hand-written fake
// for timeout tests. It serves from its own thread, so it keeps accepting while the test's
// thread blocks (QProcess::waitForFinished) or spins its event loop (QSignalSpy::wait).
class SilentPeer
{
public:
    explicit SilentPeer(QByteArray banner = {});
    virtual ~SilentPeer();
    SilentPeer(const SilentPeer&) = delete;
    SilentPeer& operator=(const SilentPeer&) = delete;

    bool start();
    // Closes the listener and every accepted connection.
    void stop();

    quint16 port() const { return m_port; }
    QByteArray banner() const { return m_banner; }
    int acceptedConnections() const { return m_accepted.load(); }
    QString errorString() const { return m_errorString; }

private:
    QByteArray m_banner;
    std::unique_ptr<QThread> m_thread;
    QTcpServer* m_server = nullptr; // lives in m_thread, owns the accepted sockets
    std::atomic<int> m_accepted{0};
    QString m_errorString;
    quint16 m_port = 0;
};

} // namespace okh::test
