#pragma once

#include "CeleryWorker.h"
#include "DjangoServer.h"
#include "FlowerServer.h"
#include "NginxServer.h"
#include "PostgresServer.h"
#include "RedisServer.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <chrono>
#include <functional>

namespace okh::standin {

// A local Open Klant deployment made of real servers on free 127.0.0.1 ports: redis (with a
// password), PostgreSQL 15, the Django site with maykin-common's health URLs, a Celery worker
// writing the liveness and readiness files, nginx with the documentation's health locations
// in front of the site, and the Flower stand-in. It writes the openklant-profile deployment
// file that monitors them; the passwords are in that file only as ${VARIABLES}
// (environment()).
//
// Every call blocks (initdb, migrate and the worker's first pong take seconds), so the app
// keeps this object on a thread of its own. Each service can be stopped and started again on
// its own port, for watching a failure, its consequences and its recovery. The destructor
// stops every server this object started, by pid.
class StandinDeployment
{
public:
    struct Options
    {
        QString name = QStringLiteral("stand-in");
        // Every check's interval and failure threshold: shorter than the profile's (30 s and
        // 3–5 failures) so that a stopped service shows within seconds.
        std::chrono::seconds interval{3};
        int failureThreshold = 2;
    };

    StandinDeployment();
    explicit StandinDeployment(Options options);
    ~StandinDeployment();
    StandinDeployment(const StandinDeployment&) = delete;
    StandinDeployment& operator=(const StandinDeployment&) = delete;

    // The profile's service names, in the order they are started.
    static QStringList serviceNames();

    // Starts every service in dependency order and writes the deployment file. `progress`
    // is told each service's name before it starts. On failure everything started is stopped
    // and errorString() says which server failed, in its own words.
    bool start(const std::function<void(const QString& service)>& progress = {});
    // Stops or restarts one service (on the port it had); false with errorString() set.
    bool stopService(const QString& name);
    bool startService(const QString& name);
    void stopAll();
    bool isRunning(const QString& name) const;

    QString deploymentFile() const;
    // The variables the deployment file refers to (name, value): set them in the monitor's
    // environment before it loads the file.
    QList<QPair<QString, QString>> environment() const;
    // Every server process running now, by pid (the postmaster, nginx's master, ...).
    QList<qint64> pids() const;
    QString errorString() const { return m_errorString; }

    static QString redisPasswordVariable() { return QStringLiteral("OKH_STANDIN_REDIS_PASSWORD"); }
    static QString flowerPasswordVariable() { return QStringLiteral("OKH_STANDIN_FLOWER_PASSWORD"); }

private:
    // Starts one server; the first time also creates the database and migrates the site.
    bool startServer(const QString& name, bool firstTime);
    bool writeDeploymentFile();
    bool fail(const QString& service, const QString& error);

    Options m_options;
    QTemporaryDir m_dir;
    RedisServer m_redis;
    PostgresServer m_postgres;
    DjangoServer m_django;
    CeleryWorker m_worker;
    FlowerServer m_flower;
    NginxServer m_nginx;
    QString m_redisPassword;
    QString m_flowerPassword;
    QString m_errorString;
    bool m_started = false;
};

} // namespace okh::standin
