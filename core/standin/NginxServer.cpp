#include "NginxServer.h"

#include "ServerTools.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>
#include <unistd.h>

namespace okh::standin {

namespace {
constexpr int kReadyTimeoutMs = 10000;

QString nginxProgram()
{
    QString program = QStandardPaths::findExecutable(QStringLiteral("nginx"));
    if (program.isEmpty()) // root's PATH has sbin, others' often not
        program = QStandardPaths::findExecutable(QStringLiteral("nginx"), {QStringLiteral("/usr/sbin")});
    return program;
}
} // namespace

NginxServer::NginxServer()
    : m_dir(QStringLiteral("/tmp/okh-nginx-XXXXXX"))
{ }

NginxServer::~NginxServer()
{
    stop();
}

QString NginxServer::configPath() const
{
    return m_dir.filePath(QStringLiteral("nginx.conf"));
}

bool NginxServer::renderConfig(quint16 backendPort, const Options& options)
{
    const QString templatePath = QDir(resourceDirectory()).filePath(QStringLiteral("nginx/nginx.conf.in"));
    QFile templateFile(templatePath);
    if (!templateFile.open(QIODevice::ReadOnly)) {
        m_errorString = QStringLiteral("cannot read %1: %2").arg(templatePath, templateFile.errorString());
        return false;
    }
    QSet<QString> variants;
    // As root, nginx would run its worker as "nobody", which cannot enter our 0700 temp dir.
    if (::geteuid() == 0)
        variants << QStringLiteral("ROOT");
    switch (options.healthAccess) {
    case HealthAccess::LoopbackAllowed:
        variants << QStringLiteral("LOOPBACK_ALLOWED");
        break;
    case HealthAccess::OtherAllowedOnly:
        variants << QStringLiteral("OTHER_ALLOWED");
        break;
    case HealthAccess::LoopbackRejected:
        variants << QStringLiteral("OTHER_ALLOWED") << QStringLiteral("REJECT_EARLY");
        break;
    }
    variants << (options.proxyReadiness ? QStringLiteral("PROXY_READYZ") : QStringLiteral("STATIC_READYZ"));
    variants << (options.tls ? QStringLiteral("TLS") : QStringLiteral("PLAIN"));
    if (options.tls) {
        const auto cert = runCommand(QStringLiteral("openssl"),
                                     {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                                      QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                                      QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                                      QStringLiteral("-keyout"), m_dir.filePath(QStringLiteral("key.pem")),
                                      QStringLiteral("-out"), m_dir.filePath(QStringLiteral("cert.pem"))},
                                     30'000);
        if (!cert.succeeded()) {
            m_errorString = QStringLiteral("cannot make a certificate: %1").arg(cert.describe());
            return false;
        }
    }
    m_tls = options.tls;

    static const QRegularExpression variantLine(QStringLiteral("^#\\[(\\w+)\\] (.*)$"));
    QStringList lines;
    const QStringList templateLines = QString::fromUtf8(templateFile.readAll()).split(QLatin1Char('\n'));
    for (const QString& line : templateLines) {
        const QRegularExpressionMatch match = variantLine.match(line);
        if (!match.hasMatch())
            lines << line;
        else if (variants.contains(match.captured(1)))
            lines << match.captured(2);
    }
    QString config = lines.join(QLatin1Char('\n'));
    config.replace(QLatin1String("@PREFIX@"), m_dir.path());
    config.replace(QLatin1String("@PORT@"), QString::number(m_port));
    config.replace(QLatin1String("@BACKEND_PORT@"), QString::number(backendPort));
    config.replace(QLatin1String("@PROXY_READ_TIMEOUT@"), QStringLiteral("%1s").arg(options.proxyReadTimeoutSeconds));

    QFile out(configPath());
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(config.toUtf8()) < 0) {
        m_errorString = QStringLiteral("cannot write %1: %2").arg(configPath(), out.errorString());
        return false;
    }
    return true;
}

bool NginxServer::start(quint16 backendPort)
{
    return start(backendPort, Options{});
}

bool NginxServer::start(quint16 backendPort, const Options& options)
{
    if (isRunning()) {
        m_errorString = QStringLiteral("nginx already running on port %1").arg(m_port);
        return false;
    }
    if (!m_dir.isValid()) {
        m_errorString = QStringLiteral("cannot create a temp dir: %1").arg(m_dir.errorString());
        return false;
    }
    if (nginxProgram().isEmpty()) {
        m_errorString = QStringLiteral("nginx not found (Debian package nginx-light)");
        return false;
    }
    return startWithPortRetry([&](bool* portTaken) { return startOnce(backendPort, options, portTaken); });
}

bool NginxServer::startOnce(quint16 backendPort, const Options& options, bool* portTaken)
{
    m_port = m_fixedPort != 0 ? m_fixedPort : freePort();
    if (!renderConfig(backendPort, options))
        return false;
    // -p: prefix for relative paths; -e: the log used before the config is read.
    const QStringList common{QStringLiteral("-p"), m_dir.path() + QLatin1Char('/'),
                             QStringLiteral("-c"), configPath(),
                             QStringLiteral("-e"), m_dir.filePath(QStringLiteral("error.log"))};
    const CommandResult check
        = runCommand(nginxProgram(), common + QStringList{QStringLiteral("-t"), QStringLiteral("-q")});
    if (!check.succeeded()) {
        m_errorString = QStringLiteral("nginx -t rejects %1: %2\n%3").arg(configPath(), check.describe(), logTail());
        return false;
    }

    m_process = std::make_unique<ManagedProcess>(m_dir.filePath(QStringLiteral("nginx-%1.out").arg(m_port)));
    m_process->setWorkingDirectory(m_dir.path());
    if (!m_process->start(nginxProgram(), common)) {
        m_errorString = m_process->errorString();
        m_process.reset();
        return false;
    }

    if (m_process->waitUntilReady(
            QStringLiteral("nginx"), m_port, QStringLiteral("HTTP"), kReadyTimeoutMs, 50,
            [&] {
                // /denied/ needs no backend and answers 403 in every variant: any status line will do.
                return tcpExchange(m_port, QByteArrayLiteral("GET /denied/ HTTP/1.0\r\nHost: localhost\r\n\r\n"), 500)
                    .startsWith("HTTP/1.");
            },
            portTaken, &m_errorString, [this] { return logTail(); }))
        return true;
    m_process.reset();
    return false;
}

void NginxServer::stop()
{
    // SIGTERM is nginx's fast shutdown; the master waits for its worker before it exits.
    if (m_process)
        m_process->stop();
}

bool NginxServer::isRunning() const
{
    return m_process && m_process->isRunning();
}

qint64 NginxServer::pid() const
{
    return m_process ? m_process->pid() : 0;
}

QString NginxServer::baseUrl() const
{
    return QStringLiteral("%1://127.0.0.1:%2")
        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
        .arg(m_port);
}

QString NginxServer::logTail(int maxLines) const
{
    QString tail = fileTail(m_dir.filePath(QStringLiteral("error.log")), maxLines);
    if (m_process)
        tail += QLatin1Char('\n') + m_process->logTail(maxLines);
    return tail;
}

} // namespace okh::standin
