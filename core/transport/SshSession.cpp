#include "SshSession.h"

#include "util/HostPort.h"
#include "util/LogCategories.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <libssh2.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

namespace okh {

namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline)
{
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return int(std::max<qint64>(0, left));
}

struct KeyType
{
    int knownHostMask;
    const char* name; // as known_hosts writes it
    const char* display; // as ssh-keygen -l shows it
};

KeyType keyTypeOf(int hostKeyType)
{
    switch (hostKeyType) {
    case LIBSSH2_HOSTKEY_TYPE_RSA:
        return {LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa", "RSA"};
    case LIBSSH2_HOSTKEY_TYPE_DSS:
        return {LIBSSH2_KNOWNHOST_KEY_SSHDSS, "ssh-dss", "DSA"};
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
        return {LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256", "ECDSA"};
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
        return {LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384", "ECDSA"};
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
        return {LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521", "ECDSA"};
    case LIBSSH2_HOSTKEY_TYPE_ED25519:
        return {LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519", "ED25519"};
    default:
        break;
    }
    return {LIBSSH2_KNOWNHOST_KEY_UNKNOWN, "unknown", "UNKNOWN"};
}

// known_hosts names a host on another port than 22 as "[host]:port".
QString knownHostsName(const SshEndpoint& e)
{
    return e.port == 22 ? e.host : u'[' + e.host + QStringLiteral("]:") + QString::number(e.port);
}

QStringList identityFilesFor(const SshEndpoint& e)
{
    if (!e.identityFiles.isEmpty())
        return e.identityFiles;
    QStringList defaults;
    for (const char* name : {"id_ed25519", "id_ecdsa", "id_rsa"}) {
        const QString path = QDir::home().filePath(QStringLiteral(".ssh/") + QLatin1String(name));
        if (QFileInfo::exists(path))
            defaults.append(path);
    }
    return defaults;
}

// OpenSSH's own format names its cipher inside the base64 blob ("none" when unencrypted);
// PEM keys say ENCRYPTED in a header. libssh2 cannot tell us, so we look before asking.
bool isEncryptedKey(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = file.read(64 * 1024);
    if (text.contains("ENCRYPTED"))
        return true;
    const QByteArray begin("-----BEGIN OPENSSH PRIVATE KEY-----");
    const qsizetype start = text.indexOf(begin);
    const qsizetype end = text.indexOf("-----END OPENSSH PRIVATE KEY-----");
    if (start < 0 || end < 0)
        return false;
    const QByteArray blob
        = QByteArray::fromBase64(text.mid(start + begin.size(), end - start - begin.size()).simplified());
    const QByteArray magic("openssh-key-v1\0", 15);
    if (!blob.startsWith(magic) || blob.size() < 19)
        return false;
    const quint32 length = quint32(quint8(blob[15])) << 24 | quint32(quint8(blob[16])) << 16
        | quint32(quint8(blob[17])) << 8 | quint32(quint8(blob[18]));
    return blob.mid(19, qsizetype(length)) != "none";
}

// libssh2 1.10 signs with RSA keys using SHA-1 ("ssh-rsa"), which OpenSSH 8.8 and later refuse
// by default: worth saying when an RSA key is refused.
bool isRsaKey(const QString& path)
{
    QFile pub(path + QStringLiteral(".pub"));
    if (pub.open(QIODevice::ReadOnly))
        return pub.read(16).startsWith("ssh-rsa");
    QFile key(path);
    return key.open(QIODevice::ReadOnly) && key.read(64).contains("RSA PRIVATE KEY");
}

// sshd does not disable Nagle on sessions without a terminal, so a reply written while our
// ACK of its previous packet is still delayed waits ~40 ms for that ACK. Acknowledging at once
// after every read removes the stall (measured: 44 ms → 0.x ms per probe through the tunnel).
// TCP_QUICKACK is not sticky, hence after every read; on a socketpair (jump host) it is a no-op.
LIBSSH2_RECV_FUNC(receiveAndAcknowledge)
{
    (void)abstract;
    const ssize_t n = ::recv(socket, buffer, length, flags);
    if (n > 0) {
        const int on = 1;
        ::setsockopt(socket, IPPROTO_TCP, TCP_QUICKACK, &on, sizeof(on));
    } else if (n < 0) {
        return -errno;
    }
    return n;
}

} // namespace

QString defaultKnownHostsFile()
{
    return QDir::home().filePath(QStringLiteral(".ssh/known_hosts"));
}

SshSession::SshSession()
    : m_session(libssh2_session_init())
{
    libssh2_session_set_blocking(m_session, 0);
    libssh2_session_callback_set(m_session, LIBSSH2_CALLBACK_RECV, reinterpret_cast<void*>(&receiveAndAcknowledge));
}

SshSession::~SshSession()
{
    if (m_session) {
        // Non-blocking, disconnect and free may both say EAGAIN and then free nothing (the
        // session's crypto contexts leak). Finish them blocking, with a bounded send time so a
        // dead peer cannot hold us.
        if (m_socket >= 0) {
            const timeval limit{1, 0};
            ::setsockopt(m_socket, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
            ::setsockopt(m_socket, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
        }
        libssh2_session_set_blocking(m_session, 1);
        libssh2_session_disconnect(m_session, "okhealth done");
        libssh2_session_free(m_session);
    }
}

bool SshSession::waitSocket(Clock::time_point deadline) const
{
    pollfd fd{m_socket, 0, 0};
    const int directions = libssh2_session_block_directions(m_session);
    if (directions & LIBSSH2_SESSION_BLOCK_INBOUND)
        fd.events |= POLLIN;
    if (directions & LIBSSH2_SESSION_BLOCK_OUTBOUND)
        fd.events |= POLLOUT;
    if (fd.events == 0)
        fd.events = POLLIN;
    if (m_idle) {
        // Short polls, moving the bridge in between, until ready or out of time.
        while (remainingMs(deadline) > 0) {
            m_idle();
            if (::poll(&fd, 1, std::min(5, remainingMs(deadline))) > 0)
                return true;
        }
        return false;
    }
    const int timeout = remainingMs(deadline);
    if (timeout == 0)
        return false;
    return ::poll(&fd, 1, timeout) > 0;
}

QString SshSession::lastError() const
{
    char* message = nullptr;
    int length = 0;
    libssh2_session_last_error(m_session, &message, &length, 0);
    return QString::fromUtf8(message, length);
}

bool SshSession::fail(SshFailure failure, const QString& message)
{
    m_failure = failure;
    m_error = message;
    return false;
}

bool SshSession::login(int socket, const SshEndpoint& endpoint, const PassphraseSource& passphrases,
                       Clock::time_point deadline)
{
    m_socket = socket;
    const QString where = formatHostPort(endpoint.host, endpoint.port);
    int rc = 0;
    while ((rc = libssh2_session_handshake(m_session, socket)) == LIBSSH2_ERROR_EAGAIN) {
        if (!waitSocket(deadline))
            return fail(SshFailure::Timeout, tr("SSH handshake with %1 timed out").arg(where));
    }
    if (rc != 0)
        return fail(SshFailure::Other, tr("SSH handshake with %1 failed: %2").arg(where, lastError()));
    if (!verifyHostKey(endpoint))
        return false;
    return authenticate(endpoint, passphrases, deadline);
}

bool SshSession::verifyHostKey(const SshEndpoint& endpoint)
{
    size_t keyLength = 0;
    int type = 0;
    const char* key = libssh2_session_hostkey(m_session, &keyLength, &type);
    if (!key)
        return fail(SshFailure::Other, tr("the server sent no host key"));
    const KeyType kt = keyTypeOf(type);
    m_keyType = QLatin1String(kt.display);
    if (const char* hash = libssh2_hostkey_hash(m_session, LIBSSH2_HOSTKEY_HASH_SHA256))
        m_fingerprint = QStringLiteral("SHA256:")
            + QString::fromLatin1(QByteArray(hash, 32).toBase64(QByteArray::OmitTrailingEquals));

    const QString file = endpoint.knownHostsFile.isEmpty() ? defaultKnownHostsFile() : endpoint.knownHostsFile;
    LIBSSH2_KNOWNHOSTS* hosts = libssh2_knownhost_init(m_session);
    if (QFileInfo::exists(file)
        && libssh2_knownhost_readfile(hosts, QFile::encodeName(file).constData(), LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0) {
        libssh2_knownhost_free(hosts);
        return fail(SshFailure::Other, tr("cannot read known_hosts file %1: %2").arg(file, lastError()));
    }
    libssh2_knownhost* found = nullptr;
    const QByteArray host = endpoint.host.toUtf8();
    const int check = libssh2_knownhost_checkp(
        hosts, host.constData(), endpoint.port, key, keyLength,
        LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | kt.knownHostMask, &found);
    libssh2_knownhost_free(hosts);
    const QString name = knownHostsName(endpoint);
    m_hostKey = {endpoint.host, endpoint.port,
                 name,          m_keyType,
                 m_fingerprint, name.toUtf8() + ' ' + kt.name + ' ' + QByteArray(key, qsizetype(keyLength)).toBase64(),
                 file};
    switch (check) {
    case LIBSSH2_KNOWNHOST_CHECK_MATCH:
        return true;
    case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
        return fail(SshFailure::HostKeyChanged,
                    tr("HOST KEY CHANGED for %1: the server offers %2 key %3, which differs from %4. Someone may be "
                       "intercepting the connection, or the host was reinstalled; verify the key with its "
                       "administrator before you update known_hosts.")
                        .arg(name, m_keyType, m_fingerprint, file));
    case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
        if (endpoint.hostKeyPolicy == SshEndpoint::HostKeyPolicy::AcceptNew) {
            QString error;
            if (trustHostKey(m_hostKey, &error))
                return true;
            return fail(SshFailure::Other, tr("cannot add the host key: %1").arg(error));
        }
        return fail(SshFailure::HostKeyUnknown,
                    tr("the host key of %1 is unknown: %2 key fingerprint is %3. Check it with the host's "
                       "administrator, then add it to %4 (or set hostKeyPolicy to accept-new).")
                        .arg(name, m_keyType, m_fingerprint, file));
    default:
        break;
    }
    return fail(SshFailure::Other, tr("cannot check the host key of %1: %2").arg(name, lastError()));
}

bool SshSession::authenticate(const SshEndpoint& endpoint, const PassphraseSource& passphrases,
                              Clock::time_point deadline)
{
    const QByteArray user = endpoint.user.toUtf8();
    const QString where = endpoint.user + u'@' + formatHostPort(endpoint.host, endpoint.port);
    char* methods = nullptr;
    for (;;) {
        methods = libssh2_userauth_list(m_session, user.constData(), unsigned(user.size()));
        if (methods || libssh2_userauth_authenticated(m_session))
            break;
        if (libssh2_session_last_errno(m_session) != LIBSSH2_ERROR_EAGAIN)
            return fail(SshFailure::AuthFailed,
                        tr("%1: cannot list authentication methods: %2").arg(where, lastError()));
        if (!waitSocket(deadline))
            return fail(SshFailure::Timeout, tr("%1: authentication timed out").arg(where));
    }
    if (libssh2_userauth_authenticated(m_session))
        return true;
    QStringList tried;

    if (endpoint.useAgent && !qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK")) {
        LIBSSH2_AGENT* agent = libssh2_agent_init(m_session);
        if (agent && libssh2_agent_connect(agent) == 0 && libssh2_agent_list_identities(agent) == 0) {
            libssh2_agent_publickey* identity = nullptr;
            while (libssh2_agent_get_identity(agent, &identity, identity) == 0) {
                int rc = 0;
                while ((rc = libssh2_agent_userauth(agent, user.constData(), identity)) == LIBSSH2_ERROR_EAGAIN) {
                    if (!waitSocket(deadline))
                        break;
                }
                if (rc == 0) {
                    libssh2_agent_disconnect(agent);
                    libssh2_agent_free(agent);
                    return true;
                }
            }
            tried.append(tr("the agent's keys"));
        }
        if (agent) {
            libssh2_agent_disconnect(agent);
            libssh2_agent_free(agent);
        }
    }

    for (const QString& keyFile : identityFilesFor(endpoint)) {
        if (!QFileInfo::exists(keyFile)) {
            tried.append(tr("%1 (missing)").arg(keyFile));
            continue;
        }
        const QByteArray privateKey = QFile::encodeName(keyFile);
        const QString publicPath = keyFile + QStringLiteral(".pub");
        const QByteArray publicKey = QFileInfo::exists(publicPath) ? QFile::encodeName(publicPath) : QByteArray();
        std::optional<QString> passphrase = QString();
        if (isEncryptedKey(keyFile)) {
            passphrase = passphrases ? passphrases(keyFile) : std::nullopt;
            // Time a person spends typing does not count against the connect timeout.
            deadline = Clock::now() + std::chrono::seconds(30);
        }
        if (!passphrase) {
            tried.append(tr("%1 (no passphrase given)").arg(keyFile));
            continue;
        }
        const QByteArray secret = passphrase->toUtf8();
        int rc = 0;
        while ((rc = libssh2_userauth_publickey_fromfile_ex(m_session, user.constData(), unsigned(user.size()),
                                                            publicKey.isEmpty() ? nullptr : publicKey.constData(),
                                                            privateKey.constData(), secret.constData()))
               == LIBSSH2_ERROR_EAGAIN) {
            if (!waitSocket(deadline))
                return fail(SshFailure::Timeout, tr("%1: authentication timed out").arg(where));
        }
        if (rc == 0)
            return true;
        if (rc == LIBSSH2_ERROR_FILE) {
            tried.append(tr("%1 (cannot read it: wrong passphrase or unsupported format)").arg(keyFile));
            continue;
        }
        if (isRsaKey(keyFile)) {
            tried.append(tr("%1 (RSA: libssh2 signs with SHA-1, which OpenSSH 8.8+ refuses by default; use an "
                            "ed25519 key)")
                             .arg(keyFile));
            continue;
        }
        tried.append(keyFile);
    }
    return fail(SshFailure::AuthFailed,
                tr("%1: authentication failed (server accepts: %2; tried: %3)")
                    .arg(where, QString::fromUtf8(methods ? methods : ""),
                         tried.isEmpty() ? tr("no keys") : tried.join(QStringLiteral(", "))));
}

} // namespace okh
