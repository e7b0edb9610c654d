#pragma once

#include "ManagedProcess.h"

#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace okh::standin {

class PostgresServer;
class RedisServer;

// A real Django site (resources/standin/django_app, Django 3.2 + django-health-check 3.17 from
// Debian, served by /usr/bin/python3 serve.py, i.e. runserver's threaded WSGI server) on a
// free 127.0.0.1 port, serving maykin-common's health URLs: /_healthz/ (every check), /_healthz/livez/ (no
// checks) and /_healthz/readyz/ (default cache + database). Its database is a
// PostgresServer, its default cache (django-redis) a RedisServer.
class DjangoServer
{
public:
    struct Options
    {
        QString redisUrl; // the default cache, e.g. RedisServer::url()
        quint16 postgresPort = 0;
        QString databaseName = QStringLiteral("okhealth"); // must exist, e.g. createDatabase()
        // Who the site logs in as; a role of PostgresServer::addPasswordRole() checks the password.
        QString databaseUser = QStringLiteral("postgres");
        QString databasePassword = QString();
        QString allowedHosts = QStringLiteral("localhost,127.0.0.1"); // ALLOWED_HOSTS, comma list
        // Run `manage.py migrate` first (needs the database): without it the database and
        // migrations checks fail, the table of health_check.db's test model being missing.
        bool migrate = true;
    };

    DjangoServer();
    ~DjangoServer();
    DjangoServer(const DjangoServer&) = delete;
    DjangoServer& operator=(const DjangoServer&) = delete;

    // Migrates (when asked), starts serving and waits until it answers HTTP (any status:
    // with a restrictive ALLOWED_HOSTS the readiness request itself gets 400).
    bool start(const Options& options);
    // The usual site: starts redis and postgres, creates the default Options' database and
    // serves on them. Tests that probe the site, not its backends, need nothing more;
    // errorString() then says which server failed.
    bool startWithBackends(RedisServer& redis, PostgresServer& postgres);
    void stop();
    bool isRunning() const;

    // From the next start on, listen on this port (0, the default: a free port at each start).
    // A server restarted on its old port keeps a deployment file that names it valid.
    void setPort(quint16 port) { m_fixedPort = port; }
    quint16 port() const { return m_port; }
    const Options& options() const { return m_options; } // of the last start()
    qint64 pid() const;
    QString baseUrl() const; // http://127.0.0.1:port

    QString errorString() const { return m_errorString; }
    QString logTail(int maxLines = 30) const;

    // /usr/bin/python3 can import django, health_check, django_redis and psycopg2; otherwise
    // false and *why names what is missing.
    static bool isAvailable(QString* why = nullptr);

    // The environment of the site's processes (manage.py, serve.py): its settings module, its
    // database and cache from options, no inherited PG* or Python path variables.
    static QProcessEnvironment environment(const Options& options);

private:
    bool startOnce(const Options& options, bool* portTaken);

    QTemporaryDir m_dir;
    std::unique_ptr<ManagedProcess> m_process;
    Options m_options;
    QString m_errorString;
    quint16 m_port = 0;
    quint16 m_fixedPort = 0; // setPort()
};

} // namespace okh::standin
