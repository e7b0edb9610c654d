#include "TcpProbe.h"

#include "SocketFailure.h"
#include "util/Durations.h"
#include "util/HostPort.h"

#include <QNetworkProxy>

namespace okh {

TcpProbe::TcpProbe(TcpTarget target, std::chrono::milliseconds timeout, QObject* parent)
    : Probe(timeout, parent)
    , m_target(std::move(target))
{
    m_socket.setProxy(QNetworkProxy::NoProxy);
    connect(&m_socket, &QTcpSocket::connected, this, &TcpProbe::onConnected);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, &TcpProbe::onError);
}

void TcpProbe::begin()
{
    if (m_target.host.isEmpty() || m_target.port == 0) {
        finish(ProbeResult::unknown(tr("no host or port configured")));
        return;
    }
    m_socket.setProxy(proxy());
    m_socket.connectToHost(m_target.host, m_target.port);
}

void TcpProbe::abort()
{
    m_socket.abort();
}

ProbeResult TcpProbe::timedOutResult() const
{
    return ProbeResult::unhealthy(tr("no connection to %1 within %2")
                                      .arg(formatHostPort(m_target.host, m_target.port), formatDuration(timeout())),
                                  tr("Packets are dropped on the way (firewall) or the host is down."))
        .because(FailureKind::NoConnection);
}

void TcpProbe::onConnected()
{
    auto result = ProbeResult::healthy(tr("connected to %1").arg(formatHostPort(m_target.host, m_target.port)));
    result.details.append({QStringLiteral("peer"), m_socket.peerAddress().toString()});
    m_socket.abort();
    finish(result);
}

void TcpProbe::onError(QAbstractSocket::SocketError error)
{
    if (isFinished())
        return;
    finish(SocketFailure::toResult(error, m_socket.errorString(), formatHostPort(m_target.host, m_target.port)));
}

} // namespace okh
