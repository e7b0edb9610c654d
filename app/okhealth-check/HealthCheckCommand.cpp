#include "HealthCheckCommand.h"

#include "CommandLine.h"
#include "Console.h"
#include "compat/MaykinHealthCheck.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkProxy>

namespace okh {

namespace {
constexpr int UsageError = 2; // typer/click's exit code for bad options
}

int HealthCheckCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("HTTP health check, a drop-in for `maykin-common health-check`."));
    parser.addHelpOption();
    const QCommandLineOption endpoint(QStringLiteral("endpoint"), tr("URL or path to GET (default /_healthz/livez/)."),
                                      QStringLiteral("URL"), QStringLiteral("/_healthz/livez/"));
    const QCommandLineOption timeout(QStringLiteral("timeout"), tr("Request timeout in whole seconds (default 3)."),
                                     QStringLiteral("S"), QStringLiteral("3"));
    parser.addOptions({endpoint, timeout});
    int exitCode = 0;
    if (CommandLine::parse(parser, arguments, 0, &exitCode) == CommandLine::Parsed::Done)
        return exitCode;
    bool ok = false;
    const int seconds = parser.value(timeout).toInt(&ok);
    if (!ok || seconds < 0) {
        Console::err(tr("Invalid value for '--timeout': '%1' is not a valid integer.\n").arg(parser.value(timeout)));
        return UsageError;
    }

    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    MaykinHealthCheck check(MaykinHealthCheck::completeEndpoint(parser.value(endpoint)), std::chrono::seconds(seconds),
                            &network);
    exitCode = 1;
    QObject::connect(&check, &MaykinHealthCheck::finished, &check, [&exitCode](const MaykinHealthCheck::Outcome& o) {
        if (!o.stdoutLine.isEmpty())
            Console::out(o.stdoutLine + u'\n');
        if (!o.stderrLine.isEmpty())
            Console::err(o.stderrLine + u'\n');
        exitCode = o.exitCode;
        QCoreApplication::exit(o.exitCode);
    });
    // Queued: a synchronous verdict (invalid URL) must still reach a running event loop.
    QMetaObject::invokeMethod(&check, &MaykinHealthCheck::start, Qt::QueuedConnection);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace okh
