#pragma once

#include "config/DeploymentSpec.h"
#include "probes/ProbeFactory.h"
#include "transport/SshSession.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <memory>

namespace okh {

class SshTunnel;

// How one deployment's checks reach their targets: directly, or through the deployment's SSH
// tunnel (a SOCKS5 front for sockets and HTTP, exec channels for commands). Owns the network
// manager its HTTP probes share and the tunnel; `run`, `serve` and the GUI all use it, so the
// set-up lives in one place. Lives on the thread its probes run on.
class DeploymentConnection : public QObject
{
    Q_OBJECT
public:
    DeploymentConnection(const ConnectionSpec& spec, PassphraseSource passphrases, QObject* parent = nullptr);
    ~DeploymentConnection() override;

    // Direct: nothing to do. SSH: the tunnel connects, and reconnects with backoff after a loss.
    void start();
    bool isDirect() const { return !m_tunnel; }
    // Direct: always true. SSH: the tunnel is up as its own thread sees it right now.
    bool isUp() const;
    // Why the SSH connection is down (the transport's words); empty for direct connections.
    QString lastError() const;
    // What the probes of this deployment are created with.
    const ProbeEnvironment& environment() const { return m_environment; }
    SshTunnel* tunnel() const { return m_tunnel.get(); }
    // SSH: connect at once rather than after the backoff (a key was trusted, a passphrase given).
    void reconnectNow();

Q_SIGNALS:
    // SSH only: the connection came up, or failed to (on the first attempt too), or was lost.
    void reachabilityChanged(bool reachable, const QString& error);
    // SSH only: see SshTunnel::hostKeyRejected.
    void hostKeyRejected(const okh::SshHostKey& key, okh::SshFailure failure);

private:
    QNetworkAccessManager m_network;
    std::unique_ptr<SshTunnel> m_tunnel;
    ProbeEnvironment m_environment;
};

} // namespace okh
