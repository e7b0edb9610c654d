#include "SshMultiplexer.h"

#include "Socks5.h"
#include "SshTunnel.h"
#include "util/HostPort.h"
#include "util/LogCategories.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QRandomGenerator>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <libssh2.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace okh {

namespace {

constexpr qsizetype MaxBuffered = 1024 * 1024;
constexpr int MaxBackoffSeconds = 30;

// The multiplexer's messages reach people through the tunnel's state: one context for both.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(okh::SshTunnel)
};

void setNonBlocking(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
}

// Small request/response exchanges through the tunnel must not wait for Nagle's algorithm and
// the peer's delayed ACK (40 ms each way on Linux), as OpenSSH does for forwarded channels.
void setNoDelay(int fd)
{
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

QString lastSessionError(LIBSSH2_SESSION* session)
{
    char* message = nullptr;
    int length = 0;
    libssh2_session_last_error(session, &message, &length, 0);
    return QString::fromUtf8(message, length);
}

// libssh2 reports the SSH open-failure reason code only as text.
Socks5::Reply socksReplyFor(const QString& error)
{
    if (error.contains(QLatin1String("prohibited")))
        return Socks5::Reply::NotAllowed;
    if (error.contains(QLatin1String("connect failed")))
        return Socks5::Reply::ConnectionRefused;
    return Socks5::Reply::GeneralFailure;
}

// Writes as much as the socket takes; false when the peer is gone.
// "Try again later": EAGAIN, or what libssh2 1.10 says when a packet is asked for while another
// channel's packet is still half sent on a congested connection (BAD_USE; later versions say
// EAGAIN there too). Neither means the session or the channel failed.
bool wouldBlock(ssize_t rc)
{
    return rc == LIBSSH2_ERROR_EAGAIN || rc == LIBSSH2_ERROR_BAD_USE;
}

// A read that had to send a window adjustment while another packet was half sent: libssh2 1.10
// queues the adjustment for the next read and says SOCKET_SEND "…, deferring". Not a failure.
bool readDeferred(LIBSSH2_SESSION* session, ssize_t rc)
{
    if (rc != LIBSSH2_ERROR_SOCKET_SEND)
        return false;
    char* message = nullptr;
    libssh2_session_last_error(session, &message, nullptr, 0);
    return message && std::strstr(message, "deferring");
}

bool flushTo(int fd, QByteArray& buffer)
{
    while (!buffer.isEmpty()) {
        const ssize_t n = ::send(fd, buffer.constData(), size_t(buffer.size()), MSG_NOSIGNAL);
        if (n > 0) {
            buffer.remove(0, qsizetype(n));
            continue;
        }
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    return true;
}

} // namespace

struct SshMultiplexer::Hop
{
    int socket = -1;
    std::unique_ptr<SshSession> session;
    ~Hop()
    {
        session.reset();
        if (socket >= 0)
            ::close(socket);
    }
};

struct SshMultiplexer::Bridge
{
    LIBSSH2_SESSION* session = nullptr; // the previous hop's, which carries the channel
    LIBSSH2_CHANNEL* channel = nullptr;
    int fd = -1;
    QByteArray toFd;
    QByteArray toChannel;
    bool broken = false;
    ~Bridge()
    {
        if (channel)
            libssh2_channel_free(channel);
        if (fd >= 0)
            ::close(fd);
    }
};

struct SshMultiplexer::Client
{
    enum class Phase { Greeting, Credentials, Request, WaitOpen, Opening, Open, Closing };
    int fd = -1;
    Clock::time_point acceptedAt = Clock::now();
    Clock::time_point openingSince;
    Clock::time_point clientEofAt;
    Phase phase = Phase::Greeting;
    QByteArray in;
    QByteArray toClient;
    QByteArray toChannel;
    Socks5::Request request;
    LIBSSH2_CHANNEL* channel = nullptr;
    bool clientEof = false;
    bool eofSent = false;
    bool channelEof = false;
    bool dead = false;
    bool writeBlocked = false; // the last channel write said EAGAIN: its packet may be half sent
    Clock::time_point drainUntil;
};

struct SshMultiplexer::Exec
{
    enum class Phase { WaitOpen, Opening, Starting, Reading, Closing, Done };
    quint64 id = 0; // 0: the session's own question about timeout(1)
    QByteArray commandLine;
    QByteArray boundedLine;
    Clock::time_point deadline;
    Phase phase = Phase::WaitOpen;
    Clock::time_point openingSince;
    LIBSSH2_CHANNEL* channel = nullptr;
    CommandOutcome outcome;
    bool reported = false;
    bool cancelled = false;
    bool lost = false;
};

SshMultiplexer::SshMultiplexer(SshSpec spec, PassphraseSource passphrases, SshTunnel* owner)
    : m_spec(std::move(spec))
    , m_passphrases(std::move(passphrases))
    , m_owner(owner)
{
    // The SOCKS password: random per tunnel, known only to this process.
    for (int i = 0; i < 4; ++i)
        m_secret += QByteArray::number(QRandomGenerator::system()->generate64(), 36);
    if (::pipe(m_wake) == 0) {
        setNonBlocking(m_wake[0]);
        setNonBlocking(m_wake[1]);
    }
}

SshMultiplexer::~SshMultiplexer()
{
    disconnectAll(QString());
    if (m_listenFd >= 0)
        ::close(m_listenFd);
    for (int fd : m_wake) {
        if (fd >= 0)
            ::close(fd);
    }
}

bool SshMultiplexer::listen()
{
    m_listenFd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (m_listenFd < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    if (::bind(m_listenFd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0
        || ::listen(m_listenFd, 128) != 0
        || ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        return false;
    setNonBlocking(m_listenFd);
    m_port = ntohs(address.sin_port);
    return true;
}

bool SshMultiplexer::forwardingRefused(const QString& host, quint16 port) const
{
    std::lock_guard lock(m_refusedMutex);
    return m_refused.contains(formatHostPort(host, port));
}

void SshMultiplexer::stop()
{
    m_stop = true;
    const char byte = 's';
    [[maybe_unused]] const auto n = ::write(m_wake[1], &byte, 1);
}

void SshMultiplexer::retryNow()
{
    m_retryNow = true;
    const char byte = 'r';
    [[maybe_unused]] const auto n = ::write(m_wake[1], &byte, 1);
}

void SshMultiplexer::submitExec(quint64 id, const QByteArray& commandLine, const QByteArray& boundedLine,
                                std::chrono::milliseconds timeout)
{
    {
        std::lock_guard lock(m_mutex);
        m_submitted.push_back({id, commandLine, boundedLine, timeout});
    }
    const char byte = 'e';
    [[maybe_unused]] const auto n = ::write(m_wake[1], &byte, 1);
}

void SshMultiplexer::cancelExec(quint64 id)
{
    {
        std::lock_guard lock(m_mutex);
        m_cancelled.push_back(id);
    }
    const char byte = 'c';
    [[maybe_unused]] const auto n = ::write(m_wake[1], &byte, 1);
}

void SshMultiplexer::report(int state, SshFailure failure, const QString& error)
{
    SshTunnel* owner = m_owner;
    QMetaObject::invokeMethod(
        owner, [owner, state, failure, error] { owner->reportState(SshTunnel::State(state), failure, error); },
        Qt::QueuedConnection);
}

int SshMultiplexer::connectTcp(const SshEndpoint& endpoint, Clock::time_point deadline, SshFailure* failure,
                               QString* error)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const QByteArray host = endpoint.host.toUtf8();
    const QByteArray port = QByteArray::number(endpoint.port);
    const QString where = formatHostPort(endpoint.host, endpoint.port);
    if (const int rc = ::getaddrinfo(host.constData(), port.constData(), &hints, &found); rc != 0) {
        *failure = SshFailure::Dns;
        *error = Text::tr("cannot resolve %1: %2").arg(endpoint.host, QString::fromLocal8Bit(gai_strerror(rc)));
        return -1;
    }
    int lastErrno = 0;
    for (addrinfo* a = found; a; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0)
            continue;
        setNonBlocking(fd);
        if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
            lastErrno = errno;
            ::close(fd);
            continue;
        }
        pollfd p{fd, POLLOUT, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (::poll(&p, 1, int(std::max<qint64>(0, left))) <= 0) {
            ::close(fd);
            ::freeaddrinfo(found);
            *failure = SshFailure::Timeout;
            *error = Text::tr("no TCP connection to %1 within %2 s").arg(where).arg(m_spec.connectTimeout.count());
            return -1;
        }
        int soError = 0;
        socklen_t length = sizeof(soError);
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length);
        if (soError == 0) {
            ::freeaddrinfo(found);
            setNoDelay(fd);
            // A peer that vanished without a reset (network partition): our keepalives go
            // unacknowledged and the kernel fails the socket after this long.
            const unsigned userTimeoutMs = unsigned(3 * m_spec.keepalive.count() * 1000 + 5000);
            ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &userTimeoutMs, sizeof(userTimeoutMs));
            return fd;
        }
        lastErrno = soError;
        ::close(fd);
    }
    ::freeaddrinfo(found);
    *failure = lastErrno == ECONNREFUSED ? SshFailure::Refused : SshFailure::Other;
    *error = Text::tr("cannot connect to %1: %2").arg(where, QString::fromLocal8Bit(std::strerror(lastErrno)));
    return -1;
}

LIBSSH2_CHANNEL* SshMultiplexer::openDirectTcpip(const QString& host, quint16 port, Clock::time_point deadline,
                                                 QString* error)
{
    Hop& hop = *m_hops.back();
    const QByteArray h = host.toUtf8();
    for (;;) {
        LIBSSH2_CHANNEL* channel
            = libssh2_channel_direct_tcpip_ex(hop.session->handle(), h.constData(), port, "127.0.0.1", 0);
        if (channel)
            return channel;
        if (libssh2_session_last_errno(hop.session->handle()) != LIBSSH2_ERROR_EAGAIN) {
            *error = lastSessionError(hop.session->handle());
            return nullptr;
        }
        if (!hop.session->waitSocket(deadline)) {
            *error = Text::tr("timed out");
            return nullptr;
        }
    }
}

bool SshMultiplexer::connectAll()
{
    disconnectAll(QString());
    report(int(SshTunnel::State::Connecting), SshFailure::None, QString());
    const auto deadline = Clock::now() + m_spec.connectTimeout;
    QList<SshEndpoint> route = m_spec.jumps;
    route.append(m_spec.target);

    SshFailure failure = SshFailure::None;
    QString error;
    auto hop = std::make_unique<Hop>();
    hop->socket = connectTcp(route.first(), deadline, &failure, &error);
    if (hop->socket < 0) {
        report(int(SshTunnel::State::Down), failure, error);
        return false;
    }
    for (int i = 0; i < route.size(); ++i) {
        if (i > 0) {
            // Through the previous hop, like ProxyJump: a direct-tcpip channel bridged to a
            // socketpair whose other end carries the next session.
            QString openError;
            LIBSSH2_CHANNEL* channel = openDirectTcpip(route.at(i).host, route.at(i).port, deadline, &openError);
            if (!channel) {
                const bool prohibited = openError.contains(QLatin1String("prohibited"));
                report(int(SshTunnel::State::Down), prohibited ? SshFailure::ForwardingRefused : SshFailure::Other,
                       Text::tr("jump host %1 cannot reach %2: %3")
                           .arg(formatHostPort(route.at(i - 1).host, route.at(i - 1).port),
                                formatHostPort(route.at(i).host, route.at(i).port), openError));
                disconnectAll(QString());
                return false;
            }
            int pair[2];
            if (::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) {
                libssh2_channel_free(channel);
                report(int(SshTunnel::State::Down), SshFailure::Other, Text::tr("cannot create a socket pair"));
                disconnectAll(QString());
                return false;
            }
            setNonBlocking(pair[0]);
            setNonBlocking(pair[1]);
            auto bridge = std::make_unique<Bridge>();
            bridge->session = m_hops.back()->session->handle();
            bridge->channel = channel;
            bridge->fd = pair[1];
            m_bridges.push_back(std::move(bridge));
            hop = std::make_unique<Hop>();
            hop->socket = pair[0];
        }
        hop->session = std::make_unique<SshSession>();
        if (i > 0)
            hop->session->setIdleHook([this] { pumpBridges(); });
        const bool ok = hop->session->login(hop->socket, route.at(i), m_passphrases, deadline);
        if (!ok) {
            const SshFailure why = hop->session->failure();
            const SshHostKey& offered = hop->session->hostKey();
            if ((why == SshFailure::HostKeyUnknown || why == SshFailure::HostKeyChanged)
                && !(offered == m_reportedKey && why == m_reportedKeyFailure)) {
                m_reportedKey = offered;
                m_reportedKeyFailure = why;
                SshTunnel* owner = m_owner;
                QMetaObject::invokeMethod(
                    owner, [owner, offered, why] { owner->reportHostKey(offered, why); }, Qt::QueuedConnection);
            }
            report(int(SshTunnel::State::Down), why, hop->session->error());
            m_hops.push_back(std::move(hop));
            disconnectAll(QString());
            return false;
        }
        // No reply wanted: libssh2 1.10 keeps unclaimed REQUEST_FAILURE replies forever
        // (libssh2#623). A dead peer shows as unacknowledged keepalives (TCP_USER_TIMEOUT).
        libssh2_keepalive_config(hop->session->handle(), 0, unsigned(m_spec.keepalive.count()));
        m_hops.push_back(std::move(hop));
    }
    // One idle session channel: reading it lets libssh2 consume whatever the server sends
    // while no probe runs (its own keepalives, global requests), so the socket never stays
    // readable with nobody reading it.
    while (!(m_pump = libssh2_channel_open_session(m_hops.back()->session->handle()))
           && libssh2_session_last_errno(m_hops.back()->session->handle()) == LIBSSH2_ERROR_EAGAIN) {
        if (!m_hops.back()->session->waitSocket(deadline))
            break;
    }
    if (!m_pump)
        qCWarning(lcSsh) << "no idle channel:" << lastSessionError(m_hops.back()->session->handle());
    {
        std::lock_guard lock(m_refusedMutex);
        m_refused.clear(); // a reconnect may follow a configuration change on the server
    }
    m_up = true;
    ++m_epoch;
    m_connectedNow = true;
    m_broken = false;
    m_backoffSeconds = 1;
    m_lastKeepalive = Clock::now();
    // The target's key as this login accepted it (Test Connection shows its fingerprint);
    // queued before the state, so it is there when "up" arrives.
    SshTunnel* owner = m_owner;
    const SshHostKey key = m_hops.back()->session->hostKey();
    QMetaObject::invokeMethod(
        owner, [owner, key] { owner->reportLoggedIn(key); }, Qt::QueuedConnection);
    report(int(SshTunnel::State::Up), SshFailure::None, QString());
    return true;
}

void SshMultiplexer::disconnectAll(const QString& reason)
{
    m_timeoutTool = TimeoutTool::Unknown;
    m_congestedSince = {};
    m_connectedNow = false;
    if (m_pump)
        libssh2_channel_free(m_pump);
    m_pump = nullptr;
    for (auto& closing : m_closing)
        libssh2_channel_free(closing.channel);
    m_closing.clear();
    for (Client& c : m_clients) {
        if (c.channel)
            libssh2_channel_free(c.channel);
        c.channel = nullptr;
        if (c.fd >= 0)
            ::close(c.fd);
        c.fd = -1;
    }
    m_clients.clear();
    for (Exec& e : m_execs) {
        if (e.channel)
            libssh2_channel_free(e.channel);
        e.channel = nullptr;
        if (!e.reported && !reason.isEmpty() && e.id != 0) {
            CommandOutcome outcome = e.outcome;

            outcome.startError = Text::tr("cannot reach deployment: %1").arg(reason);
            outcome.transportFailed = true;
            SshTunnel* owner = m_owner;
            const quint64 id = e.id;
            QMetaObject::invokeMethod(
                owner, [owner, id, outcome] { owner->reportExec(id, outcome); }, Qt::QueuedConnection);
        }
    }
    m_execs.clear();
    // Channels before their sessions, sessions from the target back to the first hop.
    m_bridges.clear();
    while (!m_hops.empty())
        m_hops.pop_back();
    m_up = false;
}

void SshMultiplexer::pumpBridges()
{
    char buffer[32 * 1024];
    for (auto& b : m_bridges) {
        if (b->broken)
            continue;
        for (;;) {
            const ssize_t n = libssh2_channel_read(b->channel, buffer, sizeof(buffer));
            if (n > 0) {
                b->toFd.append(buffer, qsizetype(n));
                continue;
            }
            if (n < 0 && !wouldBlock(n) && !readDeferred(b->session, n))
                b->broken = true;
            break;
        }
        if (!flushTo(b->fd, b->toFd))
            b->broken = true;
        for (;;) {
            const ssize_t n = ::recv(b->fd, buffer, sizeof(buffer), 0);
            if (n > 0) {
                b->toChannel.append(buffer, qsizetype(n));
                continue;
            }
            break;
        }
        while (!b->toChannel.isEmpty()) {
            const ssize_t n = libssh2_channel_write(b->channel, b->toChannel.constData(), size_t(b->toChannel.size()));
            if (n > 0)
                b->toChannel.remove(0, qsizetype(n));
            else {
                if (n != 0 && !wouldBlock(n)) // 0: the window is full for now
                    b->broken = true;
                break;
            }
        }
    }
}

void SshMultiplexer::acceptClients()
{
    constexpr size_t MaxClients = 256;
    for (;;) {
        if (m_clients.size() >= MaxClients)
            return; // the rest wait in the listen backlog
        const int fd = ::accept(m_listenFd, nullptr, nullptr);
        if (fd < 0)
            return;
        setNonBlocking(fd);
        setNoDelay(fd);
        Client c;
        c.fd = fd;
        m_clients.push_back(std::move(c));
    }
}

bool SshMultiplexer::sessionBroken(int rc) const
{
    return rc == LIBSSH2_ERROR_SOCKET_SEND || rc == LIBSSH2_ERROR_SOCKET_RECV || rc == LIBSSH2_ERROR_SOCKET_DISCONNECT
        || rc == LIBSSH2_ERROR_SOCKET_TIMEOUT || rc == LIBSSH2_ERROR_TIMEOUT || rc == LIBSSH2_ERROR_DECRYPT;
}

void SshMultiplexer::serviceClient(Client& c)
{
    char buffer[32 * 1024];
    if (c.phase != Client::Phase::Open && c.phase != Client::Phase::Closing) {
        for (;;) {
            const ssize_t n = ::recv(c.fd, buffer, sizeof(buffer), 0);
            if (n > 0) {
                c.in.append(buffer, qsizetype(n));
                continue;
            }
            if (n == 0)
                c.clientEof = true;
            break;
        }
    }
    if ((c.phase == Client::Phase::Greeting || c.phase == Client::Phase::Credentials
         || c.phase == Client::Phase::Request)
        && Clock::now() - c.acceptedAt > std::chrono::seconds(5)) {
        c.dead = true; // a local client that never completes its SOCKS request
        return;
    }
    if (c.phase == Client::Phase::Greeting) {
        const int used = Socks5::parseGreeting(c.in);
        if (used < 0) {
            c.toClient = Socks5::greetingReply(false);
            c.phase = Client::Phase::Closing;
        } else if (used > 0) {
            c.in.remove(0, used);
            c.toClient = Socks5::greetingReply(true);
            c.phase = Client::Phase::Credentials;
        } else if (c.clientEof) {
            c.dead = true;
        }
    }
    if (c.phase == Client::Phase::Credentials) {
        QByteArray user;
        QByteArray password;
        const int used = Socks5::parseCredentials(c.in, &user, &password);
        if (used < 0) {
            c.phase = Client::Phase::Closing;
        } else if (used > 0) {
            c.in.remove(0, used);
            const bool accepted = user == QByteArrayLiteral("okhealth") && password == m_secret;
            c.toClient += Socks5::credentialsReply(accepted);
            c.phase = accepted ? Client::Phase::Request : Client::Phase::Closing;
        } else if (c.clientEof) {
            c.dead = true;
        }
    }
    if (c.phase == Client::Phase::Request) {
        const int used = Socks5::parseRequest(c.in, &c.request);
        if (used < 0) {
            c.toClient += Socks5::reply(Socks5::Reply::CommandNotSupported);
            c.phase = Client::Phase::Closing;
        } else if (used > 0) {
            c.in.remove(0, used);
            if (!m_up) {
                c.toClient += Socks5::reply(Socks5::Reply::GeneralFailure);
                c.phase = Client::Phase::Closing;
            } else {
                c.phase = Client::Phase::WaitOpen;
            }
        } else if (c.clientEof) {
            c.dead = true;
        }
    }
    if (c.phase == Client::Phase::WaitOpen || c.phase == Client::Phase::Opening) {
        // One open at a time (channelOpenInProgress); among the waiting, the first accepted goes.
        bool first = c.phase == Client::Phase::Opening || !channelOpenInProgress(&c);
        for (const Client& other : m_clients) {
            if (&other == &c || c.phase == Client::Phase::Opening)
                break;
            if (other.phase == Client::Phase::WaitOpen)
                first = false;
        }
        if (first) {
            if (c.phase != Client::Phase::Opening)
                c.openingSince = Clock::now();
            c.phase = Client::Phase::Opening;
            // libssh2 cannot abandon an open; one that never completes means a dead session.
            if (Clock::now() - c.openingSince > m_spec.connectTimeout) {
                m_broken = true;
                m_brokenReason = Text::tr("the SSH server did not answer a channel request within %1 s")
                                     .arg(m_spec.connectTimeout.count());
                return;
            }
            LIBSSH2_SESSION* session = m_hops.back()->session->handle();
            const QByteArray host = c.request.host.toUtf8();
            c.channel = libssh2_channel_direct_tcpip_ex(session, host.constData(), c.request.port, "127.0.0.1", 0);
            if (c.channel) {
                noteProgress();
                {
                    std::lock_guard lock(m_refusedMutex);
                    m_refused.removeAll(formatHostPort(c.request.host, c.request.port));
                }
                c.toClient += Socks5::reply(Socks5::Reply::Succeeded);
                c.toChannel = c.in;
                c.in.clear();
                c.phase = Client::Phase::Open;
            } else if (const int rc = libssh2_session_last_errno(session); wouldBlock(rc)) {
                noteBlocked(rc);
            } else {
                if (sessionBroken(rc)) {
                    m_broken = true;
                    m_brokenReason = lastSessionError(session);
                }
                const QString error = lastSessionError(session);
                qCDebug(lcSsh) << "direct-tcpip to" << c.request.host << c.request.port << "failed:" << error;
                if (socksReplyFor(error) == Socks5::Reply::NotAllowed) {
                    std::lock_guard lock(m_refusedMutex);
                    const QString target = formatHostPort(c.request.host, c.request.port);
                    if (!m_refused.contains(target))
                        m_refused.append(target);
                }
                c.toClient += Socks5::reply(socksReplyFor(error));
                c.phase = Client::Phase::Closing;
            }
        }
    }
    if (c.phase == Client::Phase::Open) {
        // local → channel
        if (c.toChannel.size() < MaxBuffered) {
            for (;;) {
                const ssize_t n = ::recv(c.fd, buffer, sizeof(buffer), 0);
                if (n > 0) {
                    c.toChannel.append(buffer, qsizetype(n));
                    if (c.toChannel.size() >= MaxBuffered)
                        break;
                    continue;
                }
                if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                    if (!c.clientEof)
                        c.clientEofAt = Clock::now();
                    c.clientEof = true;
                }
                break;
            }
        }
        c.writeBlocked = false;
        while (!c.toChannel.isEmpty()) {
            const ssize_t n = libssh2_channel_write(c.channel, c.toChannel.constData(), size_t(c.toChannel.size()));
            if (n > 0) {
                c.toChannel.remove(0, qsizetype(n));
                noteProgress();
                continue;
            }
            noteBlocked(n);
            c.writeBlocked = n == LIBSSH2_ERROR_EAGAIN;
            if (n != 0 && !wouldBlock(n)) { // 0: the remote window is full for now
                if (sessionBroken(int(n))) {
                    m_broken = true;
                    m_brokenReason = lastSessionError(m_hops.back()->session->handle());
                }
                c.dead = true;
            }
            break;
        }
        if (c.clientEof && c.toChannel.isEmpty() && !c.eofSent) {
            // 1.10 reports a send refused for congestion as SOCKET_SEND: try again, the packet
            // was not sent (a dead connection shows elsewhere and ends the client).
            const int rc = libssh2_channel_send_eof(c.channel);
            if (rc == 0 || (!wouldBlock(rc) && rc != LIBSSH2_ERROR_SOCKET_SEND))
                c.eofSent = true;
        }
        // channel → local
        while (c.toClient.size() < MaxBuffered) {
            const ssize_t n = libssh2_channel_read(c.channel, buffer, sizeof(buffer));
            if (n > 0) {
                c.toClient.append(buffer, qsizetype(n));
                noteProgress();
                continue;
            }
            if (n == 0 || wouldBlock(n) || readDeferred(m_hops.back()->session->handle(), n)) {
                if (libssh2_channel_eof(c.channel))
                    c.channelEof = true;
            } else {
                if (sessionBroken(int(n))) {
                    m_broken = true;
                    m_brokenReason = lastSessionError(m_hops.back()->session->handle());
                }
                c.channelEof = true;
            }
            break;
        }
        if (c.channelEof && c.toClient.isEmpty())
            c.dead = true;
        // The local side (a probe that gave up) is gone and the remote side keeps silent: do
        // not keep the channel for it.
        if (c.clientEof && Clock::now() - c.clientEofAt > std::chrono::seconds(5))
            c.dead = true;
        if (c.clientEof && c.channelEof)
            c.phase = Client::Phase::Closing;
    }
    if (!flushTo(c.fd, c.toClient)) {
        // An open in progress must run to its end (see channelOpenInProgress); the channel it
        // yields is then closed for the gone client.
        if (c.phase == Client::Phase::Opening)
            c.clientEof = true;
        else
            c.dead = true;
    }
    if (c.phase == Client::Phase::Closing && c.toClient.isEmpty())
        c.dead = true;
}

void SshMultiplexer::serviceExec(Exec& e)
{
    if (!m_up || e.phase == Exec::Phase::Done)
        return;
    LIBSSH2_SESSION* session = m_hops.back()->session->handle();
    const bool late = Clock::now() >= e.deadline;
    auto finishWith = [this, &e] {
        if (e.reported)
            return;
        e.reported = true;
        if (e.id == 0) {
            const bool gnu = e.outcome.started && !e.outcome.timedOut && e.outcome.exitCode == 0
                && e.outcome.stdoutTail.contains("GNU coreutils");
            m_timeoutTool = gnu ? TimeoutTool::Gnu : TimeoutTool::Missing;
            return;
        }
        SshTunnel* owner = m_owner;
        const quint64 id = e.id;
        const CommandOutcome outcome = e.outcome;
        QMetaObject::invokeMethod(
            owner, [owner, id, outcome] { owner->reportExec(id, outcome); }, Qt::QueuedConnection);
    };
    if ((late || e.cancelled) && !e.reported && e.phase != Exec::Phase::Opening) {
        e.outcome.timedOut = !e.cancelled;
        e.outcome.started = e.phase != Exec::Phase::WaitOpen;
        finishWith();
        if (!e.channel)
            e.phase = Exec::Phase::Done;
        else if (e.phase != Exec::Phase::Starting) // its request must be sent whole first
            e.phase = Exec::Phase::Closing;
    }
    if (e.phase == Exec::Phase::WaitOpen) {
        // sshd's MaxSessions is 10 by default (one is our idle channel): queue beyond 8.
        int active = 0;
        for (const Exec& other : m_execs) {
            if (other.phase != Exec::Phase::WaitOpen && other.phase != Exec::Phase::Done)
                ++active;
        }
        if (active >= 8 || channelOpenInProgress(&e))
            return;
        if (e.id != 0) {
            if (m_timeoutTool == TimeoutTool::Unknown || m_timeoutTool == TimeoutTool::Asking)
                return; // the answer comes first
            if (m_timeoutTool == TimeoutTool::Gnu && !e.boundedLine.isEmpty())
                e.commandLine = e.boundedLine;
        }
        e.phase = Exec::Phase::Opening;
        e.openingSince = Clock::now();
    }
    if (e.phase == Exec::Phase::Opening) {
        e.channel = libssh2_channel_open_session(session);
        if (!e.channel) {
            const int rc = libssh2_session_last_errno(session);
            if (wouldBlock(rc)) {
                noteBlocked(rc);
                // libssh2 cannot abandon an open; one that never completes means a dead session.
                if (Clock::now() - e.openingSince > m_spec.connectTimeout) {
                    m_broken = true;
                    m_brokenReason = Text::tr("the SSH server did not answer a channel request within %1 s")
                                         .arg(m_spec.connectTimeout.count());
                }
                return;
            }

            e.outcome.startError = Text::tr("cannot open an exec channel: %1").arg(lastSessionError(session));
            e.outcome.transportFailed = true;
            if (sessionBroken(rc)) {
                m_broken = true;
                m_brokenReason = lastSessionError(session);
            }
            finishWith();
            e.phase = Exec::Phase::Done;
            return;
        }
        noteProgress();
        e.phase = (late || e.cancelled) ? Exec::Phase::Closing : Exec::Phase::Starting;
    }
    if (e.phase == Exec::Phase::Starting) {
        const int rc = libssh2_channel_process_startup(e.channel, "exec", 4, e.commandLine.constData(),
                                                       unsigned(e.commandLine.size()));
        // Only EAGAIN is worth waiting for: after BAD_USE (congestion) libssh2 1.10 has given the
        // request up and would say BAD_USE for ever.
        if (rc == LIBSSH2_ERROR_EAGAIN)
            return;
        if (e.reported) {
            e.phase = Exec::Phase::Closing; // timed out or cancelled while starting
        } else if (rc == LIBSSH2_ERROR_BAD_USE) {
            // The request could not go out (congestion): the monitor's trouble, not the command's.
            e.outcome.startError = Text::tr("cannot start the command: the SSH connection is congested");
            e.outcome.transportFailed = true;
            finishWith();
            e.phase = Exec::Phase::Closing;
        } else if (rc != 0) {
            e.outcome.startError
                = Text::tr("the SSH server refused to run the command: %1").arg(lastSessionError(session));
            finishWith();
            e.phase = Exec::Phase::Closing;
        } else {
            e.outcome.started = true;
            e.phase = Exec::Phase::Reading;
        }
    }
    if (e.phase == Exec::Phase::Reading) {
        char buffer[16 * 1024];
        bool progress = true;
        while (progress) {
            progress = false;
            const ssize_t out = libssh2_channel_read(e.channel, buffer, sizeof(buffer));
            if (out > 0) {
                appendOutputTail(e.outcome.stdoutTail, QByteArray(buffer, qsizetype(out)));
                progress = true;
            }
            const ssize_t err = libssh2_channel_read_stderr(e.channel, buffer, sizeof(buffer));
            if (err > 0) {
                appendOutputTail(e.outcome.stderrTail, QByteArray(buffer, qsizetype(err)));
                progress = true;
            }
            const auto failed
                = [session](ssize_t rc) { return rc < 0 && !wouldBlock(rc) && !readDeferred(session, rc); };
            if (failed(out) || failed(err)) {
                if (sessionBroken(int(out < 0 ? out : err))) {
                    m_broken = true;
                    m_brokenReason = lastSessionError(session);
                }
                e.lost = true;
                e.phase = Exec::Phase::Closing;
                break;
            }
        }
        if (libssh2_channel_eof(e.channel))
            e.phase = Exec::Phase::Closing;
    }
    if (e.phase == Exec::Phase::Closing) {
        const int rc = libssh2_channel_close(e.channel);
        if (wouldBlock(rc))
            return;
        const int closed = rc == 0 ? libssh2_channel_wait_closed(e.channel) : rc;
        if (wouldBlock(closed))
            return;
        // get_exit_status() says 0 when no exit-status ever came: trust it only after a clean
        // close, or a lost connection would read as success.
        if (closed != 0 || e.lost) {
            if (e.outcome.startError.isEmpty())

                e.outcome.startError = Text::tr("the connection was lost while the command ran");
            e.outcome.transportFailed = true;
        }
        e.outcome.exitCode = libssh2_channel_get_exit_status(e.channel);
        char* signal = nullptr;
        libssh2_channel_get_exit_signal(e.channel, &signal, nullptr, nullptr, nullptr, nullptr, nullptr);
        if (signal) {
            e.outcome.crashed = true;
            libssh2_free(session, signal);
        }
        libssh2_channel_free(e.channel);
        e.channel = nullptr;
        finishWith();
        e.phase = Exec::Phase::Done;
    }
}

void SshMultiplexer::drainWakePipe()
{
    char buffer[64];
    while (::read(m_wake[0], buffer, sizeof(buffer)) > 0) { }
}

void SshMultiplexer::takeSubmissions()
{
    std::vector<Submission> submitted;
    std::vector<quint64> cancelled;
    {
        std::lock_guard lock(m_mutex);
        submitted.swap(m_submitted);
        cancelled.swap(m_cancelled);
    }
    for (const auto& s : submitted) {
        Exec e;
        e.id = s.id;
        e.commandLine = s.commandLine;
        e.boundedLine = s.boundedLine;
        e.deadline = Clock::now() + s.timeout;
        if (!m_up) {

            e.outcome.startError = Text::tr("cannot reach deployment: %1")
                                       .arg(m_brokenReason.isEmpty() ? Text::tr("not connected") : m_brokenReason);
            e.outcome.transportFailed = true;
            SshTunnel* owner = m_owner;
            const quint64 id = e.id;
            const CommandOutcome outcome = e.outcome;
            QMetaObject::invokeMethod(
                owner, [owner, id, outcome] { owner->reportExec(id, outcome); }, Qt::QueuedConnection);
            continue;
        }
        m_execs.push_back(std::move(e));
        if (m_timeoutTool == TimeoutTool::Unknown) {
            // Closing a channel does not stop its command: commands run under GNU timeout(1)
            // where the host has it, or a hung check would leave a process behind per run.
            // "timeout --version" tells GNU's from others (busybox, BSD), whose options differ.
            Exec ask;
            ask.commandLine = QByteArrayLiteral("timeout --version");
            ask.deadline = Clock::now() + m_spec.connectTimeout;
            m_execs.push_front(std::move(ask));
            m_timeoutTool = TimeoutTool::Asking;
        }
    }
    for (quint64 id : cancelled) {
        for (Exec& e : m_execs) {
            if (e.id == id) {
                e.cancelled = true;
                e.reported = true; // the job is gone; nobody waits for the outcome
            }
        }
    }
}

void SshMultiplexer::drainPump()
{
    if (!m_pump)
        return;
    char buffer[1024];
    for (;;) {
        const ssize_t n = libssh2_channel_read(m_pump, buffer, sizeof(buffer));
        if (n > 0)
            continue;
        LIBSSH2_SESSION* session = m_hops.back()->session->handle();
        if (n < 0 && !wouldBlock(n) && !readDeferred(session, n) && sessionBroken(int(n))) {
            m_broken = true;
            m_brokenReason = lastSessionError(session);
        }
        break;
    }
}

void SshMultiplexer::retire(LIBSSH2_CHANNEL* channel)
{
    // On a non-blocking session free() waits for the remote CLOSE and says EAGAIN meanwhile:
    // keep retrying, or the channel (and libssh2's per-channel lookups) would pile up.
    if (wouldBlock(libssh2_channel_free(channel)))
        m_closing.push_back({channel, Clock::now() + std::chrono::seconds(10)});
}

void SshMultiplexer::retryRetired()
{
    const auto now = Clock::now();
    std::erase_if(m_closing, [now](const Retired& r) {
        const int rc = libssh2_channel_free(r.channel);
        return !wouldBlock(rc) || now >= r.giveUpAt;
    });
}

// libssh2 holds one half-sent packet per session and refuses every other packet until the write
// that began it is repeated: a gone client's blocked write is finished (for up to 5 s) before its
// channel closes, or the whole session would stall. True when the client can go.
bool SshMultiplexer::finishBlockedWrite(Client& c)
{
    if (!c.channel || !c.writeBlocked || c.toChannel.isEmpty())
        return true;
    if (c.fd >= 0) {
        ::close(c.fd); // nobody reads the answer any more
        c.fd = -1;
        c.drainUntil = Clock::now() + std::chrono::seconds(5);
    }
    const ssize_t n = libssh2_channel_write(c.channel, c.toChannel.constData(), size_t(c.toChannel.size()));
    if (wouldBlock(n) && Clock::now() < c.drainUntil)
        return false;
    if (n < 0 && Clock::now() >= c.drainUntil) {
        // The half-sent packet stays in libssh2 and would block every other one: start over.
        m_broken = true;
        m_brokenReason = Text::tr("the connection to the SSH server stopped taking data");
    }
    c.writeBlocked = false;
    return true;
}

// Congestion (BAD_USE) is back-pressure only while the packet that causes it gets finished. When
// nothing moves for connectTimeout while BAD_USE goes on, that packet was abandoned and the
// session can send nothing any more: reconnect.
void SshMultiplexer::noteBlocked(ssize_t rc)
{
    if (rc == LIBSSH2_ERROR_BAD_USE && m_congestedSince == Clock::time_point{})
        m_congestedSince = Clock::now();
}

void SshMultiplexer::noteProgress()
{
    m_congestedSince = {};
}

void SshMultiplexer::checkCongestion()
{
    if (m_congestedSince != Clock::time_point{} && Clock::now() - m_congestedSince > m_spec.connectTimeout) {
        m_broken = true;
        m_brokenReason = Text::tr("the connection to the SSH server stopped taking data");
    }
}

// libssh2 keeps the state of a single channel open per session: a call made while another open
// is in progress completes that one, whatever host and port it names, and hands its channel to
// the wrong client. So a session has one opener at a time, client or exec.
bool SshMultiplexer::channelOpenInProgress(const void* except) const
{
    for (const Client& c : m_clients) {
        if (&c != except && c.phase == Client::Phase::Opening)
            return true;
    }
    for (const Exec& e : m_execs) {
        if (&e != except && e.phase == Exec::Phase::Opening)
            return true;
    }
    return false;
}

bool SshMultiplexer::transportIdle() const
{
    for (const Client& c : m_clients) {
        if (c.phase == Client::Phase::Opening || !c.toChannel.isEmpty())
            return false;
    }
    for (const Exec& e : m_execs) {
        if (e.phase != Exec::Phase::Reading && e.phase != Exec::Phase::WaitOpen && e.phase != Exec::Phase::Done)
            return false;
    }
    for (const auto& b : m_bridges) {
        if (!b->toChannel.isEmpty())
            return false;
    }
    return true;
}

void SshMultiplexer::sendKeepalive()
{
    // libssh2 keeps one partially sent packet per session; a keepalive squeezed in while a
    // channel request is half sent corrupts that request (seen with libssh2 1.10: the exec's
    // output never reached its channel). So keepalives go out only between operations.
    const auto now = Clock::now();
    if (now - m_lastKeepalive >= m_spec.keepalive && transportIdle()) {
        m_lastKeepalive = now;
        for (auto& hop : m_hops) {
            int next = 0;
            const int rc = libssh2_keepalive_send(hop->session->handle(), &next);
            if (rc != 0 && !wouldBlock(rc) && sessionBroken(rc)) {
                m_broken = true;
                m_brokenReason = lastSessionError(hop->session->handle());
            }
        }
    }
}

void SshMultiplexer::run()
{
    m_nextAttempt = Clock::now();
    while (!m_stop) {
        if (!m_up && Clock::now() >= m_nextAttempt) {
            if (!connectAll()) {
                m_nextAttempt = Clock::now() + std::chrono::seconds(m_backoffSeconds);
                m_backoffSeconds = std::min(MaxBackoffSeconds, m_backoffSeconds * 2);
            }
            if (m_stop)
                break;
        }

        std::vector<pollfd> fds;
        fds.push_back({m_wake[0], POLLIN, 0});
        fds.push_back({m_listenFd, POLLIN, 0});
        const size_t firstHop = fds.size();
        for (auto& hop : m_hops) {
            short events = POLLIN;
            if (libssh2_session_block_directions(hop->session->handle()) & LIBSSH2_SESSION_BLOCK_OUTBOUND)
                events |= POLLOUT;
            fds.push_back({hop->socket, events, 0});
        }
        for (auto& b : m_bridges)
            fds.push_back({b->fd, short(POLLIN | (b->toFd.isEmpty() ? 0 : POLLOUT)), 0});
        bool busy = false;
        for (Client& c : m_clients) {
            short events = (c.toChannel.size() < MaxBuffered && !c.clientEof && !c.dead) ? POLLIN : 0;
            if (!c.toClient.isEmpty())
                events |= POLLOUT;
            fds.push_back({c.fd, events, 0});
            busy = busy || c.phase == Client::Phase::WaitOpen || c.phase == Client::Phase::Opening
                || !c.toChannel.isEmpty();
        }
        busy = busy || !m_execs.empty();
        int timeoutMs = busy ? 5 : 250;
        if (!m_up) {
            const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(m_nextAttempt - Clock::now());
            timeoutMs = int(std::clamp<qint64>(wait.count(), 0, 250));
        }
        ::poll(fds.data(), nfds_t(fds.size()), timeoutMs);

        if (fds[0].revents)
            drainWakePipe();
        if (m_retryNow.exchange(false) && !m_up) {
            m_nextAttempt = Clock::now();
            m_backoffSeconds = 1;
        }
        takeSubmissions();
        if (fds[1].revents & POLLIN)
            acceptClients();
        if (m_up) {
            if (fds[firstHop].revents & (POLLERR | POLLNVAL)) {
                m_broken = true;
                m_brokenReason = Text::tr("the connection to the SSH server failed");
            }
            pumpBridges();
            for (auto& b : m_bridges) {
                if (b->broken) {
                    m_broken = true;
                    m_brokenReason = Text::tr("the connection through the jump host was lost");
                }
            }
        }
        if (m_up) {
            drainPump();
            retryRetired();
        }
        for (Client& c : m_clients) {
            if (!c.dead
                && (m_up || c.phase == Client::Phase::Greeting || c.phase == Client::Phase::Credentials
                    || c.phase == Client::Phase::Request || c.phase == Client::Phase::Closing))
                serviceClient(c);
            else if (!m_up)
                c.dead = true;
        }
        for (auto it = m_clients.begin(); it != m_clients.end();) {
            if (it->dead && m_up && !finishBlockedWrite(*it)) {
                ++it;
            } else if (it->dead) {
                if (it->channel)
                    retire(it->channel);
                if (it->fd >= 0)
                    ::close(it->fd);
                it = m_clients.erase(it);
            } else {
                ++it;
            }
        }
        for (Exec& e : m_execs)
            serviceExec(e);
        m_execs.remove_if([](const Exec& e) { return e.phase == Exec::Phase::Done; });
        if (m_up) {
            checkCongestion();
            sendKeepalive();
        }
        if (m_up && m_broken) {
            const QString reason = m_brokenReason;
            qCInfo(lcSsh) << "connection lost:" << reason;
            disconnectAll(reason);
            report(int(SshTunnel::State::Down), SshFailure::Disconnected, reason);
            m_nextAttempt = Clock::now() + std::chrono::seconds(m_backoffSeconds);
        }
    }
    disconnectAll(Text::tr("monitor stopped"));
}

} // namespace okh
