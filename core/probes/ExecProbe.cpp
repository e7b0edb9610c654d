#include "ExecProbe.h"

#include "ExitCodeMeaning.h"

#include <QFileInfo>

namespace okh {

namespace {

QString lastLine(const QByteArray& text)
{
    const QList<QByteArray> lines = text.trimmed().split('\n');
    return lines.isEmpty() ? QString() : QString::fromUtf8(lines.last()).trimmed();
}

} // namespace

ExecProbe::ExecProbe(ExecTarget target, std::chrono::milliseconds timeout, CommandExecutor& executor, QObject* parent)
    : Probe(timeout, parent)
    , m_target(std::move(target))
    , m_executor(executor)
{ }

std::optional<ProbeResult> ExecProbe::contextFailure(const ExecContext& context, const CommandOutcome& o)
{
    if (o.transportFailed)
        return ProbeResult::unknown(o.startError,
                                    tr("The deployment's SSH connection could not run the command; this "
                                       "says nothing about the service."));
    if (!o.startError.isEmpty()) {
        const QString program = context.wrap({QStringLiteral("true")}).value(0);
        return ProbeResult::unknown(tr("cannot run %1: %2").arg(program, o.startError),
                                    tr("Install the client (docker, kubectl) on the monitor's machine, or check the "
                                       "command in the deployment file."));
    }
    if (context.kind == ExecContext::Kind::Local || o.exitCode == 0)
        return std::nullopt;
    const QString err = QString::fromUtf8(o.stderrTail);
    if (err.contains(QLatin1String("Cannot connect to the Docker daemon"))
        || err.contains(QLatin1String("permission denied while trying to connect to the Docker daemon"))
        || err.contains(QLatin1String("Unable to connect to the server"))
        || err.contains(QLatin1String("The connection to the server"))
        || err.contains(QLatin1String("Error in configuration"))
        || err.contains(QLatin1String("the server has asked for the client to provide credentials"))) {
        return ProbeResult::unknown(
            tr("cannot reach the container runtime: %1").arg(lastLine(o.stderrTail)),
            tr("The monitor cannot talk to Docker or Kubernetes (daemon down, cluster unreachable, "
               "wrong kubeconfig context); this says nothing about the service."));
    }
    if (err.contains(QLatin1String("is not running")) || err.contains(QLatin1String("No such container"))
        || err.contains(QLatin1String("service \"")) || err.contains(QLatin1String("NotFound"))
        || err.contains(QLatin1String("container not found"))) {
        return ProbeResult::unhealthy(tr("%1: %2").arg(context.describe(), lastLine(o.stderrTail)),
                                      tr("The container is not running (or has another name): check `docker ps -a` "
                                         "or `kubectl get pods`."))
            .because(FailureKind::NotRunning);
    }
    return std::nullopt;
}

void ExecProbe::begin()
{
    if (const QString error = m_target.context.validationError(); !error.isEmpty()) {
        finish(ProbeResult::unknown(error));
        return;
    }
    if (m_target.command.isEmpty()) {
        finish(ProbeResult::unknown(tr("no command configured")));
        return;
    }
    // The runner gets the whole budget; our own deadline (same length) reports the timeout.
    m_runner = m_executor.create(m_target.context.wrap(m_target.command), timeout() + timeout());
    connect(m_runner.get(), &CommandJob::finished, this, &ExecProbe::onFinished);
    m_runner->start();
}

void ExecProbe::abort()
{
    if (m_runner)
        m_runner->kill();
}

void ExecProbe::onFinished(const CommandOutcome& o)
{
    if (isFinished())
        return;
    if (auto failure = contextFailure(m_target.context, o)) {
        failure->details.append({QStringLiteral("stderr"), QString::fromUtf8(o.stderrTail).trimmed()});
        finish(*failure);
        return;
    }
    // Arguments may carry secrets expanded from ${VAR}: reports name the program only.
    const QString commandText
        = m_target.command.value(0) + (m_target.command.size() > 1 ? QStringLiteral(" …") : QString());
    ProbeResult r;
    QString output = QString::fromUtf8(o.stdoutTail + o.stderrTail).trimmed();
    const bool redisCliPing = QFileInfo(m_target.command.first()).fileName() == QLatin1String("redis-cli")
        && m_target.command.last().compare(QLatin1String("ping"), Qt::CaseInsensitive) == 0;
    if (o.crashed) {
        r = ProbeResult::unhealthy(tr("%1 crashed").arg(commandText));
    } else if (o.exitCode == 0 && redisCliPing && !output.contains(QLatin1String("PONG"))) {
        // redis-cli exits 0 on NOAUTH and WRONGPASS; only a connection failure gives 1.
        r = ProbeResult::unhealthy(tr("redis-cli ping exited 0 without PONG: %1").arg(lastLine(o.stdoutTail)),
                                   tr("redis-cli's exit code only reports connection failures; an error reply such "
                                      "as NOAUTH still exits 0."));
    } else if (o.exitCode == 0) {
        r = ProbeResult::healthy(tr("exit 0: %1").arg(lastLine(o.stdoutTail + '\n' + o.stderrTail)));
    } else {
        const QString meaning = ExitCodeMeaning::explain(m_target.command, o.exitCode);
        r = ProbeResult::unhealthy(meaning.isEmpty()
                                       ? tr("exit %1: %2").arg(o.exitCode).arg(lastLine(o.stderrTail + o.stdoutTail))
                                       : tr("exit %1: %2").arg(o.exitCode).arg(meaning));
        if (o.exitCode == 127 || o.exitCode == 126)
            r.status = ProbeStatus::Unknown;
    }
    if (r.status == ProbeStatus::Unhealthy)
        r.failure = FailureKind::CommandFailed;
    r.details.append({QStringLiteral("command"), commandText});
    r.details.append({QStringLiteral("context"), m_target.context.describe()});
    r.details.append({QStringLiteral("exit code"), QString::number(o.exitCode)});
    if (!output.isEmpty())
        r.details.append({QStringLiteral("output"), output});
    finish(r);
}

} // namespace okh
