#include "DeploymentConnection.h"

#include "transport/SshTunnel.h"

#include <QNetworkProxy>

namespace okh {

DeploymentConnection::DeploymentConnection(const ConnectionSpec& spec, PassphraseSource passphrases, QObject* parent)
    : QObject(parent)
{
    // Never the system's proxy settings: targets are the deployment's own hosts.
    m_network.setProxy(QNetworkProxy::NoProxy);
    m_environment.network = &m_network;
    if (spec.type != ConnectionSpec::Type::Ssh)
        return;
    m_tunnel = std::make_unique<SshTunnel>(spec.ssh, std::move(passphrases));
    m_network.setProxy(m_tunnel->proxy());
    m_environment.proxy = m_tunnel->proxy();
    m_environment.commands = m_tunnel.get();
    m_environment.tunnel = m_tunnel.get();
    connect(m_tunnel.get(), &SshTunnel::stateChanged, this, [this](SshTunnel::State state, const QString& error) {
        if (state != SshTunnel::State::Connecting)
            Q_EMIT reachabilityChanged(state == SshTunnel::State::Up, error);
    });
    connect(m_tunnel.get(), &SshTunnel::hostKeyRejected, this, &DeploymentConnection::hostKeyRejected);
}

void DeploymentConnection::reconnectNow()
{
    if (m_tunnel)
        m_tunnel->retryNow();
}

DeploymentConnection::~DeploymentConnection() = default;

void DeploymentConnection::start()
{
    if (m_tunnel)
        m_tunnel->start();
}

bool DeploymentConnection::isUp() const
{
    return !m_tunnel || m_tunnel->connectedNow();
}

QString DeploymentConnection::lastError() const
{
    return m_tunnel ? m_tunnel->lastError() : QString();
}

} // namespace okh
