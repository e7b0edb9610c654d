#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <chrono>
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
    friend bool operator==(const HttpTarget&, const HttpTarget&) = default;
};

struct TcpTarget
{
    QString host;
    quint16 port = 0;
    friend bool operator==(const TcpTarget&, const TcpTarget&) = default;
};

// redis://[[user]:password@]host[:port][/db], as Celery and django-redis settings write it.
struct RedisTarget
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString user;
    QString password;
    int db = 0;
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

using ProbeTarget = std::variant<HttpTarget, TcpTarget, RedisTarget, PostgresTarget, CeleryPingTarget>;

} // namespace okh
