#pragma once

#include "Probe.h"
#include "ProbeTargets.h"
#include "exec/CommandRunner.h"

#include <memory>

namespace okh {

// Runs a command in the service's execution context and judges its exit code, keeping the
// tail of its output (as Docker keeps 4 KiB of a health check's output).
class ExecProbe : public Probe
{
    Q_OBJECT
public:
    ExecProbe(ExecTarget target, std::chrono::milliseconds timeout, QObject* parent = nullptr);

    // Failures of docker/kubectl themselves (daemon down, no such container) as a result, or
    // nullopt when the output is the command's own. Shared with FileProbe.
    static std::optional<ProbeResult> contextFailure(const ExecContext& context, const CommandRunner::Outcome& o);

protected:
    void begin() override;
    void abort() override;

private:
    void onFinished(const CommandRunner::Outcome& outcome);

    ExecTarget m_target;
    std::unique_ptr<CommandRunner> m_runner;
};

} // namespace okh
