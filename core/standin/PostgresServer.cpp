#include "PostgresServer.h"

#include "ServerTools.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace okh::standin {

namespace {
constexpr int kReadyTimeoutMs = 30000;
const QString kAccount = QStringLiteral("postgres");
// psql's application_name for the held session, to find it in pg_stat_activity.
const QString kHolderName = QStringLiteral("okh_smart_shutdown_holder");

QString postgresBinDir()
{
    const QString fromEnv = qEnvironmentVariable("OKHEALTH_PG_BINDIR");
    return fromEnv.isEmpty() ? QStringLiteral("/usr/lib/postgresql/15/bin") : fromEnv;
}

QString pgTool(const QString& name)
{
    const QString inBinDir = QDir(postgresBinDir()).filePath(name);
    if (QFileInfo(inBinDir).isExecutable())
        return inBinDir;
    return QStandardPaths::findExecutable(name);
}

// psql/pg_isready run as root but log in as postgres; keep the caller's PG* variables out.
QProcessEnvironment clientEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys()) {
        if (key.startsWith(QLatin1String("PG")))
            env.remove(key);
    }
    env.insert(QStringLiteral("PGUSER"), QStringLiteral("postgres"));
    env.insert(QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("5"));
    return env;
}

QStringList connectionArgs(quint16 port, const QString& database)
{
    return {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(port),
            QStringLiteral("-U"), QStringLiteral("postgres"),  QStringLiteral("-d"), database};
}
} // namespace

PostgresServer::PostgresServer()
    : m_dir(QStringLiteral("/tmp/okh-pg-XXXXXX"))
{ }

PostgresServer::~PostgresServer()
{
    stop();
}

QString PostgresServer::dataDirectory() const
{
    return m_dir.filePath(QStringLiteral("data"));
}

bool PostgresServer::prepareCluster()
{
    if (m_initialised)
        return true;
    if (!m_dir.isValid()) {
        m_errorString = QStringLiteral("cannot create a temp dir: %1").arg(m_dir.errorString());
        return false;
    }
    const QString initdb = pgTool(QStringLiteral("initdb"));
    if (initdb.isEmpty()) {
        m_errorString = QStringLiteral("initdb not found in %1 (Debian package postgresql-15)").arg(postgresBinDir());
        return false;
    }
    const passwd* account = ::getpwnam(kAccount.toLocal8Bit().constData());
    if (account == nullptr) {
        m_errorString = QStringLiteral("no '%1' account: the PostgreSQL binaries refuse to run as root").arg(kAccount);
        return false;
    }
    // QTemporaryDir makes a 0700 dir owned by us; initdb (as postgres) creates data/ in it and
    // the server puts its Unix socket there. /tmp itself is world-traversable.
    const QByteArray dirPath = QFile::encodeName(m_dir.path());
    if (::getuid() == 0 && ::chown(dirPath.constData(), account->pw_uid, account->pw_gid) != 0) {
        m_errorString = QStringLiteral("cannot chown %1 to %2: %3").arg(m_dir.path(), kAccount, qt_error_string(errno));
        return false;
    }

    ManagedProcess initdbProcess(m_dir.filePath(QStringLiteral("initdb.log")));
    if (::getuid() == 0)
        initdbProcess.setRunAsUser(kAccount);
    initdbProcess.setWorkingDirectory(m_dir.path());
    const QStringList args{QStringLiteral("-D"),           dataDirectory(),
                           QStringLiteral("-U"),           QStringLiteral("postgres"),
                           QStringLiteral("--auth=trust"), QStringLiteral("--locale=C"),
                           QStringLiteral("-E"),           QStringLiteral("UTF8"),
                           QStringLiteral("--no-sync")};
    if (!initdbProcess.start(initdb, args)) {
        m_errorString = initdbProcess.errorString();
        return false;
    }
    if (!initdbProcess.waitForExit(std::chrono::seconds(60)) || initdbProcess.exitCode() != 0) {
        initdbProcess.stop();
        m_errorString = QStringLiteral("initdb failed (exit code %1); log:\n%2")
                            .arg(initdbProcess.exitCode())
                            .arg(initdbProcess.logTail());
        return false;
    }
    m_initialised = true;
    return true;
}

bool PostgresServer::start()
{
    if (isRunning()) {
        m_errorString = QStringLiteral("postgres already running on port %1").arg(m_port);
        return false;
    }
    if (!prepareCluster())
        return false;
    return startWithPortRetry([this](bool* portTaken) { return startOnce(portTaken); });
}

bool PostgresServer::startOnce(bool* portTaken)
{
    const QString postgres = pgTool(QStringLiteral("postgres"));
    if (postgres.isEmpty() || pgTool(QStringLiteral("pg_isready")).isEmpty()) {
        m_errorString = QStringLiteral("postgres or pg_isready not found in %1").arg(postgresBinDir());
        return false;
    }
    m_port = m_fixedPort != 0 ? m_fixedPort : freePort();
    m_postmaster = std::make_unique<ManagedProcess>(m_dir.filePath(QStringLiteral("postgres-%1.log").arg(m_port)));
    if (::getuid() == 0)
        m_postmaster->setRunAsUser(kAccount);
    m_postmaster->setWorkingDirectory(m_dir.path());
    m_postmaster->setStopSignal(SIGINT); // "fast" shutdown; SIGTERM would be "smart"
    const QStringList args{QStringLiteral("-D"), dataDirectory(),
                           QStringLiteral("-k"), m_dir.path(),
                           QStringLiteral("-p"), QString::number(m_port),
                           QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"),
                           QStringLiteral("-c"), QStringLiteral("fsync=off"),
                           QStringLiteral("-c"), QStringLiteral("synchronous_commit=off"),
                           QStringLiteral("-c"), QStringLiteral("full_page_writes=off"),
                           QStringLiteral("-c"), QStringLiteral("max_connections=30")};
    if (!m_postmaster->start(postgres, args)) {
        m_errorString = m_postmaster->errorString();
        m_postmaster.reset();
        return false;
    }

    if (m_postmaster->waitUntilReady(
            QStringLiteral("postgres"), m_port, QStringLiteral("pg_isready"), kReadyTimeoutMs, 50,
            [&] { return pgIsReady(1) == 0; }, portTaken, &m_errorString))
        return true;
    m_postmaster.reset();
    return false;
}

void PostgresServer::stop()
{
    if (m_postmaster) {
        // SIGINT upgrades a pending smart shutdown to a fast one, which also ends the held
        // session; the holder then exits by itself and is reaped below.
        m_postmaster->stop(std::chrono::seconds(10));
    }
    releaseHolder();
}

bool PostgresServer::isRunning() const
{
    return m_postmaster && m_postmaster->isRunning();
}

qint64 PostgresServer::pid() const
{
    return m_postmaster ? m_postmaster->pid() : 0;
}

qint64 PostgresServer::postmasterPidFromFile() const
{
    QFile file(QDir(dataDirectory()).filePath(QStringLiteral("postmaster.pid")));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readLine().trimmed().toLongLong();
}

int PostgresServer::pgIsReady(int timeoutSeconds) const
{
    const QStringList args{QStringLiteral("-h"),    QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                           QString::number(m_port), QStringLiteral("-t"),        QString::number(timeoutSeconds)};
    const CommandResult result
        = runCommand(pgTool(QStringLiteral("pg_isready")), args, (timeoutSeconds + 5) * 1000, clientEnvironment());
    return result.started && result.finished ? result.exitCode : -1;
}

bool PostgresServer::execute(const QString& sql, const QString& database, QString* output)
{
    QStringList args = connectionArgs(m_port, database);
    args << QStringLiteral("-X") << QStringLiteral("-A") << QStringLiteral("-t") << QStringLiteral("-v")
         << QStringLiteral("ON_ERROR_STOP=1") << QStringLiteral("-c") << sql;
    const CommandResult result = runCommand(pgTool(QStringLiteral("psql")), args, 20000, clientEnvironment());
    if (!result.succeeded()) {
        m_errorString = QStringLiteral("psql -c \"%1\" failed: %2").arg(sql, result.describe());
        return false;
    }
    if (output != nullptr)
        *output = QString::fromUtf8(result.standardOutput).trimmed();
    return true;
}

bool PostgresServer::createDatabase(const QString& name)
{
    // Quoted identifier: the name is test-chosen, but quote it anyway.
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return execute(QStringLiteral("CREATE DATABASE \"%1\"").arg(quoted));
}

bool PostgresServer::addPasswordRole(const QString& role, const QString& password)
{
    // Test-chosen names and passwords; quote them anyway.
    QString quotedRole = role;
    quotedRole.replace(QLatin1Char('"'), QLatin1String("\"\""));
    QString quotedPassword = password;
    quotedPassword.replace(QLatin1Char('\''), QLatin1String("''"));
    if (!execute(QStringLiteral("CREATE ROLE \"%1\" LOGIN PASSWORD '%2'").arg(quotedRole, quotedPassword)))
        return false;
    // The first matching line wins: put the role's rule before the trust lines. Rewritten in
    // place, so the file keeps its owner (the postgres account).
    QFile hba(dataDirectory() + QStringLiteral("/pg_hba.conf"));
    if (!hba.open(QIODevice::ReadWrite)) {
        m_errorString = hba.fileName() + QStringLiteral(": ") + hba.errorString();
        return false;
    }
    const QByteArray rules
        = QStringLiteral("host all \"%1\" 127.0.0.1/32 scram-sha-256\n").arg(quotedRole).toUtf8() + hba.readAll();
    if (!hba.seek(0) || hba.write(rules) != rules.size()) {
        m_errorString = hba.fileName() + QStringLiteral(": ") + hba.errorString();
        return false;
    }
    hba.close();
    QString reloaded;
    if (!execute(QStringLiteral("SELECT pg_reload_conf()"), QStringLiteral("postgres"), &reloaded))
        return false;
    if (reloaded != QLatin1String("t")) {
        m_errorString = QStringLiteral("pg_reload_conf() returned %1").arg(reloaded);
        return false;
    }
    return true;
}

bool PostgresServer::beginSmartShutdown()
{
    if (!isRunning()) {
        m_errorString = QStringLiteral("postgres is not running");
        return false;
    }
    if (m_holder) {
        m_errorString = QStringLiteral("a smart shutdown is already pending");
        return false;
    }
    // An idle psql reading its (open) stdin: a client session that never ends by itself.
    m_holder = std::make_unique<ManagedProcess>(m_dir.filePath(QStringLiteral("holder-%1.log").arg(m_port)));
    QProcessEnvironment env = clientEnvironment();
    env.insert(QStringLiteral("PGAPPNAME"), kHolderName);
    m_holder->setEnvironment(env);
    m_holder->setKeepStdinOpen(true);
    QStringList args = connectionArgs(m_port, QStringLiteral("postgres"));
    args << QStringLiteral("-X") << QStringLiteral("-q");
    if (!m_holder->start(pgTool(QStringLiteral("psql")), args)) {
        m_errorString = m_holder->errorString();
        m_holder.reset();
        return false;
    }

    // The session counts only once the backend exists; ask the server, not the client.
    const QString countSql
        = QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name = '%1'").arg(kHolderName);
    QDeadlineTimer sessionDeadline(10000);
    bool held = false;
    while (!sessionDeadline.hasExpired() && m_holder->isRunning()) {
        QString count;
        if (execute(countSql, QStringLiteral("postgres"), &count) && count.toInt() >= 1) {
            held = true;
            break;
        }
        QThread::msleep(50);
    }
    if (!held) {
        m_errorString = QStringLiteral("the held psql session did not appear in pg_stat_activity; psql log:\n%1")
                            .arg(m_holder->logTail());
        releaseHolder();
        return false;
    }

    // SIGTERM to the postmaster is PostgreSQL's "smart" shutdown mode.
    if (!m_postmaster->sendSignal(SIGTERM)) {
        m_errorString = QStringLiteral("cannot send SIGTERM to postmaster pid %1").arg(pid());
        releaseHolder();
        return false;
    }
    QDeadlineTimer rejectDeadline(10000);
    int ready = -1;
    while (!rejectDeadline.hasExpired()) {
        ready = pgIsReady(1);
        if (ready == 1)
            return true;
        QThread::msleep(50);
    }
    m_errorString = QStringLiteral("after SIGTERM pg_isready exits %1, not 1 (rejecting); log:\n%2")
                        .arg(ready)
                        .arg(m_postmaster->logTail());
    return false;
}

bool PostgresServer::endSmartShutdown()
{
    if (!m_holder) {
        m_errorString = QStringLiteral("no smart shutdown is pending");
        return false;
    }
    releaseHolder();
    // With its last session gone the postmaster finishes the smart shutdown and exits.
    if (m_postmaster && !m_postmaster->waitForExit(std::chrono::seconds(15))) {
        m_errorString
            = QStringLiteral("postgres did not finish its smart shutdown; log:\n%1").arg(m_postmaster->logTail());
        return false;
    }
    return true;
}

void PostgresServer::releaseHolder()
{
    if (!m_holder)
        return;
    // EOF on stdin makes psql disconnect and exit 0; stop() is the fallback.
    m_holder->closeStdin();
    if (!m_holder->waitForExit(std::chrono::seconds(5)))
        m_holder->stop();
    m_holder.reset();
}

QString PostgresServer::logTail(int maxLines) const
{
    return m_postmaster ? m_postmaster->logTail(maxLines) : fileTail(m_dir.filePath(QStringLiteral("initdb.log")));
}

} // namespace okh::standin
