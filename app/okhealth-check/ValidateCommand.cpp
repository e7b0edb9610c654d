#include "ValidateCommand.h"

#include "CommandLine.h"
#include "Console.h"
#include "config/DeploymentFile.h"
#include "config/DeploymentLoader.h"
#include "report/TargetDescription.h"
#include "util/Durations.h"

#include <QCommandLineParser>
#include <limits>

namespace okh {

namespace {

constexpr int ExitValid = 0;
constexpr int ExitInvalid = 2;

QString endpointText(const SshEndpoint& e)
{
    const QString host = e.host.contains(u':') ? u'[' + e.host + u']' : e.host;
    return e.user + u'@' + host + u':' + QString::number(e.port);
}

QString connectionText(const ConnectionSpec& connection)
{
    if (connection.type == ConnectionSpec::Type::Direct)
        return ValidateCommand::tr("direct");
    QStringList jumps;
    for (const SshEndpoint& jump : connection.ssh.jumps)
        jumps << endpointText(jump);
    const QString target = ValidateCommand::tr("ssh %1").arg(endpointText(connection.ssh.target));
    return jumps.isEmpty() ? target
                           : ValidateCommand::tr("%1 through %2").arg(target, jumps.join(QStringLiteral(", ")));
}

// What the deployments would watch, one line per check.
QString summary(const DeploymentFile& file)
{
    QString out;
    for (const DeploymentSpec& deployment : file.deployments) {
        out += ValidateCommand::tr("deployment %1: %2\n").arg(deployment.name, connectionText(deployment.connection));
        for (const ServiceSpec& service : deployment.services) {
            out += ValidateCommand::tr("  service %1 (%2)").arg(service.name, service.kind);
            if (!service.dependsOn.isEmpty())
                out += ValidateCommand::tr(", depends on %1").arg(service.dependsOn.join(QStringLiteral(", ")));
            out += u'\n';
            for (const CheckSpec& check : service.checks) {
                out += ValidateCommand::tr("    %1: %2 %3, every %4, timeout %5: %6\n")
                           .arg(check.name, roleKey(check.role), check.typeKey(), formatDuration(check.interval),
                                formatDuration(check.timeout), describeTarget(check.target));
            }
        }
    }
    return out;
}

} // namespace

int ValidateCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Checks deployment files without connecting to anything: loads each as run and serve would, prints what "
           "it would watch, exits 0 when every file is valid and 2 otherwise."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Deployment files (JSON, see docs/deployment-file.md)."),
                                 QStringLiteral("FILE..."));
    const QCommandLineOption quietOption({QStringLiteral("q"), QStringLiteral("quiet")},
                                         tr("Print only errors, not what would be watched."));
    parser.addOption(quietOption);
    int exitCode = 0;
    if (CommandLine::parse(parser, arguments, std::numeric_limits<int>::max(), &exitCode) == CommandLine::Parsed::Done)
        return exitCode;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        Console::err(tr("usage: okhealth-check validate FILE... [--quiet]\n"));
        return ExitInvalid;
    }

    int invalid = 0;
    for (const QString& path : files) {
        const auto loaded = DeploymentLoader::loadNow(path);
        if (const auto* error = std::get_if<ConfigError>(&loaded)) {
            Console::err(error->toString() + u'\n');
            ++invalid;
            continue;
        }
        const auto& file = std::get<DeploymentFile>(loaded);
        if (parser.isSet(quietOption))
            continue;
        int services = 0;
        int checks = 0;
        for (const DeploymentSpec& deployment : file.deployments) {
            services += int(deployment.services.size());
            for (const ServiceSpec& service : deployment.services)
                checks += int(service.checks.size());
        }
        Console::out(tr("%1: valid: %2, %3, %4\n")
                         .arg(path, tr("%n deployment(s)", nullptr, int(file.deployments.size())),
                              tr("%n service(s)", nullptr, services), tr("%n check(s)", nullptr, checks))
                     + summary(file));
    }
    return invalid == 0 ? ExitValid : ExitInvalid;
}

} // namespace okh
