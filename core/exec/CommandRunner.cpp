#include "CommandRunner.h"

#include <QCoreApplication>

namespace okh {

CommandRunner::CommandRunner(QStringList argv, std::chrono::milliseconds timeout, QObject* parent)
    : CommandJob(parent)
    , m_argv(std::move(argv))
    , m_timeout(timeout)
    , m_process(new QProcess)
{
    m_deadline.setSingleShot(true);
    m_deadline.setTimerType(Qt::PreciseTimer);
    connect(&m_deadline, &QTimer::timeout, this, &CommandRunner::onTimeout);
    connect(m_process, &QProcess::finished, this, &CommandRunner::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &CommandRunner::onError);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &CommandRunner::collect);
    connect(m_process, &QProcess::readyReadStandardError, this, &CommandRunner::collect);
    // Nothing to read from us; a command that waits for input must not hang the check.
    m_process->setInputChannelMode(QProcess::ManagedInputChannel);
}

CommandRunner::~CommandRunner()
{
    kill();
    delete m_process; // not running (kill() handed a running one over to its reaper)
}

void CommandRunner::start()
{
    if (m_argv.isEmpty()) {
        m_outcome.startError = tr("empty command");
        conclude();
        return;
    }
    m_deadline.start(m_timeout);
    m_process->start(m_argv.first(), m_argv.mid(1));
    m_process->closeWriteChannel();
}

void CommandRunner::kill()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // SIGKILL our own child and let it be reaped when it is gone: waiting here would
        // stall the probing thread (a child in uninterruptible sleep can take long).
        QProcess* dying = m_process;
        m_process = nullptr;
        dying->disconnect(this);
        // Owned by the application until reaped, so it is never lost at exit.
        if (QCoreApplication::instance() && QCoreApplication::instance()->thread() == dying->thread())
            dying->setParent(QCoreApplication::instance());
        QObject::connect(dying, &QProcess::finished, dying, &QObject::deleteLater);
        dying->kill();
    }
}

void CommandRunner::collect()
{
    appendOutputTail(m_outcome.stdoutTail, m_process->readAllStandardOutput());
    appendOutputTail(m_outcome.stderrTail, m_process->readAllStandardError());
}

void CommandRunner::onFinished(int exitCode, QProcess::ExitStatus status)
{
    collect();
    m_outcome.started = true;
    m_outcome.exitCode = exitCode;
    m_outcome.crashed = status == QProcess::CrashExit;
    conclude();
}

void CommandRunner::onError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart)
        return; // crashes and timeouts arrive through finished() or our own deadline
    m_outcome.startError = m_process->errorString();
    conclude();
}

void CommandRunner::onTimeout()
{
    if (m_done)
        return;
    collect();
    m_outcome.started = true;
    m_outcome.timedOut = true;
    kill();
    conclude();
}

void CommandRunner::conclude()
{
    if (m_done)
        return;
    m_done = true;
    m_deadline.stop();
    Q_EMIT finished(m_outcome);
}

namespace {

class LocalCommandExecutor : public CommandExecutor
{
public:
    std::unique_ptr<CommandJob> create(const QStringList& argv, std::chrono::milliseconds timeout) override
    {
        return std::make_unique<CommandRunner>(argv, timeout);
    }
    bool isLocal() const override { return true; }
};

} // namespace

CommandExecutor& localCommandExecutor()
{
    static LocalCommandExecutor executor;
    return executor;
}

} // namespace okh
