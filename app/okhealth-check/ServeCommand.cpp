#include "ServeCommand.h"

#include "CommandLine.h"
#include "Console.h"
#include "config/DeploymentFile.h"
#include "engine/DeploymentMonitor.h"
#include "server/MetricsExposition.h"
#include "server/StatusHttpServer.h"
#include "server/StatusJson.h"
#include "store/HistoryStore.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QFuture>
#include <QHash>
#include <QLockFile>
#include <QSocketNotifier>
#include <QTimer>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <unistd.h>
#include <vector>

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

// The running service: one monitor per deployment, the HTTP endpoints, the optional history.
class Service : public QObject
{
public:
    Service(QList<DeploymentSpec> deployments, StatusHttpServer::ListenAddress listen, QString historyPath)
        : m_deployments(std::move(deployments))
        , m_listen(listen)
        , m_historyPath(std::move(historyPath))
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
    }

    ~Service() override
    {
        // Monitors first: they record into the store, whose destructor commits what is queued.
        m_monitors.clear();
        m_history.reset();
    }

    void begin()
    {
        if (!m_http.listen(m_listen.address, m_listen.port)) {
            Console::err(ServeCommand::tr("cannot listen on %1: %2\n").arg(listenText(), m_http.errorString()));
            QCoreApplication::exit(ExitCannotServe);
            return;
        }
        if (m_historyPath.isEmpty()) {
            startMonitors();
            return;
        }
        QDir().mkpath(QFileInfo(m_historyPath).absolutePath());
        // One writer per history file: a second one would interleave its cached check ids,
        // incidents and rollup marks with ours. Readers (the GUI) take no lock.
        m_historyLock = std::make_unique<QLockFile>(m_historyPath + QStringLiteral(".lock"));
        m_historyLock->setStaleLockTime(0); // stale only when its process is gone, never by age
        if (!m_historyLock->tryLock(0)) {
            qint64 pid = 0;
            QString host;
            QString application;
            m_historyLock->getLockInfo(&pid, &host, &application);
            Console::err(ServeCommand::tr("the history file %1 is already written by another process (pid %2 on %3); "
                                          "give each serve its own --db\n")
                             .arg(m_historyPath)
                             .arg(pid)
                             .arg(host));
            QCoreApplication::exit(ExitCannotServe);
            return;
        }
        HistoryStore::Options options;
        options.path = m_historyPath;
        m_history = std::make_unique<HistoryStore>(options, SystemClock::instance());
        connect(m_history.get(), &HistoryStore::errorOccurred, this, [this](const QString& message) {
            m_historyErrorShown = true;
            Console::err(ServeCommand::tr("history: %1\n").arg(message));
        });
        // Refuse to run without the history that was asked for, rather than lose it silently.
        m_history->stats().then(this, [this](const StoreStats& stats) {
            if (m_stopping)
                return; // a signal came first
            if (!stats.open) {
                if (!m_historyErrorShown)
                    Console::err(ServeCommand::tr("cannot open the history file %1\n").arg(m_historyPath));
                QCoreApplication::exit(ExitCannotServe);
                return;
            }
            startMonitors();
        });
    }

private:
    QString listenText() const
    {
        const QString host = m_listen.address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + m_listen.address.toString() + u']'
            : m_listen.address.toString();
        return host + u':' + QString::number(m_http.isListening() ? m_http.serverPort() : m_listen.port);
    }

    void startMonitors()
    {
        int checks = 0;
        for (const DeploymentSpec& spec : std::as_const(m_deployments)) {
            DeploymentMonitor::Options options;
            options.history = m_history.get();
            auto monitor = std::make_unique<DeploymentMonitor>(spec, options);
            connect(monitor.get(), &DeploymentMonitor::checkUpdated, this, &Service::onCheckUpdated);
            connect(monitor.get(), &DeploymentMonitor::reachabilityChanged, this,
                    [](const QString& deployment, bool reachable, const QString& error) {
                        Console::err(reachable ? ServeCommand::tr("%1: connection up\n").arg(deployment)
                                               : ServeCommand::tr("%1: connection down: %2\n").arg(deployment, error));
                    });
            for (const ServiceSpec& service : spec.services)
                checks += int(service.checks.size());
            monitor->start();
            m_monitors.push_back(std::move(monitor));
        }
        Console::err(ServeCommand::tr("watching %n deployment(s) with %1 check(s); serving http://%2/metrics and "
                                      "/status\n",
                                      nullptr, int(m_deployments.size()))
                         .arg(checks)
                         .arg(listenText()));
    }

    // Quiet while all is well: a line when a check turns unhealthy or recovers, for the journal.
    void onCheckUpdated(const CheckSnapshot& check)
    {
        const ProbeStatus now = check.state.verdict;
        auto it = m_verdicts.find(check.key);
        const ProbeStatus before = it == m_verdicts.end() ? ProbeStatus::Unknown : *it;
        if (it == m_verdicts.end())
            m_verdicts.insert(check.key, now);
        else
            *it = now;
        if (now == before || (now != ProbeStatus::Unhealthy && before != ProbeStatus::Unhealthy))
            return;
        Console::err(ServeCommand::tr("%1/%2/%3: %4 → %5: %6\n")
                         .arg(check.key.deployment, check.key.service, check.key.check, statusKey(before),
                              statusKey(now), check.state.last.summary));
    }

    QList<MonitorReading> readings(MonitorReading::Detail detail) const
    {
        QList<MonitorReading> list;
        list.reserve(qsizetype(m_monitors.size()));
        for (const auto& monitor : m_monitors)
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
        for (const auto& monitor : m_monitors)
            monitor->stop();
        if (!m_history) {
            QCoreApplication::exit(ExitStopped);
            return;
        }
        QTimer::singleShot(FlushTimeoutMs, this, [] {
            Console::err(ServeCommand::tr("the history file did not take the last results within 10 s; stopping "
                                          "without them\n"));
            exitNow();
        });
        m_history->flush().then(this, [] { QCoreApplication::exit(ExitStopped); });
    }

    QList<DeploymentSpec> m_deployments;
    StatusHttpServer::ListenAddress m_listen;
    QString m_historyPath;
    StatusHttpServer m_http;
    std::unique_ptr<QLockFile> m_historyLock;
    std::unique_ptr<HistoryStore> m_history;
    std::vector<std::unique_ptr<DeploymentMonitor>> m_monitors;
    std::unique_ptr<QSocketNotifier> m_signals;
    QHash<CheckKey, ProbeStatus> m_verdicts;
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

    const auto loaded = DeploymentFile::load(positional.first());
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
