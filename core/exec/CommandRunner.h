#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QTimer>
#include <chrono>

namespace okh {

// Runs one command (an argv, never a shell line) without blocking, keeps the tail of its
// output, and kills it — only the child it started — when the timeout passes.
class CommandRunner : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype TailBytes = 4096; // what Docker keeps of a health check's output

    struct Outcome
    {
        bool started = false;
        bool timedOut = false;
        int exitCode = -1;
        bool crashed = false;
        QByteArray stdoutTail;
        QByteArray stderrTail;
        QString startError;
    };

    CommandRunner(QStringList argv, std::chrono::milliseconds timeout, QObject* parent = nullptr);
    ~CommandRunner() override;

    void start();
    void kill();

Q_SIGNALS:
    void finished(const okh::CommandRunner::Outcome& outcome);

private:
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);
    void onTimeout();
    void collect();
    void conclude();

    QStringList m_argv;
    std::chrono::milliseconds m_timeout;
    QProcess m_process;
    QTimer m_deadline;
    Outcome m_outcome;
    bool m_done = false;
};

} // namespace okh
