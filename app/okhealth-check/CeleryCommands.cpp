#include "CeleryCommands.h"

#include "CommandLine.h"
#include "Console.h"
#include "compat/MaykinCeleryChecks.h"
#include "config/RedisUrl.h"
#include "probes/CeleryPingProbe.h"

#include <QCommandLineParser>
#include <cmath>

namespace okh {

namespace {

constexpr int UsageError = 2;
constexpr int ExitEventLoop = 1;
constexpr int ExitPing = 2;
constexpr int ExitNotReady = 4;

// typer's paired boolean flags: the last of --X / --no-X on the command line wins.
bool pairedFlag(const QCommandLineParser& parser, const QString& name, bool defaultValue)
{
    bool value = defaultValue;
    for (const QString& given : parser.optionNames()) {
        if (given == name)
            value = true;
        else if (given == QStringLiteral("no-") + name)
            value = false;
    }
    return value;
}

QList<QCommandLineOption> pairedOptions(const QString& name, const QString& description)
{
    return {QCommandLineOption(name, description),
            QCommandLineOption(QStringLiteral("no-") + name, CeleryCommands::tr("Opposite of --%1.").arg(name))};
}

// typer declares these options as int: "1.5" or "abc" is a usage error (exit 2).
std::optional<int> integer(const QCommandLineParser& parser, const QCommandLineOption& option)
{
    bool ok = false;
    const int value = parser.value(option).trimmed().toInt(&ok);
    if (!ok) {
        Console::err(CeleryCommands::tr("Invalid value for '--%1': '%2' is not a valid integer.\n")
                         .arg(option.names().constFirst(), parser.value(option)));
        return std::nullopt;
    }
    return value;
}

} // namespace

int CeleryCommands::runWorkerHealthCheck(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Celery worker health check, a drop-in for `maykin-common worker-health-check`: event-loop liveness "
           "file, ping through the broker, readiness file. Exit 1: event loop, 2: ping, 4: not ready."));
    parser.addHelpOption();
    const QCommandLineOption livenessFile(QStringLiteral("liveness-file"), tr("Event-loop liveness file."),
                                          QStringLiteral("PATH"), QStringLiteral("/tmp/celery_worker_event_loop_live"));
    const QCommandLineOption maxAge(QStringLiteral("max-age"), tr("Maximum age of the liveness file in seconds."),
                                    QStringLiteral("SECONDS"), QStringLiteral("70"));
    const QCommandLineOption broker(QStringLiteral("broker"), tr("Broker URL (must match CELERY_BROKER_URL)."),
                                    QStringLiteral("URL"), QStringLiteral("redis://localhost:6379/0"));
    const QCommandLineOption workerName(QStringLiteral("worker-name"),
                                        tr("Worker node name (default: CELERY_WORKER_NAME, else celery@<hostname>)."),
                                        QStringLiteral("NAME"), MaykinCeleryChecks::defaultWorkerName());
    const QCommandLineOption pingTimeout(QStringLiteral("ping-timeout"), tr("Seconds to wait for the ping reply."),
                                         QStringLiteral("SECONDS"), QStringLiteral("3"));
    const QCommandLineOption readinessFile(QStringLiteral("readiness-file"), tr("Readiness file."),
                                           QStringLiteral("PATH"), QStringLiteral("/tmp/celery_worker_ready"));
    parser.addOptions({livenessFile, maxAge, broker, workerName, pingTimeout, readinessFile});
    parser.addOptions(pairedOptions(QStringLiteral("skip-event-loop-liveness"), tr("Skip the liveness file check.")));
    parser.addOptions(pairedOptions(QStringLiteral("skip-ping"), tr("Skip the ping.")));
    parser.addOptions(
        pairedOptions(QStringLiteral("skip-readiness"), tr("Skip the readiness file check (skipped by default).")));
    int exitCode = 0;
    if (CommandLine::parse(parser, arguments, 0, &exitCode) == CommandLine::Parsed::Done)
        return exitCode;
    const auto maxAgeValue = integer(parser, maxAge);
    const auto pingTimeoutValue = integer(parser, pingTimeout);
    if (!maxAgeValue || !pingTimeoutValue)
        return UsageError;

    if (!pairedFlag(parser, QStringLiteral("skip-event-loop-liveness"), false)) {
        const auto v = MaykinCeleryChecks::livenessFile(parser.value(livenessFile), *maxAgeValue);
        if (!v.ok) {
            Console::err(v.message + u'\n');
            return ExitEventLoop;
        }
        Console::out(v.message + u'\n');
    }

    if (!pairedFlag(parser, QStringLiteral("skip-ping"), false)) {
        const auto url = parseRedisUrl(parser.value(broker));
        if (!url.ok()) {
            Console::err(tr("Invalid value for '--broker': %1\n").arg(url.error));
            return UsageError;
        }
        const QString name = parser.value(workerName);
        CeleryPingTarget target;
        target.broker = *url.target;
        target.workers = {name};
        target.replyTimeout = std::chrono::seconds(*pingTimeoutValue);
        // The ping's own timeout, a second to find other workers, and room to clean up.
        CeleryPingProbe probe(target, target.replyTimeout + std::chrono::seconds(3));
        ProbeResult result;
        QObject::connect(&probe, &Probe::finished, &probe, [&result](const ProbeResult& r) {
            result = r;
            QCoreApplication::exit(0);
        });
        QMetaObject::invokeMethod(&probe, &Probe::start, Qt::QueuedConnection);
        QCoreApplication::exec();
        if (result.status != ProbeStatus::Healthy) {
            Console::err(QStringLiteral("No reply to ping from '%1' after %2s.\n")
                             .arg(name, QString::number(*pingTimeoutValue)));
            // Beyond maykin-common: why, when we know.
            if (result.detail(QStringLiteral("outcome")) != QLatin1String("no reply"))
                Console::err(result.summary + u'\n');
            if (!result.hint.isEmpty())
                Console::err(tr("hint: %1\n").arg(result.hint));
            return ExitPing;
        }
        Console::out(QStringLiteral("%1: PONG.\n").arg(name));
    }

    if (!pairedFlag(parser, QStringLiteral("skip-readiness"), true)) {
        const auto v = MaykinCeleryChecks::readinessFile(parser.value(readinessFile));
        if (!v.ok) {
            Console::err(v.message + u'\n');
            return ExitNotReady;
        }
        Console::out(v.message + u'\n');
    }
    return 0;
}

int CeleryCommands::runBeatHealthCheck(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Celery beat health check, a drop-in for `maykin-common beat-health-check`: the beat liveness file "
           "must be younger than --max-age."));
    parser.addHelpOption();
    const QCommandLineOption file(QStringLiteral("file"), tr("Beat liveness file."), QStringLiteral("PATH"),
                                  QStringLiteral("/tmp/celery_beat_live"));
    const QCommandLineOption maxAge(QStringLiteral("max-age"), tr("Maximum age in seconds."), QStringLiteral("SECONDS"),
                                    QStringLiteral("3600"));
    parser.addOptions({file, maxAge});
    int exitCode = 0;
    if (CommandLine::parse(parser, arguments, 0, &exitCode) == CommandLine::Parsed::Done)
        return exitCode;
    const auto maxAgeValue = integer(parser, maxAge);
    if (!maxAgeValue)
        return UsageError;
    const auto v = MaykinCeleryChecks::beatFile(parser.value(file), *maxAgeValue);
    if (!v.ok) {
        Console::err(v.message + u'\n');
        return 1;
    }
    Console::out(v.message + u'\n');
    return 0;
}

} // namespace okh
