#pragma once

#include "ManagedProcess.h"

#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace okh::standin {

// A real PostgreSQL 15 cluster (initdb, trust auth, locale C, superuser "postgres") in a temp
// dir under /tmp owned by the postgres account, listening on 127.0.0.1 at a free port and on a
// Unix socket in that dir. The postmaster runs as the postgres account but is this object's
// direct child, so pid() is the postmaster's own pid (checked against postmaster.pid).
class PostgresServer
{
public:
    PostgresServer();
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // initdb (once) and start; waits until `pg_isready -h 127.0.0.1 -p port` exits 0.
    bool start();
    // Fast shutdown (SIGINT to the postmaster), SIGKILL after a grace period; also ends a
    // pending smart shutdown.
    void stop();
    bool isRunning() const;

    // From the next start on, listen on this port (0, the default: a free port at each start).
    // A server restarted on its old port keeps a deployment file that names it valid.
    void setPort(quint16 port) { m_fixedPort = port; }
    quint16 port() const { return m_port; }
    qint64 pid() const;
    // The pid in the data dir's postmaster.pid (first line), 0 when absent.
    qint64 postmasterPidFromFile() const;
    QString socketDirectory() const { return m_dir.path(); }
    QString dataDirectory() const;

    bool createDatabase(const QString& name);
    // A login role whose TCP connections must give this password (scram-sha-256 in
    // pg_hba.conf, ahead of the cluster's trust rule), for tests of wrong credentials.
    bool addPasswordRole(const QString& role, const QString& password);
    // Runs one SQL command through psql over TCP as postgres; the result's stdout on success.
    bool execute(const QString& sql, const QString& database = QStringLiteral("postgres"), QString* output = nullptr);

    // Puts the server into a pending smart shutdown: a psql session owned by this fixture is
    // held open, then the postmaster gets SIGTERM. New connections are then refused with
    // SQLSTATE 57P03 "the database system is shutting down" (pg_isready exits 1) while the held
    // session keeps the server alive. Verified with pg_isready before returning true.
    bool beginSmartShutdown();
    // Releases the held session; the server then completes its shutdown and exits.
    bool endSmartShutdown();
    bool isShuttingDown() const { return m_holder != nullptr; }

    // Runs pg_isready against this server; its exit code (0 accepting, 1 rejecting, 2 no
    // response, 3 no attempt), or -1 when it could not be run.
    int pgIsReady(int timeoutSeconds = 2) const;

    QString errorString() const { return m_errorString; }
    QString logTail(int maxLines = 30) const;

private:
    bool prepareCluster();
    bool startOnce(bool* portTaken);
    void releaseHolder();

    QTemporaryDir m_dir;
    std::unique_ptr<ManagedProcess> m_postmaster;
    std::unique_ptr<ManagedProcess> m_holder; // the session that keeps a smart shutdown pending
    QString m_errorString;
    quint16 m_port = 0;
    quint16 m_fixedPort = 0; // setPort()
    bool m_initialised = false;
};

} // namespace okh::standin
