#pragma once

#include "probes/ProbeResult.h"

#include <QAbstractSocket>
#include <QCoreApplication>

namespace okh {

// What a Redis error reply means for a check, shared by every probe that talks to Redis
// (PING, Celery's broker ping, heartbeats). The reply text is kept verbatim.
class RedisFailure
{
    Q_DECLARE_TR_FUNCTIONS(okh::RedisFailure)
public:
    static bool isAuthError(const QByteArray& message);
    // `endpoint` names the server ("Redis at redis:6379").
    static ProbeResult fromErrorReply(const QString& endpoint, const QByteArray& message);
    // A socket-level failure (SocketFailure's reading), with the hints that only Redis needs:
    // plain RESP sent to a TLS port, or TLS to a plain one. `tls`: the connection was rediss://.
    static ProbeResult fromSocketError(const QString& endpoint, QAbstractSocket::SocketError error, const QString& text,
                                       bool tls);
    // The peer is not speaking RESP: name what it said instead.
    static ProbeResult notRedis(const QString& endpoint, const QByteArray& banner, const QString& parserError);
};

} // namespace okh
