#pragma once

#include "PostgresStartupExchange.h"
#include "Probe.h"
#include "ProbeTargets.h"

#include <QTcpSocket>

namespace okh {

// pg_isready done natively: a startup packet, then the first server message decides, with
// pg_isready's four outcome classes. Accepting is healthy; rejecting and no response are
// unhealthy; no attempt (bad parameters) is unknown.
class PostgresProbe : public Probe
{
    Q_OBJECT
public:
    PostgresProbe(PostgresTarget target, std::chrono::milliseconds timeout, QObject* parent = nullptr);

    // The local OS user, as libpq defaults it.
    static QString defaultUser();

protected:
    void begin() override;
    void abort() override;
    ProbeResult timedOutResult() const override;

private:
    void onConnected();
    void onReadyRead();
    void onError(QAbstractSocket::SocketError error);
    void conclude(const PostgresStartupExchange::Verdict& verdict);
    QString endpoint() const;

    PostgresTarget m_target;
    QTcpSocket m_socket;
    PostgresStartupExchange m_exchange;
};

} // namespace okh
