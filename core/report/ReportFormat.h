#pragma once

#include "run/RunReport.h"

#include <QByteArray>
#include <QStringList>
#include <optional>

namespace okh {

// The formats a smoke check's report is written in: `okhealth-check run --format KEY` and the
// desktop's Export both go through here, so the bytes are the same.
enum class ReportFormat { Text, Json, Junit, Markdown, Html };

QString reportFormatKey(ReportFormat format); // "text", "json", "junit", "markdown", "html"
std::optional<ReportFormat> reportFormatFromKey(const QString& key);
QStringList reportFormatKeys();
// `color`: ANSI colours, for the text format on a terminal only.
QByteArray renderReport(const RunReport& report, ReportFormat format, bool color = false);

} // namespace okh
