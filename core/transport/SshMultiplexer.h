#pragma once

#include "SshEndpoint.h"
#include "SshSession.h"
#include "exec/CommandExecutor.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <atomic>
#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <vector>

struct _LIBSSH2_CHANNEL;
typedef struct _LIBSSH2_CHANNEL LIBSSH2_CHANNEL;

namespace okh {

class SshTunnel;

// The tunnel's thread: one poll() loop over the SSH socket(s), the SOCKS5 listener, its
// clients and a wake-up pipe, pumping bytes between local sockets and libssh2 channels.
// libssh2 is used non-blocking throughout; nothing here touches Qt objects of other threads
// except through queued calls to the owning SshTunnel.
class SshMultiplexer
{
public:
    SshMultiplexer(SshSpec spec, PassphraseSource passphrases, SshTunnel* owner);
    ~SshMultiplexer();

    bool listen(); // the SOCKS5 listener on 127.0.0.1, before the thread starts
    quint16 port() const { return m_port; }
    QByteArray secret() const { return m_secret; }
    void run();

    // Thread-safe.
    void stop();
    // `boundedLine` runs the same command under GNU timeout(1): used when the host has it.
    void submitExec(quint64 id, const QByteArray& commandLine, const QByteArray& boundedLine,
                    std::chrono::milliseconds timeout);
    void cancelExec(quint64 id);
    // The next connection attempt starts at once, not after the backoff (a host key was just
    // trusted, a passphrase given).
    void retryNow();
    // Read from any thread; set before sockets are closed, so a probe that sees its connection
    // drop can already tell that the tunnel, not the service, went away.
    bool connectedNow() const { return m_connectedNow; }
    quint64 epoch() const { return m_epoch; }
    bool forwardingRefused(const QString& host, quint16 port) const;

private:
    using Clock = std::chrono::steady_clock;
    struct Hop;
    struct Client;
    struct Exec;
    struct Bridge;

    bool connectAll();
    void disconnectAll(const QString& reason);
    int connectTcp(const SshEndpoint& endpoint, Clock::time_point deadline, SshFailure* failure, QString* error);
    LIBSSH2_CHANNEL* openDirectTcpip(const QString& host, quint16 port, Clock::time_point deadline, QString* error);
    void pumpBridges();
    void acceptClients();
    void serviceClient(Client& client);
    void serviceExec(Exec& exec);
    void drainWakePipe();
    void takeSubmissions();
    void sendKeepalive();
    bool finishBlockedWrite(Client& client);
    void noteBlocked(ssize_t rc);
    void noteProgress();
    void checkCongestion();
    bool channelOpenInProgress(const void* except) const;
    bool transportIdle() const;
    void drainPump();
    void retire(LIBSSH2_CHANNEL* channel);
    void retryRetired();
    bool sessionBroken(int rc) const;
    void report(int state, SshFailure failure, const QString& error);

    SshSpec m_spec;
    PassphraseSource m_passphrases;
    SshTunnel* m_owner;
    int m_listenFd = -1;
    QByteArray m_secret;
    int m_wake[2] = {-1, -1};
    quint16 m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_retryNow{false};
    std::atomic<bool> m_connectedNow{false};
    std::atomic<quint64> m_epoch{0};

    std::vector<std::unique_ptr<Hop>> m_hops; // jump hosts, then the target; the last one carries the channels
    std::vector<std::unique_ptr<Bridge>> m_bridges;
    std::list<Client> m_clients;
    std::list<Exec> m_execs;
    // Whether the host has GNU timeout(1), asked once per session before the first command.
    enum class TimeoutTool { Unknown, Asking, Gnu, Missing };
    TimeoutTool m_timeoutTool = TimeoutTool::Unknown;
    // The last key reported as unknown or changed: a retry that meets it again asks nobody.
    SshHostKey m_reportedKey;
    SshFailure m_reportedKeyFailure = SshFailure::None;
    bool m_up = false;
    bool m_broken = false;
    Clock::time_point m_congestedSince; // first BAD_USE since the last progress; zero: none
    QString m_brokenReason;
    int m_backoffSeconds = 1;
    Clock::time_point m_nextAttempt;
    LIBSSH2_CHANNEL* m_pump = nullptr; // an idle session channel, read to consume server traffic
    struct Retired
    {
        LIBSSH2_CHANNEL* channel;
        Clock::time_point giveUpAt;
    };
    std::vector<Retired> m_closing; // channels whose free() is still waiting for the remote CLOSE
    Clock::time_point m_lastKeepalive;

    std::mutex m_mutex; // guards the two queues below
    struct Submission
    {
        quint64 id;
        QByteArray commandLine;
        QByteArray boundedLine;
        std::chrono::milliseconds timeout;
    };
    std::vector<Submission> m_submitted;
    std::vector<quint64> m_cancelled;
    mutable std::mutex m_refusedMutex;
    QStringList m_refused; // "host:port" the server would not forward to (administratively prohibited)
};

} // namespace okh
