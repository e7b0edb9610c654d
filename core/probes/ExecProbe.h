#pragma once

#include "Probe.h"
#include "ProbeTargets.h"
#include "exec/CommandExecutor.h"

#include <memory>

namespace okh {

// Runs a command in the service's execution context and judges its exit code, keeping the
// tail of its output (as Docker keeps 4 KiB of a health check's output).
class ExecProbe : public Probe
{
    Q_OBJECT
public:
    ExecProbe(ExecTarget target, std::chrono::milliseconds timeout, CommandExecutor& executor = localCommandExecutor(),
              QObject* parent = nullptr);

    // Failures of docker/kubectl themselves (daemon down, no such container) as a result, or
    // nullopt when the output is the command's own. Shared with FileProbe.
    static std::optional<ProbeResult> contextFailure(const ExecContext& context, const CommandOutcome& o);

protected:
    void begin() override;
    void abort() override;

private:
    void onFinished(const CommandOutcome& outcome);

    ExecTarget m_target;
    CommandExecutor& m_executor;
    std::unique_ptr<CommandJob> m_runner;
};

} // namespace okh
