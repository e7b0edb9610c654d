#pragma once

#include "SshEndpoint.h"
#include "SshHostKey.h"

#include <QCoreApplication>
#include <QString>
#include <chrono>
#include <functional>
#include <optional>

struct _LIBSSH2_SESSION;
typedef struct _LIBSSH2_SESSION LIBSSH2_SESSION;

namespace okh {

// Asked on the SSH thread for a key's passphrase (the CLI reads the terminal, the GUI shows a
// dialog and waits); nullopt gives up on that key. Passphrases are never stored.
using PassphraseSource = std::function<std::optional<QString>(const QString& keyFile)>;

// Why a login failed, in the classes an operator acts on differently.
enum class SshFailure {
    None,
    Dns,
    Refused,
    Timeout,
    HostKeyUnknown,
    HostKeyChanged,
    AuthFailed,
    ForwardingRefused,
    Disconnected,
    Other,
};

// One libssh2 session over an already connected socket: handshake, host key check against
// known_hosts (OpenSSH format, hashed entries included), public-key authentication (agent,
// then key files). Non-blocking; the login waits on the socket with a deadline. Lives on the
// tunnel's thread.
class SshSession
{
    Q_DECLARE_TR_FUNCTIONS(okh::SshSession)
public:
    SshSession();
    ~SshSession();
    SshSession(const SshSession&) = delete;
    SshSession& operator=(const SshSession&) = delete;

    // `socket` stays owned by the caller. `label` names the endpoint in messages.
    bool login(int socket, const SshEndpoint& endpoint, const PassphraseSource& passphrases,
               std::chrono::steady_clock::time_point deadline);

    LIBSSH2_SESSION* handle() const { return m_session; }
    int socket() const { return m_socket; }
    SshFailure failure() const { return m_failure; }
    QString error() const { return m_error; }
    // "SHA256:…" as OpenSSH prints it, and the key type ("ED25519"), once the handshake ran.
    QString fingerprint() const { return m_fingerprint; }
    QString keyType() const { return m_keyType; }
    // The key the server offered, once checked against known_hosts (for a trust dialog after
    // HostKeyUnknown, a warning after HostKeyChanged).
    const SshHostKey& hostKey() const { return m_hostKey; }

    // Waits until the socket is ready in the direction libssh2 is blocked on.
    bool waitSocket(std::chrono::steady_clock::time_point deadline) const;
    // Called while a login waits, so a jump host's bridge keeps moving the bytes this session
    // is waiting for.
    void setIdleHook(std::function<void()> hook) { m_idle = std::move(hook); }

private:
    bool verifyHostKey(const SshEndpoint& endpoint);
    bool authenticate(const SshEndpoint& endpoint, const PassphraseSource& passphrases,
                      std::chrono::steady_clock::time_point deadline);
    bool fail(SshFailure failure, const QString& message);
    QString lastError() const;

    LIBSSH2_SESSION* m_session = nullptr;
    int m_socket = -1;
    SshFailure m_failure = SshFailure::None;
    QString m_error;
    QString m_fingerprint;
    QString m_keyType;
    SshHostKey m_hostKey;
    std::function<void()> m_idle;
};

// Where known_hosts lives when the deployment file does not say.
QString defaultKnownHostsFile();

} // namespace okh

Q_DECLARE_METATYPE(okh::SshFailure)
