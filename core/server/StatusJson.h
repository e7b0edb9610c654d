#pragma once

#include "MonitorReading.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace okh {

// /status: every deployment with its reachability and root causes, its services (root causes
// first) with the orchestrator's conclusion, and their checks with state and latest result.
// The layout is in docs/cli.md ("serve"). Targets come from publicTarget(): no passwords.
namespace StatusJson {

inline constexpr QByteArrayView contentType = "application/json; charset=utf-8";

QJsonObject toJson(const QList<MonitorReading>& readings, qint64 nowMs);
QByteArray render(const QList<MonitorReading>& readings, qint64 nowMs);

} // namespace StatusJson

} // namespace okh
