#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <chrono>

namespace okh {

// One SSH server to log in to: the deployment's host, or a jump host on the way (ProxyJump).
struct SshEndpoint
{
    enum class HostKeyPolicy {
        Strict, // the key must be in known_hosts (OpenSSH's StrictHostKeyChecking=yes)
        AcceptNew, // an unknown key is added; a changed key is still refused
    };
    QString host;
    quint16 port = 22;
    QString user;
    QStringList identityFiles; // private keys; the passphrase is asked for when needed
    bool useAgent = true; // SSH_AUTH_SOCK, tried before the files
    QString knownHostsFile; // empty: ~/.ssh/known_hosts
    HostKeyPolicy hostKeyPolicy = HostKeyPolicy::Strict;
    friend bool operator==(const SshEndpoint&, const SshEndpoint&) = default;
};

struct SshSpec
{
    SshEndpoint target;
    QList<SshEndpoint> jumps; // in order: the first is reached directly
    std::chrono::seconds keepalive{15};
    std::chrono::seconds connectTimeout{10};
    friend bool operator==(const SshSpec&, const SshSpec&) = default;
};

} // namespace okh
