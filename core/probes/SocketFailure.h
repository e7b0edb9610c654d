#pragma once

#include "ProbeResult.h"

#include <QAbstractSocket>
#include <QCoreApplication>

namespace okh {

// One mapping of socket-level failures for every TCP-based probe, so "refused" or a DNS failure
// reads and counts the same whether HTTP, Redis or PostgreSQL hit it. `what` names the peer
// ("Redis at redis:6379"). Refused is the service's trouble (nothing listens); a name that does
// not resolve or a network the monitor cannot route to is the monitor's own (unknown).
class SocketFailure
{
    Q_DECLARE_TR_FUNCTIONS(okh::SocketFailure)
public:
    static ProbeResult toResult(QAbstractSocket::SocketError error, const QString& errorText, const QString& what);
};

} // namespace okh
