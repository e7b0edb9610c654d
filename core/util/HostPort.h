#pragma once

#include <QString>

namespace okh {

// "host:port", with IPv6 literals in brackets as URLs write them.
inline QString formatHostPort(const QString& host, quint16 port)
{
    if (host.contains(u':'))
        return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

} // namespace okh
