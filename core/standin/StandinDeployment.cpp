#include "StandinDeployment.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSaveFile>

namespace okh::standin {

namespace {

const QString kRedis = QStringLiteral("redis");
const QString kDb = QStringLiteral("db");
const QString kWeb = QStringLiteral("web");
const QString kCelery = QStringLiteral("celery");
const QString kFlower = QStringLiteral("celery-flower");
const QString kNginx = QStringLiteral("nginx");
const QString kDatabase = QStringLiteral("openklant");
const QString kWorkerName = QStringLiteral("celery@okhealth-standin");
const QString kFlowerUser = QStringLiteral("flower");

QString randomPassword()
{
    // 18 random bytes as base64url: 24 characters, nothing a URL or a shell would need quoted.
    QByteArray bytes(18, Qt::Uninitialized);
    for (char& byte : bytes)
        byte = char(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QJsonObject endpoint(quint16 port)
{
    return QJsonObject{{QStringLiteral("host"), QStringLiteral("127.0.0.1")}, {QStringLiteral("port"), port}};
}

} // namespace

StandinDeployment::StandinDeployment()
    : StandinDeployment(Options())
{ }

StandinDeployment::StandinDeployment(Options options)
    : m_options(std::move(options))
    , m_dir(QStringLiteral("/tmp/okh-standin-XXXXXX"))
    , m_redisPassword(randomPassword())
    , m_flowerPassword(randomPassword())
{ }

StandinDeployment::~StandinDeployment()
{
    stopAll();
}

QStringList StandinDeployment::serviceNames()
{
    return {kRedis, kDb, kWeb, kCelery, kFlower, kNginx};
}

bool StandinDeployment::start(const std::function<void(const QString& service)>& progress)
{
    if (m_started) {
        m_errorString = QStringLiteral("the stand-in deployment is already started");
        return false;
    }
    if (!m_dir.isValid())
        return fail(QString(), QStringLiteral("cannot create a temp dir: %1").arg(m_dir.errorString()));
    for (const QString& name : serviceNames()) {
        if (progress)
            progress(name);
        if (!startServer(name, true)) {
            stopAll();
            return false;
        }
    }
    // Restarts keep each server's port, so the deployment file stays right.
    m_redis.setPort(m_redis.port());
    m_postgres.setPort(m_postgres.port());
    m_django.setPort(m_django.port());
    m_flower.setPort(m_flower.port());
    m_nginx.setPort(m_nginx.port());
    if (!writeDeploymentFile()) {
        stopAll();
        return false;
    }
    m_started = true;
    return true;
}

bool StandinDeployment::startService(const QString& name)
{
    if (!m_started)
        return fail(name, QStringLiteral("the stand-in deployment is not started"));
    return isRunning(name) || startServer(name, false);
}

bool StandinDeployment::startServer(const QString& name, bool firstTime)
{
    if (name == kRedis)
        return m_redis.start(m_redisPassword) || fail(name, m_redis.errorString());
    if (name == kDb)
        return (m_postgres.start() && (!firstTime || m_postgres.createDatabase(kDatabase)))
            || fail(name, m_postgres.errorString());
    if (name == kWeb) {
        DjangoServer::Options options = m_django.options();
        options.redisUrl = m_redis.url();
        options.postgresPort = m_postgres.port();
        options.databaseName = kDatabase;
        options.migrate = firstTime; // later it would fail with the database down
        return m_django.start(options) || fail(name, m_django.errorString());
    }
    if (name == kCelery) {
        // The worker waits for its broker at start: with redis down it cannot become ready.
        CeleryWorker::Options options;
        options.brokerUrl = m_redis.url();
        options.nodeName = kWorkerName;
        options.probeFrequencySeconds = 2;
        return m_worker.start(options) || fail(name, m_worker.errorString());
    }
    if (name == kFlower)
        return m_flower.start(kFlowerUser, m_flowerPassword) || fail(name, m_flower.errorString());
    if (name == kNginx)
        return m_nginx.start(m_django.port()) || fail(name, m_nginx.errorString());
    return fail(name, QStringLiteral("not a service of the stand-in deployment"));
}

bool StandinDeployment::stopService(const QString& name)
{
    if (name == kRedis)
        m_redis.stop();
    else if (name == kDb)
        m_postgres.stop();
    else if (name == kWeb)
        m_django.stop();
    else if (name == kCelery)
        m_worker.stop();
    else if (name == kFlower)
        m_flower.stop();
    else if (name == kNginx)
        m_nginx.stop();
    else
        return fail(name, QStringLiteral("not a service of the stand-in deployment"));
    return true;
}

void StandinDeployment::stopAll()
{
    // Front to back, so nothing logs its backend going away first.
    m_nginx.stop();
    m_flower.stop();
    if (m_worker.isAlive())
        m_worker.stop();
    m_django.stop();
    m_postgres.stop();
    m_redis.stop();
}

bool StandinDeployment::isRunning(const QString& name) const
{
    if (name == kRedis)
        return m_redis.isRunning();
    if (name == kDb)
        return m_postgres.isRunning();
    if (name == kWeb)
        return m_django.isRunning();
    if (name == kCelery)
        return m_worker.isAlive();
    if (name == kFlower)
        return m_flower.isRunning();
    if (name == kNginx)
        return m_nginx.isRunning();
    return false;
}

QString StandinDeployment::deploymentFile() const
{
    return m_dir.filePath(QStringLiteral("standin.json"));
}

QList<QPair<QString, QString>> StandinDeployment::environment() const
{
    return {{redisPasswordVariable(), m_redisPassword}, {flowerPasswordVariable(), m_flowerPassword}};
}

QList<qint64> StandinDeployment::pids() const
{
    QList<qint64> out;
    for (const qint64 pid :
         {m_redis.pid(), m_postgres.pid(), m_django.pid(), m_worker.pid(), m_flower.pid(), m_nginx.pid()}) {
        if (pid != 0)
            out.append(pid);
    }
    return out;
}

bool StandinDeployment::writeDeploymentFile()
{
    QJsonObject web = endpoint(m_django.port());
    web.insert(QStringLiteral("hostHeader"), QStringLiteral("localhost"));
    QJsonObject db = endpoint(m_postgres.port());
    db.insert(QStringLiteral("user"), QStringLiteral("postgres"));
    db.insert(QStringLiteral("database"), kDatabase);
    QJsonObject flower = endpoint(m_flower.port());
    flower.insert(QStringLiteral("user"), kFlowerUser);
    flower.insert(QStringLiteral("password"), QStringLiteral("${%1}").arg(flowerPasswordVariable()));
    const QJsonObject profileServices{
        {kWeb, web},
        {kNginx, endpoint(m_nginx.port())},
        {kRedis,
         QJsonObject{
             {QStringLiteral("url"),
              QStringLiteral("redis://:${%1}@127.0.0.1:%2/0").arg(redisPasswordVariable()).arg(m_redis.port())}}},
        {kDb, db},
        {kCelery,
         QJsonObject{{QStringLiteral("exec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("local")}}},
                     {QStringLiteral("workerName"), kWorkerName},
                     {QStringLiteral("livenessFile"), m_worker.livenessFile()},
                     {QStringLiteral("readinessFile"), m_worker.readinessFile()},
                     {QStringLiteral("maxAge"), QStringLiteral("30s")}}},
        {kFlower, flower},
    };

    // Every profile check on the stand-in's faster timing.
    const QString interval = QStringLiteral("%1s").arg(m_options.interval.count());
    const auto checks = [&](const QStringList& names) {
        QJsonArray out;
        for (const QString& name : names)
            out.append(QJsonObject{{QStringLiteral("name"), name},
                                   {QStringLiteral("interval"), interval},
                                   {QStringLiteral("failureThreshold"), m_options.failureThreshold}});
        return out;
    };
    const QStringList http{QStringLiteral("healthz"), QStringLiteral("livez"), QStringLiteral("readyz")};
    QJsonArray flowerChecks = checks({QStringLiteral("http")});
    // What an operator adds for Flower: its start page must not be open to anonymous users.
    flowerChecks.append(
        QJsonObject{{QStringLiteral("name"), QStringLiteral("no-anonymous-access")},
                    {QStringLiteral("type"), QStringLiteral("http")},
                    {QStringLiteral("role"), QStringLiteral("info")},
                    {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1/").arg(m_flower.port())},
                    {QStringLiteral("expect"), QStringLiteral("denied")},
                    {QStringLiteral("interval"), QStringLiteral("15s")},
                    {QStringLiteral("timeout"), QStringLiteral("3s")}});
    const auto service = [](const QString& name, const QJsonArray& serviceChecks) {
        return QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("checks"), serviceChecks}};
    };
    const QJsonArray services{
        service(kWeb, checks(http)),
        service(kNginx, checks(http)),
        service(kRedis, checks({QStringLiteral("ping")})),
        service(kDb, checks({QStringLiteral("pg_isready")})),
        service(kCelery, checks({QStringLiteral("event-loop"), QStringLiteral("ping"), QStringLiteral("ready")})),
        service(kFlower, flowerChecks),
    };
    const QJsonObject deployment{
        {QStringLiteral("name"), m_options.name},
        {QStringLiteral("connection"), QJsonObject{{QStringLiteral("type"), QStringLiteral("direct")}}},
        {QStringLiteral("profile"),
         QJsonObject{{QStringLiteral("name"), QStringLiteral("openklant")},
                     {QStringLiteral("services"), profileServices}}},
        {QStringLiteral("services"), services},
    };
    QSaveFile out(deploymentFile());
    if (!out.open(QIODevice::WriteOnly))
        return fail(QString(), QStringLiteral("cannot write %1: %2").arg(deploymentFile(), out.errorString()));
    out.write(QJsonDocument(
                  QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("deployments"), QJsonArray{deployment}}})
                  .toJson());
    if (!out.commit())
        return fail(QString(), QStringLiteral("cannot write %1: %2").arg(deploymentFile(), out.errorString()));
    return true;
}

bool StandinDeployment::fail(const QString& service, const QString& error)
{
    m_errorString = service.isEmpty() ? error : QStringLiteral("%1: %2").arg(service, error);
    return false;
}

} // namespace okh::standin
