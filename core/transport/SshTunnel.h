#pragma once

#include "SshEndpoint.h"
#include "SshSession.h"
#include "exec/CommandExecutor.h"

#include <QHash>
#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <atomic>
#include <memory>

class QThread;

namespace okh {

class SshMultiplexer;

// A deployment's SSH connection, like `ssh -D` plus exec: one libssh2 session (through jump
// hosts if any) on its own thread. Probes reach targets through proxy() — a SOCKS5 endpoint on
// 127.0.0.1 whose CONNECTs become direct-tcpip channels — so they keep their target names for
// Host headers and messages. Commands run over exec channels. The connection is re-established
// with backoff after a loss; generation() changes each time it comes up.
class SshTunnel : public QObject, public CommandExecutor
{
    Q_OBJECT
public:
    enum class State { Connecting, Up, Down };
    Q_ENUM(State)

    SshTunnel(SshSpec spec, PassphraseSource passphrases, QObject* parent = nullptr);
    ~SshTunnel() override;

    void start();
    // Connects at once instead of after the backoff; nothing when up.
    void retryNow();
    State state() const { return m_state; }
    SshFailure failure() const { return m_failure; }
    QString lastError() const { return m_lastError; }
    // The target's host key as the last successful login accepted it.
    SshHostKey hostKey() const { return m_hostKey; }
    quint64 generation() const { return m_generation; }
    // The connection as the tunnel's thread sees it right now (ahead of stateChanged()).
    bool connectedNow() const;
    quint64 epochNow() const;
    // Whether the SSH server refused to forward to host:port (AllowTcpForwarding, PermitOpen).
    bool forwardingRefused(const QString& host, quint16 port) const;
    QNetworkProxy proxy() const;
    // "cannot reach deployment: …" for results produced while the tunnel is not up.
    QString unreachableText() const;

    // CommandExecutor: commands run on the SSH host.
    std::unique_ptr<CommandJob> create(const QStringList& argv, std::chrono::milliseconds timeout) override;
    bool isLocal() const override { return false; }

    // Called (queued) by the multiplexer thread.
    void reportState(okh::SshTunnel::State state, okh::SshFailure failure, const QString& error);
    void reportExec(quint64 id, const okh::CommandOutcome& outcome);
    void reportHostKey(const okh::SshHostKey& key, okh::SshFailure failure);
    void reportLoggedIn(const okh::SshHostKey& key);

Q_SIGNALS:
    void stateChanged(okh::SshTunnel::State state, const QString& reason);
    void execFinished(quint64 id, const okh::CommandOutcome& outcome);
    // A host's key is not in known_hosts (HostKeyUnknown: it may be trusted with
    // trustHostKey(), then retryNow()) or differs from it (HostKeyChanged: never to be trusted
    // from here). Once per key and failure, however often the tunnel retries.
    void hostKeyRejected(const okh::SshHostKey& key, okh::SshFailure failure);

private:
    friend class SshCommandJob;
    quint64 startExec(const QStringList& argv, std::chrono::milliseconds timeout);
    void cancelExec(quint64 id);

    SshSpec m_spec;
    std::unique_ptr<SshMultiplexer> m_multiplexer;
    std::unique_ptr<QThread> m_thread;
    quint16 m_socksPort = 0;
    State m_state = State::Connecting;
    SshFailure m_failure = SshFailure::None;
    QString m_lastError;
    SshHostKey m_hostKey;
    quint64 m_generation = 0;
};

} // namespace okh
