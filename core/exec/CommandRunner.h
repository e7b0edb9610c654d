#pragma once

#include "CommandExecutor.h"

#include <QProcess>
#include <QTimer>
#include <chrono>

namespace okh {

// Runs one command (an argv, never a shell line) without blocking, keeps the tail of its
// output, and kills it — only the child it started — when the timeout passes.
class CommandRunner : public CommandJob
{
    Q_OBJECT
public:
    using Outcome = CommandOutcome;

    CommandRunner(QStringList argv, std::chrono::milliseconds timeout, QObject* parent = nullptr);
    ~CommandRunner() override;

    void start() override;
    void kill() override;

private:
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);
    void onTimeout();
    void collect();
    void conclude();

    QStringList m_argv;
    std::chrono::milliseconds m_timeout;
    QProcess* m_process; // owned; handed to a reaper when killed while running
    QTimer m_deadline;
    Outcome m_outcome;
    bool m_done = false;
};

} // namespace okh
