#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>

namespace okh::test {

// What SshServer::start() varies (outside the class: a nested struct with member initializers
// cannot be a default argument of its enclosing class's functions).
struct SshServerOptions
{
    bool allowTcpForwarding = true;
    // Appended verbatim to authorized_keys: e.g. another instance's clientPublicKeyLine()
    // (a jump host chain with one key), or a key line with options ("restrict,...").
    QString authorizedKeysExtra;
    // ClientAliveInterval in seconds; 0 leaves it unset (sshd sends no keepalives).
    int clientAliveIntervalSeconds = 0;
    int clientAliveCountMax = 3;
    // "HostKeyAlgorithms +ssh-rsa" and "PubkeyAcceptedAlgorithms +ssh-rsa": SHA-1 RSA,
    // the only RSA signatures libssh2 1.10 makes or checks.
    bool acceptSshRsaSha1 = false;
    // sshd_config lines written before the fixture's own; sshd keeps the first value of a
    // keyword, so these override (e.g. "MaxSessions 1", "LoginGraceTime 2").
    QStringList extraConfig;
};

// A real OpenSSH server (/usr/sbin/sshd, Debian package openssh-server) on a free 127.0.0.1
// port, for the SSH transport's integration tests. Host keys, client keys, authorized_keys,
// known_hosts variants, sshd_config, pid file and log all live in the instance's temp dir;
// nothing of the machine's own sshd (/etc/ssh, ~/.ssh, port 22) is read or touched.
//
// Key formats, checked against Debian 12's libssh2 1.10 (OpenSSL backend) and OpenSSH 9.2:
// - clientKey(), encryptedClientKey(), unauthorizedClientKey(): ed25519 in the new OpenSSH
//   format ("BEGIN OPENSSH PRIVATE KEY"); libssh2 1.10 reads them, the encrypted one
//   (aes256-ctr + bcrypt KDF) too with passphrase().
// - pemRsaClientKey(): RSA 2048 in PEM ("BEGIN RSA PRIVATE KEY"). libssh2 1.10 signs RSA
//   user auth only with SHA-1 ("ssh-rsa"), which OpenSSH 8.8+ refuses by default, so it logs
//   in only with Options::acceptSshRsaSha1; the real ssh client (rsa-sha2-*) logs in always.
// - Host keys: ed25519 and RSA 2048. libssh2 1.10 verifies RSA host keys only as "ssh-rsa"
//   (SHA-1), which sshd offers only with acceptSshRsaSha1; by default it negotiates ed25519.
//
// Every process the fixture causes (the listener and the per-connection sshd processes it
// forks, which put themselves in sessions of their own with setsid, and their shells) is
// stopped with stop()/kill(): the tree under the listener's pid is frozen with SIGSTOP, read
// from /proc, and signalled by pid and start time. No other pid is ever signalled. The listener
// is a child subreaper, so what a session leaves running stays in that tree.
class SshServer
{
public:
    using Options = SshServerOptions;

    SshServer();
    ~SshServer();
    SshServer(const SshServer&) = delete;
    SshServer& operator=(const SshServer&) = delete;

    // Generates the keys (first start only), writes the config, starts sshd and waits until it
    // sends its "SSH-2.0-" banner. The first start picks a free port; later ones reuse it.
    bool start(const Options& options = {});
    // SIGTERM to the listener and every process under it (open sessions too), SIGKILL after a
    // grace period; waits until all are gone.
    void stop();
    // stop(), then start() with the same options on the same port with the same host keys:
    // "sshd restarted mid-run". Works after kill() too.
    bool restart();
    // SIGKILL to the listener and every process under it: a crash; sessions drop at once.
    void kill();
    bool isRunning() const;

    quint16 port() const { return m_port; }
    qint64 pid() const; // the listener; 0 when not running
    // Everything under the listener, from /proc: per connection its sshd (plus the unprivileged
    // pre-auth child while authenticating; a root login has no post-auth child), the command,
    // and whatever an ended session left running (re-parented to the listener).
    QList<qint64> connectionPids() const;
    QString user() const; // the account to log in as: the current one (root in tests)
    QString host() const { return QStringLiteral("127.0.0.1"); }

    QString clientKey() const; // ed25519, no passphrase, authorized
    QString clientPublicKey() const; // its .pub file
    QByteArray clientPublicKeyLine() const; // the .pub file's line, for authorizedKeysExtra
    QString encryptedClientKey() const; // ed25519 protected by passphrase(), authorized
    QString passphrase() const { return QStringLiteral("correct horse"); }
    QString pemRsaClientKey() const; // RSA in PEM format, no passphrase, authorized
    QString unauthorizedClientKey() const; // ed25519, valid but not in authorized_keys

    // "[127.0.0.1]:PORT ssh-ed25519 AAAA..." and the same for the RSA host key.
    QString knownHostsFile() const;
    QString hashedKnownHostsFile() const; // the same, hashed by `ssh-keygen -H`
    // The host with another ed25519 key: "REMOTE HOST IDENTIFICATION HAS CHANGED".
    QString wrongKnownHostsFile() const;
    QByteArray knownHostsLines() const; // the content of knownHostsFile()
    QString hostPublicKey() const; // the ed25519 host key's .pub file
    QString rsaHostPublicKey() const;
    // "SHA256:" + unpadded base64 of the SHA-256 of the ed25519 host key blob, as
    // `ssh-keygen -lf` prints it (libssh2_hostkey_hash(LIBSSH2_HOSTKEY_HASH_SHA256) gives the
    // 32 raw bytes).
    QString hostKeySha256Fingerprint() const;
    QString rsaHostKeySha256Fingerprint() const;

    // HOME in sessions: an empty dir in the temp dir, so that the account's own dotfiles (bash
    // reads ~/.bashrc even for `ssh host command`) stay out of the tests. The working directory
    // is still the account's home directory (sshd changes to it).
    QString sessionHome() const;
    QString configFile() const;
    QString directory() const { return m_dir.path(); }
    QString errorString() const { return m_errorString; }
    QString logTail(int maxLines = 30) const;

    // Writes one known_hosts file with the entries of every server (for a jump host chain);
    // false with *error when a server has no port yet or the file cannot be written.
    static bool writeKnownHosts(const QString& filePath, const QList<const SshServer*>& servers,
                                QString* error = nullptr);

private:
    bool prepareKeys();
    bool writeConfig();
    bool startOnce(bool* portTaken);
    void signalTree(bool crash);
    void reapListener();

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process; // the listener; a child subreaper (see start())
    Options m_options;
    QString m_errorString;
    quint16 m_port = 0;
    bool m_keysReady = false;
};

} // namespace okh::test
