#include "ProbeResult.h"

#include <QCoreApplication>

namespace okh {

QString ProbeResult::detail(const QString& key) const
{
    for (const auto& d : details) {
        if (d.key == key)
            return d.value;
    }
    return {};
}

ProbeResult ProbeResult::healthy(const QString& summary)
{
    return {ProbeStatus::Healthy, 0.0, summary, {}, {}, FailureKind::None};
}

ProbeResult ProbeResult::unhealthy(const QString& summary, const QString& hint)
{
    return {ProbeStatus::Unhealthy, 0.0, summary, {}, hint, FailureKind::Other};
}

ProbeResult ProbeResult::unknown(const QString& summary, const QString& hint)
{
    return {ProbeStatus::Unknown, 0.0, summary, {}, hint, FailureKind::Other};
}

ProbeStatus worseStatus(ProbeStatus a, ProbeStatus b)
{
    const auto severity = [](ProbeStatus s) {
        return s == ProbeStatus::Unhealthy ? 2 : s == ProbeStatus::Unknown ? 1 : 0;
    };
    return severity(b) > severity(a) ? b : a;
}

QString statusKey(ProbeStatus status)
{
    switch (status) {
    case ProbeStatus::Healthy:
        return QStringLiteral("healthy");
    case ProbeStatus::Unhealthy:
        return QStringLiteral("unhealthy");
    case ProbeStatus::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString statusText(ProbeStatus status)
{
    switch (status) {
    case ProbeStatus::Healthy:
        return QCoreApplication::translate("okh::ProbeStatus", "healthy");
    case ProbeStatus::Unhealthy:
        return QCoreApplication::translate("okh::ProbeStatus", "unhealthy");
    case ProbeStatus::Unknown:
        break;
    }
    return QCoreApplication::translate("okh::ProbeStatus", "unknown");
}

} // namespace okh
