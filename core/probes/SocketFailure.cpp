#include "SocketFailure.h"

namespace okh {

namespace {

FailureKind kindOf(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return FailureKind::Refused;
    case QAbstractSocket::HostNotFoundError:
        return FailureKind::Unresolved;
    case QAbstractSocket::RemoteHostClosedError:
        return FailureKind::ClosedEarly;
    case QAbstractSocket::SocketTimeoutError:
        return FailureKind::NoConnection;
    default:
        break;
    }
    return FailureKind::Other;
}

} // namespace

ProbeResult SocketFailure::toResult(QAbstractSocket::SocketError error, const QString& errorText, const QString& what)
{
    ProbeResult r;
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        r = ProbeResult::unhealthy(tr("connection refused by %1").arg(what),
                                   tr("Nothing listens on that port: the container is down, still starting, or "
                                      "listens on another port or interface."));
        break;
    case QAbstractSocket::HostNotFoundError:
        r = ProbeResult::unknown(tr("cannot resolve the host name of %1").arg(what),
                                 tr("DNS failure on the monitor's side: check the host name in the deployment file, "
                                    "or reach the deployment through its SSH connection where the name resolves."));
        break;
    case QAbstractSocket::RemoteHostClosedError:
        r = ProbeResult::unhealthy(tr("%1 closed the connection without answering").arg(what),
                                   tr("The port is open but the peer hung up: a different service may listen there, "
                                      "or the service is overloaded or restarting."));
        break;
    case QAbstractSocket::SocketAccessError:
        // Only the SSH tunnel's SOCKS endpoint answers "not allowed": sshd refused the channel.
        r = ProbeResult::unknown(tr("the SSH server refused to forward the connection to %1").arg(what),
                                 tr("Port forwarding is disabled on the SSH server (AllowTcpForwarding no, or "
                                    "PermitOpen excludes this target); ask its administrator, or run the check "
                                    "as an exec check on the host."));
        break;
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyProtocolError:
        r = ProbeResult::unknown(tr("cannot reach %1 through the SSH tunnel: %2").arg(what, errorText),
                                 tr("The deployment's SSH connection is down or reconnecting."));
        break;
    case QAbstractSocket::NetworkError:
    case QAbstractSocket::UnsupportedSocketOperationError:
    case QAbstractSocket::ProxyNotFoundError:
        r = ProbeResult::unknown(tr("cannot reach %1: %2").arg(what, errorText),
                                 tr("The monitor has no route to the host: check the network or VPN, or use an SSH "
                                    "connection."));
        break;
    case QAbstractSocket::SocketTimeoutError:
        r = ProbeResult::unhealthy(tr("%1 did not answer in time").arg(what));
        break;
    case QAbstractSocket::SslHandshakeFailedError:
        r = ProbeResult::unhealthy(tr("TLS handshake with %1 failed: %2").arg(what, errorText),
                                   tr("The certificate is not trusted, expired or for another name, or the port does "
                                      "not speak TLS."));
        break;
    default:
        r = ProbeResult::unhealthy(tr("connection to %1 failed: %2").arg(what, errorText));
        break;
    }
    r.failure = kindOf(error);
    r.details.append({QStringLiteral("error"), errorText});
    return r;
}

} // namespace okh
