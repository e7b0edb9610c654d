#pragma once

#include "Probe.h"
#include "ProbeTargets.h"
#include "exec/CommandExecutor.h"

#include <memory>
#include <optional>

namespace okh {

// A liveness or readiness file in the service's execution context. In a container the age is
// measured by the container's own clock (stat and date run there), so clock skew between the
// operator's desktop and the server never raises a false alarm.
class FileProbe : public Probe
{
    Q_OBJECT
public:
    FileProbe(FileTarget target, std::chrono::milliseconds timeout, CommandExecutor& executor = localCommandExecutor(),
              QObject* parent = nullptr);

    // The argv that reports "<mtime>\n<now>\n", "missing" or "notfile" for `path`; the path
    // travels as a positional parameter, never inside the script text. Times carry nanoseconds
    // where the tools can (GNU stat and date), whole seconds elsewhere (busybox).
    static QStringList statCommand(const QString& path);

    struct Observation
    {
        enum class State { Regular, Missing, NotRegular } state = State::Missing;
        qint64 ageSeconds = 0; // int(now - mtime), as maykin-common computes it
    };
    // Reads statCommand's output; nothing when it is not that output.
    static std::optional<Observation> parseStatOutput(const QByteArray& output);

protected:
    void begin() override;
    void abort() override;

private:
    void onFinished(const CommandOutcome& outcome);
    void judge(const Observation& seen);

    FileTarget m_target;
    CommandExecutor& m_executor;
    std::unique_ptr<CommandJob> m_runner;
};

} // namespace okh
