#include "SshConnectionTest.h"

#include "transport/SshTunnel.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>
#include <QTimer>

namespace okh {

namespace {

// Lives on the test's thread: the tunnel is made, watched and destroyed there (its destructor
// joins the libssh2 thread), then the thread ends and takes this object with it.
class Attempt : public QObject
{
    Q_DECLARE_TR_FUNCTIONS(okh::SshConnectionTest)

public:
    Attempt(SshSpec spec, PassphraseSource passphrases, QPointer<SshConnectionTest> test)
        : m_spec(std::move(spec))
        , m_passphrases(std::move(passphrases))
        , m_test(test)
    { }

    void run()
    {
        m_tunnel = std::make_unique<SshTunnel>(m_spec, m_passphrases);
        connect(m_tunnel.get(), &SshTunnel::hostKeyRejected, this,
                [this](const SshHostKey& key, SshFailure) { m_rejected = key; });
        connect(m_tunnel.get(), &SshTunnel::stateChanged, this, [this](SshTunnel::State state, const QString& reason) {
            if (state == SshTunnel::State::Up)
                conclude({true, m_tunnel->hostKey(), SshFailure::None, {}});
            else if (state == SshTunnel::State::Down)
                conclude({false, m_rejected, m_tunnel->failure(), reason});
        });
        // Every hop may take its connect timeout, and the login some seconds more.
        const auto hops = 1 + m_spec.jumps.size();
        const auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>(m_spec.connectTimeout) * hops
            + std::chrono::seconds(10);
        QTimer::singleShot(deadline, this, [this, deadline] {
            conclude({false, m_rejected, SshFailure::Other,
                      tr("no answer within %n second(s)", nullptr,
                         int(std::chrono::duration_cast<std::chrono::seconds>(deadline).count()))});
        });
        m_tunnel->start();
    }

private:
    void conclude(const SshConnectionTest::Result& result)
    {
        if (m_done)
            return;
        m_done = true;
        QPointer<SshConnectionTest> test = m_test;
        QMetaObject::invokeMethod(test, [test, result] {
            if (test)
                Q_EMIT test->finished(result);
        });
        // Not inside the tunnel's own signal: destroyed once it has returned, on this thread
        // (stopping the SSH thread may take a moment), and then the thread ends.
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_tunnel.reset();
                thread()->quit();
            },
            Qt::QueuedConnection);
    }

    SshSpec m_spec;
    PassphraseSource m_passphrases;
    QPointer<SshConnectionTest> m_test;
    std::unique_ptr<SshTunnel> m_tunnel;
    SshHostKey m_rejected;
    bool m_done = false;
};

} // namespace

SshConnectionTest::SshConnectionTest(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<Result>();
}

void SshConnectionTest::start(const SshSpec& spec, PassphraseSource passphrases)
{
    if (!passphrases)
        passphrases = [](const QString&) -> std::optional<QString> { return std::nullopt; };
    auto* thread = new QThread;
    thread->setObjectName(QStringLiteral("okh-ssh-test"));
    auto* attempt = new Attempt(spec, std::move(passphrases), this);
    attempt->moveToThread(thread);
    connect(thread, &QThread::started, attempt, [attempt] { attempt->run(); });
    connect(thread, &QThread::finished, attempt, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

} // namespace okh
