#pragma once

#include "exec/ExecContext.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <chrono>
#include <optional>
#include <variant>

namespace okh {

// What a probe talks to. Plain values: the deployment file fills them, probes read them.

struct HttpTarget
{
    enum class Expectation {
        Success, // 200–399 is healthy (kubelet's and maykin-common's rule)
        Denied, // exposure check: 401/403/refused is healthy, a 2xx means "exposed"
    };
    QUrl url;
    QString hostHeader; // empty: the URL's host
    Expectation expect = Expectation::Success;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString user; // basic auth (Flower's --basic-auth); never shown in reports
    QString password;
    friend bool operator==(const HttpTarget&, const HttpTarget&) = default;
};

struct TcpTarget
{
    QString host;
    quint16 port = 0;
    friend bool operator==(const TcpTarget&, const TcpTarget&) = default;
};

// rediss://: TLS as kombu/redis-py set it up from the URL's ssl_* parameters
// (docs/deployment-file.md, Redis URLs). Files are read on the monitor's machine.
struct RedisTls
{
    enum class Verify {
        None, // rediss:// without ssl_cert_reqs: kombu's CERT_NONE
        Required, // ssl_cert_reqs=required (or optional: the same for a client)
    };
    bool enabled = false;
    Verify verify = Verify::None;
    QString caCertsFile; // ssl_ca_certs; empty: the system's trusted CAs
    QString certFile; // ssl_certfile: client certificate, for tls-auth-clients
    QString keyFile; // ssl_keyfile
    bool checkHostname = false; // ssl_check_hostname (redis-py's default is off)
    friend bool operator==(const RedisTls&, const RedisTls&) = default;
};

// redis[s]://[[user]:password@]host[:port][/db], as Celery and django-redis settings write it.
struct RedisTarget
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString user;
    QString password;
    int db = 0;
    RedisTls tls;
    friend bool operator==(const RedisTarget&, const RedisTarget&) = default;
};

struct PostgresTarget
{
    QString host = QStringLiteral("localhost");
    quint16 port = 5432;
    QString user; // empty: pg_isready's default, the local OS user
    QString database; // empty: same as user
    friend bool operator==(const PostgresTarget&, const PostgresTarget&) = default;
};

// Celery's control.ping through the broker (docs/celery-ping.md). An empty worker list pings
// every worker (broadcast) and is healthy when any answers.
struct CeleryPingTarget
{
    RedisTarget broker;
    QStringList workers;
    std::chrono::milliseconds replyTimeout{3000}; // maykin-common's --ping-timeout
    QString controlExchange = QStringLiteral("celery");
    QString keyPrefix; // broker_transport_options global_keyprefix
    friend bool operator==(const CeleryPingTarget&, const CeleryPingTarget&) = default;
};

// A command run in the service's execution context; healthy when it exits 0 (the seed's
// "script exit code" form: redis-cli ping, pg_isready, maykin-common …).
struct ExecTarget
{
    ExecContext context;
    QStringList command;
    // The arguments before ${…} expansion, when read from a file: what a writer saves, so that a
    // password from a reference (redis-cli -a ${REDIS_PASSWORD}) is never written out. Not part
    // of what the check does, so not compared.
    QStringList commandAsWritten;
    friend bool operator==(const ExecTarget& a, const ExecTarget& b)
    {
        return a.context == b.context && a.command == b.command;
    }
};

// A file in the service's execution context: present (readiness file) or younger than maxAge
// (liveness files). Ages use the clock of the machine that holds the file.
struct FileTarget
{
    ExecContext context;
    QString path;
    std::optional<std::chrono::seconds> maxAge; // none: presence only
    friend bool operator==(const FileTarget&, const FileTarget&) = default;
};

// Passive: Celery workers' heartbeat events on the broker (docs/celery-ping.md §4). Listens for
// `listen`; healthy when every named worker (any worker, when none is named) was heard.
struct HeartbeatTarget
{
    RedisTarget broker;
    QStringList workers;
    std::chrono::milliseconds listen{5000}; // > 2 × the 2 s heartbeat interval
    QString keyPrefix;
    QString eventExchange = QStringLiteral("celeryev");
    friend bool operator==(const HeartbeatTarget&, const HeartbeatTarget&) = default;
};

using ProbeTarget = std::variant<HttpTarget, TcpTarget, RedisTarget, PostgresTarget, CeleryPingTarget, ExecTarget,
                                 FileTarget, HeartbeatTarget>;

} // namespace okh
