// The desktop app's figures (docs/benchmarks.md, "Desktop"). Not a test: nothing fails here.
//
//   gui-bench dashboard --serve PATH [--checks 500] [--seconds 60]
//       N http checks at 1 s against a local nginx in the real main window under Xvfb: event-loop
//       stalls from inside the GUI thread, RSS, whole-process CPU per 1,000 probes; then the
//       same file under `okhealth-check serve` (PATH) for as long, side by side.
//   gui-bench startup FILE      milliseconds from process start to the window's first paint
//   gui-bench detail FILE KEY   milliseconds until a 30-day history view of KEY (a history
//                               file from bench/history-bench) has every figure and its incidents
#include "ProcessFigures.h"
#include "StallSampler.h"
#include "history/HistoryView.h"
#include "history/IncidentModel.h"
#include "standin/ManagedProcess.h"
#include "standin/ServerTools.h"
#include "standin/XvfbDisplay.h"
#include "store/HistoryStore.h"
#include "translations/Catalogues.h"
#include "util/Clock.h"
#include "window/MainWindow.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <cstdio>
#include <memory>

using namespace okh;
using namespace okh::bench;

namespace {

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

void say(const QString& text)
{
    std::fprintf(stderr, "gui-bench: %s\n", qPrintable(text));
}

// Runs the event loop for ms (the bench's own waiting; the app under measure never does this).
void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

template<typename Done> bool runUntil(Done done, int maxMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < maxMs)
        runFor(10);
    return done();
}

// A deployment of checks/10 services with 10 http checks each, every 1 s, all to url.
QString writeDeployment(const QString& dir, int checks, const QString& url)
{
    QJsonArray services;
    for (int s = 0; s * 10 < checks; ++s) {
        QJsonArray list;
        for (int c = 0; c < 10 && s * 10 + c < checks; ++c)
            list.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("c%1").arg(c)},
                                    {QStringLiteral("type"), QStringLiteral("http")},
                                    {QStringLiteral("role"), QStringLiteral("readiness")},
                                    {QStringLiteral("url"), url},
                                    {QStringLiteral("interval"), QStringLiteral("1s")},
                                    {QStringLiteral("timeout"), QStringLiteral("1s")}});
        services.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("s%1").arg(s, 2, 10, QLatin1Char('0'))},
                                    {QStringLiteral("kind"), QStringLiteral("web")},
                                    {QStringLiteral("checks"), list}});
    }
    const QJsonObject deployment{
        {QStringLiteral("name"), QStringLiteral("bench")},
        {QStringLiteral("connection"), QJsonObject{{QStringLiteral("type"), QStringLiteral("direct")}}},
        {QStringLiteral("services"), services}};
    const QString path = QDir(dir).filePath(QStringLiteral("bench.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(QJsonDocument(
                   QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("deployments"), QJsonArray{deployment}}})
                   .toJson());
    return path;
}

// nginx answering /ok with 200, one access-log line per request: the probe count of a run.
std::unique_ptr<standin::ManagedProcess> startNginx(const QString& dir, quint16 port)
{
    const QString conf = QDir(dir).filePath(QStringLiteral("nginx.conf"));
    QFile file(conf);
    if (!file.open(QIODevice::WriteOnly))
        return nullptr;
    const QString prefix = dir;
    file.write(QStringLiteral("daemon off;\nworker_processes 1;\npid %1/nginx.pid;\nerror_log %1/error.log;\n"
                              "events { worker_connections 4096; }\n"
                              "http {\n  access_log %1/access.log;\n  client_body_temp_path %1/body;\n"
                              "  proxy_temp_path %1/proxy;\n  fastcgi_temp_path %1/fastcgi;\n"
                              "  uwsgi_temp_path %1/uwsgi;\n  scgi_temp_path %1/scgi;\n"
                              "  server {\n    listen 127.0.0.1:%2;\n    location = /ok { return 200 \"ok\\n\"; }\n"
                              "  }\n}\n")
                   .arg(prefix)
                   .arg(port)
                   .toUtf8());
    file.close();
    auto nginx = std::make_unique<standin::ManagedProcess>(QDir(dir).filePath(QStringLiteral("nginx.out")));
    if (!nginx->start(QStringLiteral("/usr/sbin/nginx"),
                      {QStringLiteral("-p"), dir + QLatin1Char('/'), QStringLiteral("-c"), conf}))
        return nullptr;
    const bool up = runUntil(
        [port] {
            return standin::tcpExchange(port, QByteArrayLiteral("GET /ok HTTP/1.0\r\n\r\n"), 300).startsWith("HTTP/1.");
        },
        10000);
    return up ? std::move(nginx) : nullptr;
}

struct RunFigures
{
    double cpuSeconds = 0;
    qint64 probes = 0;
    double rssMiB = 0;
    double peakRssMiB = 0;
    double cpuMsPerThousand() const { return probes > 0 ? cpuSeconds * 1e6 / double(probes) : 0; }
};

int dashboard(const QString& servePath, int checks, int seconds, const standin::XvfbDisplay& display)
{
    QTemporaryDir dir(QStringLiteral("/tmp/okh-gui-bench-XXXXXX"));
    const quint16 port = standin::freePort();
    auto nginx = startNginx(dir.path(), port);
    if (!nginx) {
        say(QStringLiteral("nginx did not start"));
        return 1;
    }
    const QString accessLog = QDir(dir.path()).filePath(QStringLiteral("access.log"));
    const QString file = writeDeployment(dir.path(), checks, QStringLiteral("http://127.0.0.1:%1/ok").arg(port));

    // The app, as `okhealth FILE` runs it.
    say(QStringLiteral("%1 checks in the main window for %2 s …").arg(checks).arg(seconds));
    auto* window = new MainWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<MainWindow> alive(window);
    window->resize(1280, 800);
    window->show();
    bool opened = false;
    QObject::connect(window, &MainWindow::deploymentsOpened, window, [&opened] { opened = true; });
    window->open({file}, MainWindow::Remember::No);
    if (!runUntil([&] { return opened; }, 10000)) {
        say(QStringLiteral("the deployment file did not open"));
        return 1;
    }
    runFor(5000); // every check has run a few times
    // CPU and probes first, without the sampler (its 200 wake-ups a second would count as the
    // app's CPU); then the stalls, with it, for as long.
    const ProcessFigures gui0 = ProcessFigures::of(0);
    const ProcessFigures x0 = ProcessFigures::of(display.pid());
    const qint64 lines0 = lineCount(accessLog);
    runFor(seconds * 1000);
    const ProcessFigures gui1 = ProcessFigures::of(0);
    const ProcessFigures x1 = ProcessFigures::of(display.pid());
    RunFigures gui{gui1.cpuSeconds - gui0.cpuSeconds, lineCount(accessLog) - lines0, gui1.rssMiB, gui1.peakRssMiB};
    say(QStringLiteral("event-loop delays for %1 s …").arg(seconds));
    StallSampler sampler;
    sampler.start();
    runFor(seconds * 1000);
    sampler.stop();
    window->close();
    runUntil([&] { return alive.isNull(); }, 15000);

    // The same checks in `okhealth-check serve`, with a history file as the app keeps one.
    say(QStringLiteral("the same checks under okhealth-check serve for %1 s …").arg(seconds));
    standin::ManagedProcess serve(QDir(dir.path()).filePath(QStringLiteral("serve.log")));
    if (!serve.start(servePath,
                     {QStringLiteral("serve"), file, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                      QStringLiteral("--db"), QDir(dir.path()).filePath(QStringLiteral("serve.sqlite"))})) {
        say(serve.errorString());
        return 1;
    }
    runFor(5000);
    const auto servePid = pid_t(serve.pid());
    const ProcessFigures serve0 = ProcessFigures::of(servePid);
    const qint64 serveLines0 = lineCount(accessLog);
    runFor(seconds * 1000);
    const ProcessFigures serve1 = ProcessFigures::of(servePid);
    RunFigures cli{serve1.cpuSeconds - serve0.cpuSeconds, lineCount(accessLog) - serveLines0, serve1.rssMiB,
                   serve1.peakRssMiB};
    serve.stop();

    const auto fixed = [](double v, int decimals = 1) { return QString::number(v, 'f', decimals); };
    out() << "| figure | main window (okhealth) | okhealth-check serve | goal |\n|---|---|---|---|\n";
    out() << "| probes in " << seconds << " s (nginx access log) | " << gui.probes << " | " << cli.probes << " | "
          << checks * seconds << " expected |\n";
    out() << "| CPU per 1,000 probes | " << fixed(gui.cpuMsPerThousand()) << " ms | " << fixed(cli.cpuMsPerThousand())
          << " ms | ratio "
          << fixed(cli.cpuMsPerThousand() > 0 ? gui.cpuMsPerThousand() / cli.cpuMsPerThousand() : 0, 2)
          << "× (goal ≤ 1.3×) |\n";
    out() << "| RSS at the end (peak) | " << fixed(gui.rssMiB) << " MiB (" << fixed(gui.peakRssMiB) << ") | "
          << fixed(cli.rssMiB) << " MiB (" << fixed(cli.peakRssMiB) << ") | < 200 MiB |\n";
    out() << "| event-loop delay p50 / p99 / max | " << fixed(sampler.quantileMs(0.5), 2) << " / "
          << fixed(sampler.quantileMs(0.99), 2) << " / " << fixed(sampler.maxMs(), 2) << " ms (" << sampler.samples()
          << " ticks of 5 ms, " << sampler.countOver(16) << " over 16 ms) | – | p99 < 16 ms, max < 50 ms |\n";
    out() << "| X server CPU (Xvfb, painting) | " << fixed((x1.cpuSeconds - x0.cpuSeconds) * 1000.0 / seconds)
          << " ms per s | – | – |\n";
    out().flush();
    return 0;
}

int startup(const QString& file)
{
    // From the process's start as the kernel recorded it (exec, dynamic linking, Qt's start-up
    // included) until the main window has painted once.
    auto* window = new MainWindow;
    class FirstPaint : public QObject
    {
    public:
        bool eventFilter(QObject*, QEvent* event) override
        {
            if (event->type() == QEvent::Paint && !m_done) {
                m_done = true;
                const double ms = ProcessFigures::msSinceProcessStart();
                QTimer::singleShot(0, qApp, [ms] {
                    out() << "first-paint-ms " << QString::number(ms, 'f', 1) << '\n';
                    out().flush();
                    QApplication::quit();
                });
            }
            return false;
        }
        bool m_done = false;
    } filter;
    window->installEventFilter(&filter);
    window->show();
    if (!file.isEmpty())
        window->open({file}, MainWindow::Remember::No);
    const int code = QApplication::exec();
    window->removeEventFilter(&filter);
    delete window; // the monitors were never started if the file is still loading: nothing to wait for
    return code;
}

int detail(const QString& path, const CheckKey& key, int runs)
{
    HistoryStore::Options options;
    options.path = path;
    options.maintenanceInterval = std::chrono::milliseconds(0);
    HistoryStore store(options, SystemClock::instance());
    HistoryView view;
    view.resize(640, 420);
    view.show();
    view.setStore(&store);
    view.setSpan(HistoryView::Span::Month);
    bool figures = false;
    bool incidents = false;
    QObject::connect(&view, &HistoryView::loaded, &view, [&figures] { figures = true; });
    QObject::connect(view.incidents(), &IncidentModel::pageLoaded, &view, [&incidents] { incidents = true; });
    const CheckKey other{key.deployment, key.service, QStringLiteral("not-there")};
    QList<double> times;
    for (int run = 0; run < runs; ++run) {
        view.setCheck(other);
        runUntil([&] { return figures && incidents; }, 10000);
        figures = incidents = false;
        QElapsedTimer clock;
        clock.start();
        view.setCheck(key); // selecting the check, as a click on its row does
        if (!runUntil([&] { return figures && incidents; }, 10000)) {
            say(QStringLiteral("the history view did not load within 10 s"));
            return 1;
        }
        times.append(double(clock.nsecsElapsed()) / 1e6);
        figures = incidents = false;
    }
    QList<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    out() << "detail-30d-ms first " << QString::number(times.first(), 'f', 1) << " median "
          << QString::number(sorted.at(sorted.size() / 2), 'f', 1) << " max " << QString::number(sorted.last(), 'f', 1)
          << " uptime \"" << view.uptimeText() << "\"\n";
    out().flush();
    return 0;
}

} // namespace

int main(int argc, char* argv[])
{
    const QStringList args = [&] {
        QStringList list;
        for (int i = 1; i < argc; ++i)
            list << QString::fromLocal8Bit(argv[i]);
        return list;
    }();
    const QString mode = args.value(0);
    const auto option = [&args](const QString& name, const QString& fallback) {
        const qsizetype at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
    };

    // The app's settings and history go to a temp dir, never the user's.
    QTemporaryDir home(QStringLiteral("/tmp/okh-gui-bench-home-XXXXXX"));
    for (const char* variable : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
        qputenv(variable, home.path().toLocal8Bit());
    standin::XvfbDisplay display;
    if (qEnvironmentVariableIsEmpty("OKH_BENCH_DISPLAY")) {
        if (!display.start(QStringLiteral("1400x900x24"))) {
            say(display.errorString());
            return 1;
        }
    } else {
        qputenv("DISPLAY", qgetenv("OKH_BENCH_DISPLAY"));
        qputenv("QT_QPA_PLATFORM", "xcb");
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("okhealth"));
    QApplication::setOrganizationName(QStringLiteral("okhealth"));
    installTranslations();
    if (mode == QLatin1String("dashboard"))
        return dashboard(option(QStringLiteral("--serve"), QString()),
                         option(QStringLiteral("--checks"), QStringLiteral("500")).toInt(),
                         option(QStringLiteral("--seconds"), QStringLiteral("60")).toInt(), display);
    if (mode == QLatin1String("startup"))
        return startup(args.value(1));
    if (mode == QLatin1String("detail")) {
        const QStringList key = args.value(2).split(QLatin1Char('/'));
        if (key.size() != 3) {
            say(QStringLiteral("detail FILE DEPLOYMENT/SERVICE/CHECK"));
            return 2;
        }
        return detail(args.value(1), {key.at(0), key.at(1), key.at(2)},
                      option(QStringLiteral("--runs"), QStringLiteral("9")).toInt());
    }
    say(QStringLiteral(
        "usage: gui-bench dashboard --serve PATH [--checks N] [--seconds S] | startup [FILE] | detail FILE KEY"));
    return 2;
}
