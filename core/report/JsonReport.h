#pragma once

#include "run/RunReport.h"

#include <QByteArray>
#include <QJsonObject>

namespace okh {

// Machine-readable report: deployment, overall status, services → checks with status,
// latencyMs, summary, details, hint. Keys are stable; see docs/cli.md.
class JsonReport
{
public:
    static QJsonObject toJson(const RunReport& report);
    static QByteArray render(const RunReport& report);
};

} // namespace okh
