#include "SshTunnel.h"

#include "SshMultiplexer.h"
#include "exec/ExecContext.h"
#include "util/LogCategories.h"

#include <QThread>
#include <libssh2.h>

namespace okh {

namespace {

// libssh2_init is not thread-safe; do it once, before any tunnel thread starts.
void initLibssh2Once()
{
    static const int rc = libssh2_init(0);
    Q_UNUSED(rc);
}

} // namespace

// An exec channel's job, seen from the probe's thread.
class SshCommandJob : public CommandJob
{
public:
    SshCommandJob(SshTunnel* tunnel, QStringList argv, std::chrono::milliseconds timeout)
        : m_tunnel(tunnel)
        , m_argv(std::move(argv))
        , m_timeout(timeout)
    {
        connect(tunnel, &SshTunnel::execFinished, this, [this](quint64 id, const CommandOutcome& outcome) {
            if (id != m_id || m_done)
                return;
            m_done = true;
            Q_EMIT finished(outcome);
        });
    }
    ~SshCommandJob() override { kill(); }

    void start() override { m_id = m_tunnel ? m_tunnel->startExec(m_argv, m_timeout) : 0; }
    void kill() override
    {
        if (m_id && !m_done && m_tunnel) {
            m_done = true;
            m_tunnel->cancelExec(m_id);
        }
    }

private:
    QPointer<SshTunnel> m_tunnel;
    QStringList m_argv;
    std::chrono::milliseconds m_timeout;
    quint64 m_id = 0;
    bool m_done = false;
};

SshTunnel::SshTunnel(SshSpec spec, PassphraseSource passphrases, QObject* parent)
    : QObject(parent)
    , m_spec(std::move(spec))
{
    initLibssh2Once();
    m_multiplexer = std::make_unique<SshMultiplexer>(m_spec, std::move(passphrases), this);
    if (m_multiplexer->listen())
        m_socksPort = m_multiplexer->port();
}

SshTunnel::~SshTunnel()
{
    if (m_thread) {
        m_multiplexer->stop();
        m_thread->wait();
    }
}

void SshTunnel::start()
{
    if (m_thread)
        return;
    if (m_socksPort == 0) {
        reportState(State::Down, SshFailure::Other, tr("cannot open the local tunnel endpoint on 127.0.0.1"));
        return;
    }
    SshMultiplexer* multiplexer = m_multiplexer.get();
    m_thread.reset(QThread::create([multiplexer] { multiplexer->run(); }));
    m_thread->setObjectName(QStringLiteral("ssh ") + m_spec.target.host);
    m_thread->start();
}

void SshTunnel::retryNow()
{
    m_multiplexer->retryNow();
}

bool SshTunnel::connectedNow() const
{
    return m_multiplexer->connectedNow();
}

quint64 SshTunnel::epochNow() const
{
    return m_multiplexer->epoch();
}

bool SshTunnel::forwardingRefused(const QString& host, quint16 port) const
{
    return m_multiplexer->forwardingRefused(host, port);
}

QNetworkProxy SshTunnel::proxy() const
{
    QNetworkProxy proxy(QNetworkProxy::Socks5Proxy, QStringLiteral("127.0.0.1"), m_socksPort,
                        QStringLiteral("okhealth"), QString::fromLatin1(m_multiplexer->secret()));
    // Host names travel to the SSH server unresolved, as with `ssh -L`.
    proxy.setCapabilities(proxy.capabilities() | QNetworkProxy::HostNameLookupCapability);
    return proxy;
}

QString SshTunnel::unreachableText() const
{
    return tr("cannot reach deployment: %1").arg(m_lastError.isEmpty() ? tr("not connected yet") : m_lastError);
}

std::unique_ptr<CommandJob> SshTunnel::create(const QStringList& argv, std::chrono::milliseconds timeout)
{
    return std::make_unique<SshCommandJob>(this, argv, timeout);
}

quint64 SshTunnel::startExec(const QStringList& argv, std::chrono::milliseconds timeout)
{
    static std::atomic<quint64> next{1};
    const quint64 id = next++;
    // The exec channel takes one command line; every argument is single-quoted for the remote
    // shell, so names from the deployment file cannot inject syntax there either.
    m_multiplexer->submitExec(id, shellJoin(argv).toUtf8(), shellJoin(boundedArgv(argv, timeout)).toUtf8(), timeout);
    return id;
}

void SshTunnel::cancelExec(quint64 id)
{
    m_multiplexer->cancelExec(id);
}

void SshTunnel::reportState(State state, SshFailure failure, const QString& error)
{
    if (state == State::Up)
        ++m_generation;
    if (!error.isEmpty())
        m_lastError = error;
    if (state == State::Up)
        m_lastError.clear();
    m_failure = failure;
    if (state == m_state && state != State::Down)
        return;
    m_state = state;
    qCInfo(lcSsh) << m_spec.target.host << state << error;
    Q_EMIT stateChanged(state, error);
}

void SshTunnel::reportHostKey(const SshHostKey& key, SshFailure failure)
{
    Q_EMIT hostKeyRejected(key, failure);
}

void SshTunnel::reportLoggedIn(const SshHostKey& key)
{
    m_hostKey = key;
}

void SshTunnel::reportExec(quint64 id, const CommandOutcome& outcome)
{
    Q_EMIT execFinished(id, outcome);
}

} // namespace okh
