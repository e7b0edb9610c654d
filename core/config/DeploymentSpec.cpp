#include "DeploymentSpec.h"

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

} // namespace okh
