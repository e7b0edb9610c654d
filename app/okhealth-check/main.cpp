#include "CeleryCommands.h"
#include "Console.h"
#include "HealthCheckCommand.h"
#include "RunCommand.h"
#include "ServeCommand.h"
#include "ValidateCommand.h"
#include "translations/Catalogues.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace {

QString usage()
{
    return QCoreApplication::translate(
        "okh::main",
        "Usage: okhealth-check COMMAND [OPTIONS]\n"
        "\n"
        "Health checks for Open Klant deployments.\n"
        "\n"
        "Commands:\n"
        "  run FILE              run every check of a deployment once and report per service\n"
        "  serve FILE            run the checks continuously; serve /metrics (Prometheus) and /status\n"
        "  validate FILE...      check deployment files without connecting; print what they watch\n"
        "  health-check          HTTP check, a drop-in for `maykin-common health-check`\n"
        "  worker-health-check   Celery worker check, a drop-in for `maykin-common worker-health-check`\n"
        "  beat-health-check     Celery beat check, a drop-in for `maykin-common beat-health-check`\n"
        "\n"
        "Run `okhealth-check COMMAND --help` for the options of a command.\n");
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("okhealth-check"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OKHEALTH_VERSION_STRING));
    okh::installTranslations();

    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2) {
        okh::Console::err(usage());
        return 2;
    }
    const QString command = args.at(1);
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        okh::Console::out(usage());
        return 0;
    }
    if (command == QLatin1String("--version")) {
        okh::Console::out(QStringLiteral("okhealth-check %1\n").arg(QCoreApplication::applicationVersion()));
        return 0;
    }
    // The parser of each command sees "okhealth-check COMMAND ..." as its program name.
    QStringList commandArgs = args.mid(2);
    commandArgs.prepend(QFileInfo(args.at(0)).fileName() + u' ' + command);
    if (command == QLatin1String("run"))
        return okh::RunCommand::run(commandArgs);
    if (command == QLatin1String("serve"))
        return okh::ServeCommand::run(commandArgs);
    if (command == QLatin1String("validate"))
        return okh::ValidateCommand::run(commandArgs);
    if (command == QLatin1String("health-check"))
        return okh::HealthCheckCommand::run(commandArgs);
    if (command == QLatin1String("worker-health-check"))
        return okh::CeleryCommands::runWorkerHealthCheck(commandArgs);
    if (command == QLatin1String("beat-health-check"))
        return okh::CeleryCommands::runBeatHealthCheck(commandArgs);
    okh::Console::err(
        QCoreApplication::translate("okh::main", "okhealth-check: unknown command \"%1\"\n\n").arg(command) + usage());
    return 2;
}
