#include "DeploymentSpec.h"

#include "util/HostPort.h"

namespace okh {

QString roleKey(CheckRole role)
{
    switch (role) {
    case CheckRole::Liveness:
        return QStringLiteral("liveness");
    case CheckRole::Readiness:
        return QStringLiteral("readiness");
    case CheckRole::Startup:
        return QStringLiteral("startup");
    case CheckRole::Info:
        break;
    }
    return QStringLiteral("info");
}

std::optional<CheckRole> roleFromKey(const QString& key)
{
    for (auto role : {CheckRole::Liveness, CheckRole::Readiness, CheckRole::Startup, CheckRole::Info}) {
        if (roleKey(role) == key)
            return role;
    }
    return std::nullopt;
}

QString CheckSpec::typeKey() const
{
    struct Visitor
    {
        QString operator()(const HttpTarget&) const { return QStringLiteral("http"); }
        QString operator()(const TcpTarget&) const { return QStringLiteral("tcp"); }
        QString operator()(const RedisTarget&) const { return QStringLiteral("redis"); }
        QString operator()(const PostgresTarget&) const { return QStringLiteral("postgres"); }
        QString operator()(const CeleryPingTarget&) const { return QStringLiteral("celery-ping"); }
        QString operator()(const ExecTarget&) const { return QStringLiteral("exec"); }
        QString operator()(const FileTarget&) const { return QStringLiteral("file"); }
        QString operator()(const HeartbeatTarget&) const { return QStringLiteral("celery-heartbeat"); }
    };
    return std::visit(Visitor{}, target);
}

QString CheckSpec::endpoint() const
{
    const auto join = [](const QString& host, int port) { return formatHostPort(host.toLower(), quint16(port)); };
    struct Visitor
    {
        decltype(join)& j;
        QString operator()(const HttpTarget& t) const
        {
            return j(t.url.host(), t.url.port(t.url.scheme() == QLatin1String("https") ? 443 : 80));
        }
        QString operator()(const TcpTarget& t) const { return j(t.host, t.port); }
        QString operator()(const RedisTarget& t) const { return j(t.host, t.port); }
        QString operator()(const PostgresTarget& t) const { return j(t.host, t.port); }
        QString operator()(const CeleryPingTarget& t) const { return j(t.broker.host, t.broker.port); }
        QString operator()(const ExecTarget&) const { return {}; }
        QString operator()(const FileTarget&) const { return {}; }
        QString operator()(const HeartbeatTarget& t) const { return j(t.broker.host, t.broker.port); }
    };
    return std::visit(Visitor{join}, target);
}

} // namespace okh
