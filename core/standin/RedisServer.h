#pragma once

#include "ManagedProcess.h"

#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <optional>

namespace okh::standin {

// A real redis-server on a free 127.0.0.1 port, without persistence, in its own temp dir.
class RedisServer
{
public:
    RedisServer();
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    // TLS on a second port (tls-port) besides the plain one, set before start().
    struct Tls
    {
        QString certFile;
        QString keyFile;
        QString caFile;
        bool requireClientCertificate = false; // tls-auth-clients yes
    };
    void setTls(const Tls& tls) { m_tls = tls; }
    quint16 tlsPort() const { return m_tlsPort; }
    // rediss://[:password@]127.0.0.1:tlsPort/0 plus `query` (ssl_* parameters).
    QString tlsUrl(const QString& query = {}) const;

    // Starts and waits until it answers PING (PONG, or NOAUTH when a password is set).
    // An empty password means no requirepass.
    bool start(const QString& password = {});
    void stop();
    bool isRunning() const;

    // From the next start on, listen on this port (0, the default: a free port at each start).
    // A server restarted on its old port keeps a deployment file that names it valid.
    void setPort(quint16 port) { m_fixedPort = port; }
    quint16 port() const { return m_port; }
    QString password() const { return m_password; }
    // redis://[:password@]127.0.0.1:port/0
    QString url() const;
    qint64 pid() const;

    // SIGSTOP/SIGCONT: a paused server still completes TCP handshakes (the kernel does that)
    // but never answers, the "accepts but hangs" case for timeout tests.
    bool pause();
    bool resume();
    bool isPaused() const { return m_paused; }

    QString errorString() const { return m_errorString; }
    QString logTail(int maxLines = 30) const;

private:
    bool startOnce(bool* portTaken);
    QString makeUrl(const QString& scheme, quint16 port, const QString& query) const;

    QTemporaryDir m_dir;
    std::unique_ptr<ManagedProcess> m_process;
    QString m_password;
    QString m_errorString;
    quint16 m_port = 0;
    quint16 m_fixedPort = 0; // setPort()
    quint16 m_tlsPort = 0;
    std::optional<Tls> m_tls;
    bool m_paused = false;
};

} // namespace okh::standin
