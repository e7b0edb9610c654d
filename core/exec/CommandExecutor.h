#pragma once

#include <QByteArray>
#include <QObject>
#include <QStringList>
#include <chrono>
#include <memory>

namespace okh {

// The result of one command, wherever it ran.
struct CommandOutcome
{
    bool started = false;
    bool timedOut = false;
    int exitCode = -1;
    bool crashed = false;
    QByteArray stdoutTail; // the last 4 KiB, as Docker keeps of a health check's output
    QByteArray stderrTail;
    QString startError; // the command could not be started (or the transport could not run it)
    bool transportFailed = false; // startError comes from the SSH connection, not the command
};

// Keeps the last 4 KiB of a command's output, as Docker keeps of a health check's output.
inline void appendOutputTail(QByteArray& tail, const QByteArray& more)
{
    constexpr qsizetype TailBytes = 4096;
    tail.append(more);
    if (tail.size() > TailBytes)
        tail.remove(0, tail.size() - TailBytes);
}

// One running command; finished() is emitted once. Deleting it stops the command.
class CommandJob : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void start() = 0;
    virtual void kill() = 0;

Q_SIGNALS:
    void finished(const okh::CommandOutcome& outcome);
};

// Where commands run: this machine (QProcess) or the deployment's SSH host (exec channel).
class CommandExecutor
{
public:
    virtual ~CommandExecutor() = default;
    virtual std::unique_ptr<CommandJob> create(const QStringList& argv, std::chrono::milliseconds timeout) = 0;
    // True when commands run on this machine, so a local file can be read in-process.
    virtual bool isLocal() const = 0;
};

// The executor for this machine.
CommandExecutor& localCommandExecutor();

} // namespace okh
