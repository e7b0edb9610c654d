#include "RunCommand.h"

#include "CommandLine.h"
#include "Console.h"
#include "TerminalPassphrase.h"
#include "config/DeploymentFile.h"
#include "config/DeploymentLoader.h"
#include "engine/DeploymentConnection.h"
#include "report/ReportFormat.h"
#include "report/TextReport.h"
#include "run/SmokeRun.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QSaveFile>

namespace okh {

namespace {

constexpr int ExitHealthy = 0;
constexpr int ExitUnhealthy = 1;
constexpr int ExitUsage = 2;

// Connects (over SSH: waits until the connection is up or has failed), then runs the smoke
// check, reporting each round that is waited past.
class RunLoop : public QObject
{
public:
    RunLoop(const DeploymentSpec& deployment, std::optional<QDeadlineTimer> waitDeadline)
        : m_deployment(deployment)
        , m_deadline(waitDeadline)
        , m_connection(deployment.connection, askPassphraseOnTerminal)
    { }

    void begin()
    {
        if (m_connection.isDirect()) {
            startRun();
            return;
        }
        connect(&m_connection, &DeploymentConnection::reachabilityChanged, this, [this] {
            if (!m_run)
                startRun();
        });
        m_connection.start();
    }

    RunReport report;

private:
    void startRun()
    {
        m_run = std::make_unique<SmokeRun>(m_deployment, m_connection.environment(), m_deadline);
        connect(m_run.get(), &SmokeRun::waiting, this,
                [](const RunReport&, int notHealthy, std::chrono::milliseconds remaining) {
                    Console::err(QCoreApplication::translate("okh::RunCommand",
                                                             "waiting for %n check(s) to become healthy", nullptr,
                                                             notHealthy)
                                 + QCoreApplication::translate("okh::RunCommand", " (%1 s left)")
                                       .arg((remaining.count() + 999) / 1000)
                                 + u'\n');
                });
        connect(m_run.get(), &SmokeRun::finished, this, [this](const RunReport& r) {
            report = r;
            QCoreApplication::exit(0);
        });
        m_run->start();
    }

    DeploymentSpec m_deployment;
    std::optional<QDeadlineTimer> m_deadline;
    DeploymentConnection m_connection;
    std::unique_ptr<SmokeRun> m_run;
};

} // namespace

int RunCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Runs every check of a deployment once and reports per service."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Deployment file (JSON, see docs/deployment-file.md)."));
    const QCommandLineOption deploymentOption(
        QStringLiteral("deployment"), tr("Deployment to check when the file has several."), QStringLiteral("NAME"));
    const QCommandLineOption formatOption(QStringLiteral("format"),
                                          tr("Report format: text, json, junit, markdown or html."),
                                          QStringLiteral("FORMAT"), QStringLiteral("text"));
    const QCommandLineOption outputOption(QStringLiteral("output"), tr("Write the report to PATH instead of stdout."),
                                          QStringLiteral("PATH"));
    const QCommandLineOption waitOption(QStringLiteral("wait-ready"),
                                        tr("Repeat until every gating check is healthy, at most SECONDS."),
                                        QStringLiteral("SECONDS"));
    parser.addOptions({deploymentOption, formatOption, outputOption, waitOption});
    int exitCode = 0;
    if (CommandLine::parse(parser, arguments, 1, &exitCode) == CommandLine::Parsed::Done)
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        Console::err(tr("usage: okhealth-check run FILE [--deployment NAME] [--format text|json|junit|markdown|html] "
                        "[--output PATH] [--wait-ready SECONDS]\n"));
        return ExitUsage;
    }

    const std::optional<ReportFormat> format = reportFormatFromKey(parser.value(formatOption));
    if (!format) {
        Console::err(
            tr("--format: expected text, json, junit, markdown or html, got \"%1\"\n").arg(parser.value(formatOption)));
        return ExitUsage;
    }

    std::optional<QDeadlineTimer> deadline;
    if (parser.isSet(waitOption)) {
        bool ok = false;
        const double seconds = parser.value(waitOption).toDouble(&ok);
        if (!ok || seconds < 0) {
            Console::err(tr("--wait-ready: expected a number of seconds, got \"%1\"\n").arg(parser.value(waitOption)));
            return ExitUsage;
        }
        deadline = QDeadlineTimer(qint64(seconds * 1000.0));
    }

    const auto loaded = DeploymentLoader::loadNow(positional.first());
    if (const auto* error = std::get_if<ConfigError>(&loaded)) {
        Console::err(error->toString() + u'\n');
        return ExitUsage;
    }
    const auto& file = std::get<DeploymentFile>(loaded);
    const DeploymentSpec* deployment = nullptr;
    if (parser.isSet(deploymentOption)) {
        deployment = file.find(parser.value(deploymentOption));
        if (!deployment) {
            Console::err(
                tr("%1: no deployment named \"%2\" (the file has: %3)\n")
                    .arg(positional.first(), parser.value(deploymentOption), file.names().join(QStringLiteral(", "))));
            return ExitUsage;
        }
    } else if (file.deployments.size() == 1) {
        deployment = &file.deployments.first();
    } else {
        Console::err(tr("%1: the file has %2 deployments; choose one with --deployment NAME (%3)\n")
                         .arg(positional.first())
                         .arg(file.deployments.size())
                         .arg(file.names().join(QStringLiteral(", "))));
        return ExitUsage;
    }

    RunLoop loop(*deployment, deadline);
    QMetaObject::invokeMethod(
        &loop, [&loop] { loop.begin(); }, Qt::QueuedConnection);
    QCoreApplication::exec();

    const bool toFile = parser.isSet(outputOption);
    const QByteArray text
        = renderReport(loop.report, *format, !toFile && format == ReportFormat::Text && Console::stdoutIsTerminal());
    if (toFile) {
        QSaveFile out(parser.value(outputOption));
        if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size() || !out.commit()) {
            Console::err(tr("cannot write the report to %1: %2\n").arg(parser.value(outputOption), out.errorString()));
            return ExitUsage;
        }
        // The verdict line still goes to the terminal, so a pipeline log shows it.
        Console::err(TextReport::render(loop.report, false).section(u'\n', 0, 0) + u'\n');
    } else {
        Console::out(QString::fromUtf8(text));
    }
    return loop.report.gatingChecksHealthy() ? ExitHealthy : ExitUnhealthy;
}

} // namespace okh
