#include "DeploymentSpec.h"

#include "config/CheckTypes.h"

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

QStringList roleKeys()
{
    QStringList keys;
    for (auto role : {CheckRole::Liveness, CheckRole::Readiness, CheckRole::Startup, CheckRole::Info})
        keys << roleKey(role);
    return keys;
}

const QStringList& serviceKinds()
{
    static const QStringList kinds{
        QStringLiteral("web"),           QStringLiteral("nginx"),         QStringLiteral("redis"),
        QStringLiteral("postgresql"),    QStringLiteral("celery-worker"), QStringLiteral("celery-beat"),
        QStringLiteral("celery-flower"), QStringLiteral("other"),
    };
    return kinds;
}

QString CheckSpec::typeKey() const
{
    return checkTypeOf(target).key;
}

} // namespace okh
