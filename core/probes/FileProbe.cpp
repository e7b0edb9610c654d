#include "FileProbe.h"

#include "ExecProbe.h"
#include "util/Durations.h"

#include <QDateTime>
#include <QFileInfo>

namespace okh {

FileProbe::FileProbe(FileTarget target, std::chrono::milliseconds timeout, CommandExecutor& executor, QObject* parent)
    : Probe(timeout, parent)
    , m_target(std::move(target))
    , m_executor(executor)
{ }

QStringList FileProbe::statCommand(const QString& path)
{
    return {QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("if [ -f \"$1\" ]; then { stat -c %.9Y -- \"$1\" 2>/dev/null || stat -c %Y -- \"$1\"; } "
                           "&& date +%s.%N; elif [ -e \"$1\" ]; then echo notfile; else echo missing; fi"),
            QStringLiteral("sh"), path};
}

namespace {

// Seconds since the epoch as stat/date print them: "1795654866.147825277" (GNU, %.9Y / %N),
// "1795654866" or "1795654866.%N" (busybox, which ignores the precision and lacks %N).
std::optional<double> epochSeconds(const QByteArray& text)
{
    qsizetype digits = 0;
    while (digits < text.size() && text.at(digits) >= '0' && text.at(digits) <= '9')
        ++digits;
    if (digits == 0)
        return std::nullopt;
    double value = text.left(digits).toDouble();
    if (digits + 1 < text.size() && text.at(digits) == '.') {
        double scale = 0.1;
        for (qsizetype i = digits + 1; i < text.size() && text.at(i) >= '0' && text.at(i) <= '9'; ++i) {
            value += (text.at(i) - '0') * scale;
            scale /= 10;
        }
    }
    return value;
}

} // namespace

std::optional<FileProbe::Observation> FileProbe::parseStatOutput(const QByteArray& output)
{
    const QList<QByteArray> lines = output.trimmed().split('\n');
    Observation seen;
    if (lines.size() == 2) {
        const auto mtime = epochSeconds(lines.at(0).trimmed());
        const auto now = epochSeconds(lines.at(1).trimmed());
        if (!mtime || !now)
            return std::nullopt;
        seen.state = Observation::State::Regular;
        seen.ageSeconds = qint64(*now - *mtime); // truncates like Python's int()
        return seen;
    }
    if (lines.value(0).trimmed() == "missing")
        return seen;
    if (lines.value(0).trimmed() == "notfile") {
        seen.state = Observation::State::NotRegular;
        return seen;
    }
    return std::nullopt;
}

void FileProbe::begin()
{
    if (m_target.path.isEmpty()) {
        finish(ProbeResult::unknown(tr("no file path configured")));
        return;
    }
    if (const QString error = m_target.context.validationError(); !error.isEmpty()) {
        finish(ProbeResult::unknown(error));
        return;
    }
    if (m_target.context.kind == ExecContext::Kind::Local && m_executor.isLocal()) {
        // Same machine, same clock: no process needed.
        const QFileInfo info(m_target.path);
        Observation seen;
        if (info.exists() && info.isFile()) {
            seen.state = Observation::State::Regular;
            seen.ageSeconds = (QDateTime::currentMSecsSinceEpoch() - info.lastModified().toMSecsSinceEpoch()) / 1000;
        } else if (info.exists()) {
            seen.state = Observation::State::NotRegular;
        }
        judge(seen);
        return;
    }
    m_runner = m_executor.create(m_target.context.wrap(statCommand(m_target.path)), timeout() + timeout());
    connect(m_runner.get(), &CommandJob::finished, this, &FileProbe::onFinished);
    m_runner->start();
}

void FileProbe::abort()
{
    if (m_runner)
        m_runner->kill();
}

void FileProbe::onFinished(const CommandOutcome& o)
{
    if (isFinished())
        return;
    if (auto failure = ExecProbe::contextFailure(m_target.context, o)) {
        finish(*failure);
        return;
    }
    if (const auto seen = parseStatOutput(o.stdoutTail)) {
        judge(*seen);
        return;
    }
    auto r = ProbeResult::unknown(tr("cannot read the file's age in %1").arg(m_target.context.describe()),
                                  tr("The container needs a POSIX sh with stat and date."));
    r.details.append({QStringLiteral("output"), QString::fromUtf8(o.stdoutTail + o.stderrTail).trimmed()});
    r.details.append({QStringLiteral("exit code"), QString::number(o.exitCode)});
    finish(r);
}

void FileProbe::judge(const Observation& seen)
{
    ProbeResult r;
    const QString& path = m_target.path;
    if (seen.state == Observation::State::Missing) {
        r = ProbeResult::unhealthy(tr("'%1' does not exist").arg(path),
                                   m_target.maxAge ? tr("The process that touches this file is not running, or it "
                                                        "writes another path (for Celery: "
                                                        "MKN_HEALTH_CHECKS_WORKER_EVENT_LOOP_LIVENESS_FILE).")
                                                   : tr("The worker has not signalled that it is ready, or it shut "
                                                        "down (the file is removed on shutdown)."));
    } else if (seen.state == Observation::State::NotRegular) {
        r = ProbeResult::unhealthy(tr("'%1' is not a regular file").arg(path));
    } else {
        const qint64 age = std::max<qint64>(0, seen.ageSeconds);
        const QString ageText = formatDuration(std::chrono::seconds(age));
        if (!m_target.maxAge) {
            r = ProbeResult::healthy(tr("'%1' exists").arg(path));
        } else if (age <= m_target.maxAge->count()) {
            r = ProbeResult::healthy(
                tr("'%1' touched %2 ago (max-age %3)").arg(path, ageText, formatDuration(*m_target.maxAge)));
        } else {
            r = ProbeResult::unhealthy(
                tr("'%1' is older than max-age: touched %2 ago (max-age %3)")
                    .arg(path, ageText, formatDuration(*m_target.maxAge)),
                tr("The process that touches this file stopped doing so: it is frozen or blocked (for a Celery "
                   "worker: a long task blocks the event loop), or it died without removing the file."));
        }
        r.details.append({QStringLiteral("age seconds"), QString::number(age)});
    }
    if (r.status == ProbeStatus::Unhealthy)
        r.failure = seen.state == Observation::State::Regular ? FailureKind::FileStale : FailureKind::FileMissing;
    r.details.append({QStringLiteral("path"), path});
    r.details.append({QStringLiteral("context"), m_target.context.describe()});
    finish(r);
}

} // namespace okh
