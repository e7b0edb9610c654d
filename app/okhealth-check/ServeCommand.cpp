#include "ServeCommand.h"

#include "CommandLine.h"
#include "Console.h"
#include "config/DeploymentFile.h"
#include "config/DeploymentLoader.h"
#include "engine/MonitoringSession.h"
#include "server/MetricsExposition.h"
#include "server/StatusHttpServer.h"
#include "server/StatusJson.h"

#include <QCommandLineParser>
#include <QSocketNotifier>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace okh {

namespace {

constexpr int ExitStopped = 0;
constexpr int ExitCannotServe = 1;
constexpr int ExitUsage = 2;
// How long a shutdown waits for the history file to take the last results.
constexpr int FlushTimeoutMs = 10'000;

int g_signalPipe[2] = {-1, -1};

extern "C" void onShutdownSignal(int signal)
{
    // Only async-signal-safe calls here: the event loop reads the byte (the self-pipe trick).
    const int saved = errno;
    const char byte = char(signal);
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
    errno = saved;
}

bool installSignalHandlers()
{
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onShutdownSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

// The running service: the monitoring session (monitors and history) and the HTTP endpoints.
class Service : public QObject
{
public:
    Service(QList<DeploymentSpec> deployments, StatusHttpServer::ListenAddress listen, QString historyPath)
        : m_deployments(std::move(deployments))
        , m_listen(listen)
        , m_session(MonitoringSession::Options{std::move(historyPath), {}, &SystemClock::instance(), {}})
    {
        m_http.addRoute("/metrics", [this] {
            return StatusHttpServer::Response{200, MetricsExposition::contentType.toByteArray(),
                                              MetricsExposition::render(readings(MonitorReading::Detail::Metrics))};
        });
        m_http.addRoute("/status", [this] {
            return StatusHttpServer::Response{
                200, StatusJson::contentType.toByteArray(),
                StatusJson::render(readings(MonitorReading::Detail::Status), SystemClock::instance().nowMs())};
        });
        m_signals = std::make_unique<QSocketNotifier>(g_signalPipe[0], QSocketNotifier::Read);
        connect(m_signals.get(), &QSocketNotifier::activated, this, &Service::onSignal);
        connect(&m_session, &MonitoringSession::started, this, &Service::onStarted);
        connect(&m_session, &MonitoringSession::failed, this,
                [this](MonitoringSession::Failure failure, const QString& message) {
                    if (failure == MonitoringSession::Failure::HistoryLocked)
                        Console::err(ServeCommand::tr("%1; give each serve its own --db\n").arg(message));
                    else if (!m_historyErrorShown)
                        Console::err(message + u'\n');
                    QCoreApplication::exit(ExitCannotServe);
                });
        connect(&m_session, &MonitoringSession::historyError, this, [this](const QString& message) {
            m_historyErrorShown = true;
            Console::err(ServeCommand::tr("history: %1\n").arg(message));
        });
        connect(&m_session, &MonitoringSession::verdictChanged, this, &Service::onVerdictChanged);
        connect(&m_session, &MonitoringSession::reachabilityChanged, this,
                [](const QString& deployment, bool reachable, const QString& error) {
                    Console::err(reachable ? ServeCommand::tr("%1: connection up\n").arg(deployment)
                                           : ServeCommand::tr("%1: connection down: %2\n").arg(deployment, error));
                });
        connect(&m_session, &MonitoringSession::stopped, this, [](bool flushed) {
            if (flushed) {
                QCoreApplication::exit(ExitStopped);
                return;
            }
            Console::err(ServeCommand::tr("the history file did not take the last results within 10 s; stopping "
                                          "without them\n"));
            exitNow();
        });
    }

    void begin()
    {
        if (!m_http.listen(m_listen.address, m_listen.port)) {
            Console::err(ServeCommand::tr("cannot listen on %1: %2\n").arg(listenText(), m_http.errorString()));
            QCoreApplication::exit(ExitCannotServe);
            return;
        }
        m_session.start(m_deployments);
    }

private:
    QString listenText() const
    {
        const QString host = m_listen.address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + m_listen.address.toString() + u']'
            : m_listen.address.toString();
        return host + u':' + QString::number(m_http.isListening() ? m_http.serverPort() : m_listen.port);
    }

    void onStarted()
    {
        Console::err(ServeCommand::tr("watching %n deployment(s) with %1 check(s); serving http://%2/metrics and "
                                      "/status\n",
                                      nullptr, int(m_deployments.size()))
                         .arg(m_session.checkCount())
                         .arg(listenText()));
    }

    // Quiet while all is well: a line when a check turns unhealthy or recovers, for the journal.
    static void onVerdictChanged(const CheckKey& key, ProbeStatus before, ProbeStatus after, const ProbeResult& result)
    {
        if (before != ProbeStatus::Unhealthy && after != ProbeStatus::Unhealthy)
            return;
        Console::err(
            ServeCommand::tr("%1/%2/%3: %4 → %5: %6\n")
                .arg(key.deployment, key.service, key.check, statusKey(before), statusKey(after), result.summary));
    }

    QList<MonitorReading> readings(MonitorReading::Detail detail) const
    {
        QList<MonitorReading> list;
        list.reserve(qsizetype(m_session.monitors().size()));
        for (const auto& monitor : m_session.monitors())
            list.append(MonitorReading::read(*monitor, detail));
        return list;
    }

    // Past the flush deadline, destructors would wait for the history thread again: leave
    // at once. SQLite's WAL makes that as safe as kill -9 (history.md).
    [[noreturn]] static void exitNow()
    {
        std::fflush(stdout);
        std::fflush(stderr);
        std::_Exit(ExitStopped);
    }

    void onSignal()
    {
        char byte = 0;
        while (::read(g_signalPipe[0], &byte, 1) == 1) { }
        if (m_stopping) {
            Console::err(ServeCommand::tr("second signal: stopping without waiting for the history file\n"));
            exitNow();
        }
        m_stopping = true;
        Console::err(ServeCommand::tr("shutting down\n"));
        m_http.close();
        m_session.stop(std::chrono::milliseconds(FlushTimeoutMs));
    }

    QList<DeploymentSpec> m_deployments;
    StatusHttpServer::ListenAddress m_listen;
    StatusHttpServer m_http;
    MonitoringSession m_session;
    std::unique_ptr<QSocketNotifier> m_signals;
    bool m_stopping = false;
    bool m_historyErrorShown = false;
};

} // namespace

int ServeCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Runs the checks of the deployments continuously and serves /metrics "
                                        "(Prometheus) and /status (JSON) over HTTP until SIGINT or SIGTERM."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Deployment file (JSON, see docs/deployment-file.md)."));
    const QCommandLineOption deploymentOption(QStringLiteral("deployment"),
                                              tr("A deployment to watch; repeat for several. Default: all."),
                                              QStringLiteral("NAME"));
    const QCommandLineOption listenOption(QStringLiteral("listen"),
                                          tr("Address and port to serve on, e.g. 127.0.0.1:9469 or [::1]:9469."),
                                          QStringLiteral("ADDRESS:PORT"), QStringLiteral("127.0.0.1:9469"));
    const QCommandLineOption dbOption(QStringLiteral("db"),
                                      tr("Keep the results in this history file (SQLite). Default: no history."),
                                      QStringLiteral("PATH"));
    parser.addOptions({deploymentOption, listenOption, dbOption});
    int exitCode = 0;
    if (CommandLine::parse(parser, arguments, 1, &exitCode) == CommandLine::Parsed::Done)
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        Console::err(
            tr("usage: okhealth-check serve FILE [--deployment NAME]... [--listen ADDRESS:PORT] [--db PATH]\n"));
        return ExitUsage;
    }
    const auto listen = StatusHttpServer::parseListenAddress(parser.value(listenOption));
    if (!listen) {
        Console::err(tr("--listen: expected ADDRESS:PORT with an IP address (IPv6 in brackets), got \"%1\"\n")
                         .arg(parser.value(listenOption)));
        return ExitUsage;
    }
    if (parser.isSet(dbOption) && parser.value(dbOption).isEmpty()) {
        Console::err(tr("--db: expected a file path\n"));
        return ExitUsage;
    }

    const auto loaded = DeploymentLoader::loadNow(positional.first());
    if (const auto* error = std::get_if<ConfigError>(&loaded)) {
        Console::err(error->toString() + u'\n');
        return ExitUsage;
    }
    const auto& file = std::get<DeploymentFile>(loaded);
    QList<DeploymentSpec> deployments;
    if (parser.isSet(deploymentOption)) {
        QStringList names = parser.values(deploymentOption);
        names.removeDuplicates();
        for (const QString& name : std::as_const(names)) {
            const DeploymentSpec* deployment = file.find(name);
            if (!deployment) {
                Console::err(tr("%1: no deployment named \"%2\" (the file has: %3)\n")
                                 .arg(positional.first(), name, file.names().join(QStringLiteral(", "))));
                return ExitUsage;
            }
            deployments.append(*deployment);
        }
    } else {
        deployments = file.deployments;
    }

    if (!installSignalHandlers()) {
        Console::err(tr("cannot install the signal handlers: %1\n").arg(QString::fromLocal8Bit(std::strerror(errno))));
        return ExitCannotServe;
    }
    int result = ExitStopped;
    {
        Service service(std::move(deployments), *listen, parser.value(dbOption));
        QMetaObject::invokeMethod(
            &service, [&service] { service.begin(); }, Qt::QueuedConnection);
        result = QCoreApplication::exec();
    }
    return result;
}

} // namespace okh
