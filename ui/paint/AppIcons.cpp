#include "AppIcons.h"

#include "util/InstallPaths.h"

namespace okh::AppIcons {

namespace {

QIcon themedOrBuiltIn(const QString& name)
{
    // The built-in copy first: a theme that lacks the name would otherwise give a null icon,
    // and one that has an older install a stale one.
    QIcon icon(QStringLiteral(":/icons/") + name + QStringLiteral(".svg"));
    return icon.isNull() ? QIcon::fromTheme(name) : icon;
}

} // namespace

QString applicationId()
{
    return okh::applicationId();
}

QIcon application()
{
    return themedOrBuiltIn(applicationId());
}

QIcon status(ProbeStatus status)
{
    switch (status) {
    case ProbeStatus::Healthy:
        return themedOrBuiltIn(applicationId() + QStringLiteral("-healthy"));
    case ProbeStatus::Unhealthy:
        return themedOrBuiltIn(applicationId() + QStringLiteral("-unhealthy"));
    case ProbeStatus::Unknown:
        break;
    }
    return themedOrBuiltIn(applicationId() + QStringLiteral("-unknown"));
}

} // namespace okh::AppIcons
