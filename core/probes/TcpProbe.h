#pragma once

#include "Probe.h"
#include "ProbeTargets.h"

#include <QTcpSocket>

namespace okh {

// Healthy when a TCP connection to host:port opens (kubelet's tcpSocket rule).
class TcpProbe : public Probe
{
    Q_OBJECT
public:
    TcpProbe(TcpTarget target, std::chrono::milliseconds timeout, QObject* parent = nullptr);

protected:
    void begin() override;
    void abort() override;
    ProbeResult timedOutResult() const override;

private:
    void onConnected();
    void onError(QAbstractSocket::SocketError error);

    TcpTarget m_target;
    QTcpSocket m_socket;
};

} // namespace okh
