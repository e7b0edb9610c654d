#pragma once

#include "Probe.h"
#include "ProbeTargets.h"
#include "redis/RedisConnection.h"

namespace okh {

// `redis-cli ping` done natively: AUTH and SELECT when the URL asks for them, then PING.
// Error replies (NOAUTH, WRONGPASS, LOADING, MISCONF, …) are shown verbatim.
class RedisProbe : public Probe
{
    Q_OBJECT
public:
    RedisProbe(RedisTarget target, std::chrono::milliseconds timeout, QObject* parent = nullptr);

protected:
    void begin() override;
    void abort() override;
    ProbeResult timedOutResult() const override;

private:
    enum class Step { Auth, Select, Ping };

    void onReply(const RedisReply& reply);
    void onSocketError(QAbstractSocket::SocketError error, const QString& text);
    void onProtocolError(const QString& text);
    QString endpoint() const;

    RedisTarget m_target;
    RedisConnection m_connection;
    QList<Step> m_expected;
    bool m_connected = false;
    bool m_tcpConnected = false; // the TCP connection (for rediss://, before the handshake)
};

} // namespace okh
