#pragma once

#include "config/ConfigReader.h"
#include "config/DeploymentSpec.h"
#include "config/SshConfigFile.h"

namespace okh {

// Reads a deployment's "connection": direct, or ssh with the ssh config merged in
// (docs/deployment-file.md, "ssh": the file's keys win over the ssh config's, which win over
// ssh's defaults).
class ConnectionReader : public ConfigReader
{
    Q_DECLARE_TR_FUNCTIONS(okh::DeploymentFile)

public:
    explicit ConnectionReader(const ConfigReader& reader)
        : ConfigReader(reader)
    { }

    ConnectionSpec parseConnection(const ConfigNode& node) const;

private:
    // An SSH server as the deployment file and the ssh config describe it.
    struct ResolvedEndpoint
    {
        QString alias; // the name as given, looked up in the ssh config
        SshEndpoint endpoint;
        SshConfigFile::HostConfig config; // what the ssh config says for alias
    };

    // What the deployment file (or a ProxyJump element) gives explicitly for an SSH server;
    // it wins over the ssh config.
    struct SshEndpointKeys
    {
        std::optional<quint16> port;
        std::optional<QString> user;
        std::optional<QStringList> identityFiles;
        std::optional<bool> useAgent;
        std::optional<QString> knownHostsFile;
        std::optional<SshEndpoint::HostKeyPolicy> hostKeyPolicy;
    };

    SshSpec parseSshConnection(const ConfigNode& node) const;
    std::optional<SshConfigFile> loadSshConfig(const ConfigNode& node) const;
    ResolvedEndpoint parseSshEndpoint(const ConfigNode& node, const SshConfigFile* config, bool isJump) const;
    SshEndpoint resolveSshEndpoint(const QString& alias, const SshEndpointKeys& given,
                                   const SshConfigFile::HostConfig& entry, const QString& anchor,
                                   const QString& label) const;
    QList<ResolvedEndpoint> proxyJumpChain(const SshConfigFile::Setting& proxyJump, const SshConfigFile* config,
                                           const QString& anchor) const;
    void followFirstHopProxyJump(QList<ResolvedEndpoint>& chain, const QString& target, const SshConfigFile* config,
                                 const QString& anchor) const;
    void refuseSshSecrets(const ConfigNode& node) const;
    QString sshAlias(const ConfigNode& node, const QString& key) const;
    SshEndpoint::HostKeyPolicy hostKeyPolicy(const ConfigNode& node, const QString& key) const;
    QStringList identityFiles(const ConfigNode& node, const QString& key) const;
    QString knownHostsProblem(const QString& file) const;
    std::optional<std::chrono::seconds> sshSeconds(const ConfigNode& node, const QString& key) const;
};

} // namespace okh
