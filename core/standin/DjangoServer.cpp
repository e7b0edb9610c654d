#include "DjangoServer.h"

#include "PostgresServer.h"
#include "RedisServer.h"
#include "ServerTools.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QThread>

namespace okh::standin {

namespace {
constexpr int kReadyTimeoutMs = 30000;
// Debian's Django packages live in /usr/lib/python3/dist-packages, seen only by this one.
const QString kPython = QStringLiteral("/usr/bin/python3");

QString siteDir()
{
    return QDir(resourceDirectory()).filePath(QStringLiteral("django_app"));
}
} // namespace

DjangoServer::DjangoServer()
    : m_dir(QStringLiteral("/tmp/okh-django-XXXXXX"))
{ }

DjangoServer::~DjangoServer()
{
    stop();
}

bool DjangoServer::isAvailable(QString* why)
{
    const CommandResult result = runCommand(
        kPython, {QStringLiteral("-c"), QStringLiteral("import django, health_check, django_redis, psycopg2")}, 20000);
    if (result.succeeded())
        return true;
    if (why != nullptr)
        *why = QStringLiteral("%1 cannot import django, health_check, django_redis, psycopg2 (Debian packages "
                              "python3-django, python3-django-health-check, python3-django-redis, "
                              "python3-psycopg2): %2")
                   .arg(kPython, result.describe());
    return false;
}

QProcessEnvironment DjangoServer::environment(const Options& options)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : {QStringLiteral("PYTHONPATH"), QStringLiteral("PYTHONHOME"),
                               QStringLiteral("DJANGO_SETTINGS_MODULE"), QStringLiteral("VIRTUAL_ENV")})
        env.remove(key);
    for (const QString& key : env.keys()) {
        if (key.startsWith(QLatin1String("PG")))
            env.remove(key);
    }
    env.insert(QStringLiteral("DJANGO_SETTINGS_MODULE"), QStringLiteral("okh_site.settings"));
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1")); // no __pycache__ in the source tree
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1")); // the log is complete on failure
    env.insert(QStringLiteral("OKH_DB_HOST"), QStringLiteral("127.0.0.1"));
    env.insert(QStringLiteral("OKH_DB_PORT"), QString::number(options.postgresPort));
    env.insert(QStringLiteral("OKH_DB_NAME"), options.databaseName);
    env.insert(QStringLiteral("OKH_DB_USER"), options.databaseUser);
    env.insert(QStringLiteral("OKH_DB_PASSWORD"), options.databasePassword);
    env.insert(QStringLiteral("OKH_REDIS_URL"), options.redisUrl);
    env.insert(QStringLiteral("ALLOWED_HOSTS"), options.allowedHosts);
    return env;
}

bool DjangoServer::start(const Options& options)
{
    if (isRunning()) {
        m_errorString = QStringLiteral("Django already running on port %1").arg(m_port);
        return false;
    }
    if (!m_dir.isValid()) {
        m_errorString = QStringLiteral("cannot create a temp dir: %1").arg(m_dir.errorString());
        return false;
    }
    if (!isAvailable(&m_errorString))
        return false;
    m_options = options;

    if (options.migrate) {
        ManagedProcess migrate(m_dir.filePath(QStringLiteral("migrate.log")));
        migrate.setEnvironment(environment(options));
        migrate.setWorkingDirectory(siteDir());
        const QStringList args{QStringLiteral("manage.py"), QStringLiteral("migrate"), QStringLiteral("--noinput"),
                               QStringLiteral("-v"), QStringLiteral("0")};
        if (!migrate.start(kPython, args)) {
            m_errorString = migrate.errorString();
            return false;
        }
        if (!migrate.waitForExit(std::chrono::seconds(60)) || migrate.exitCode() != 0) {
            migrate.stop();
            m_errorString = QStringLiteral("manage.py migrate failed (exit code %1); log:\n%2")
                                .arg(migrate.exitCode())
                                .arg(migrate.logTail());
            return false;
        }
    }

    return startWithPortRetry([&](bool* portTaken) { return startOnce(options, portTaken); });
}

bool DjangoServer::startWithBackends(RedisServer& redis, PostgresServer& postgres)
{
    Options options;
    if (!redis.start()) {
        m_errorString = redis.errorString();
        return false;
    }
    if (!postgres.start() || !postgres.createDatabase(options.databaseName)) {
        m_errorString = postgres.errorString();
        return false;
    }
    options.redisUrl = redis.url();
    options.postgresPort = postgres.port();
    return start(options);
}

bool DjangoServer::startOnce(const Options& options, bool* portTaken)
{
    m_port = m_fixedPort != 0 ? m_fixedPort : freePort();
    m_process = std::make_unique<ManagedProcess>(m_dir.filePath(QStringLiteral("serve-%1.log").arg(m_port)));
    m_process->setEnvironment(environment(options));
    m_process->setWorkingDirectory(siteDir());
    // serve.py: runserver's threaded WSGI server without its database check at start-up.
    const QStringList args{QStringLiteral("serve.py"), QStringLiteral("127.0.0.1:%1").arg(m_port)};
    if (!m_process->start(kPython, args)) {
        m_errorString = m_process->errorString();
        m_process.reset();
        return false;
    }

    if (m_process->waitUntilReady(
            QStringLiteral("serve.py"), m_port, QStringLiteral("HTTP"), kReadyTimeoutMs, 100,
            [&] {
                // livez runs no checks; any status line (also 400 for a disallowed host) means ready.
                return tcpExchange(m_port,
                                   QByteArrayLiteral("GET /_healthz/livez/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"), 1000)
                    .startsWith("HTTP/1.");
            },
            portTaken, &m_errorString))
        return true;
    m_process.reset();
    return false;
}

void DjangoServer::stop()
{
    if (m_process)
        m_process->stop();
}

bool DjangoServer::isRunning() const
{
    return m_process && m_process->isRunning();
}

qint64 DjangoServer::pid() const
{
    return m_process ? m_process->pid() : 0;
}

QString DjangoServer::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QString DjangoServer::logTail(int maxLines) const
{
    return m_process ? m_process->logTail(maxLines) : fileTail(m_dir.filePath(QStringLiteral("migrate.log")), maxLines);
}

} // namespace okh::standin
