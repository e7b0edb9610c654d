#include "ReportFormat.h"

#include "report/HtmlReport.h"
#include "report/JsonReport.h"
#include "report/JunitReport.h"
#include "report/MarkdownReport.h"
#include "report/TextReport.h"

namespace okh {

namespace {

constexpr ReportFormat allFormats[]
    = {ReportFormat::Text, ReportFormat::Json, ReportFormat::Junit, ReportFormat::Markdown, ReportFormat::Html};

} // namespace

QString reportFormatKey(ReportFormat format)
{
    switch (format) {
    case ReportFormat::Text:
        return QStringLiteral("text");
    case ReportFormat::Json:
        return QStringLiteral("json");
    case ReportFormat::Junit:
        return QStringLiteral("junit");
    case ReportFormat::Markdown:
        return QStringLiteral("markdown");
    case ReportFormat::Html:
        break;
    }
    return QStringLiteral("html");
}

std::optional<ReportFormat> reportFormatFromKey(const QString& key)
{
    for (const ReportFormat format : allFormats) {
        if (reportFormatKey(format) == key)
            return format;
    }
    return std::nullopt;
}

QStringList reportFormatKeys()
{
    QStringList keys;
    for (const ReportFormat format : allFormats)
        keys << reportFormatKey(format);
    return keys;
}

QByteArray renderReport(const RunReport& report, ReportFormat format, bool color)
{
    switch (format) {
    case ReportFormat::Json:
        return JsonReport::render(report);
    case ReportFormat::Junit:
        return JunitReport::render(report);
    case ReportFormat::Markdown:
        return MarkdownReport::render(report);
    case ReportFormat::Html:
        return HtmlReport::render(report);
    case ReportFormat::Text:
        break;
    }
    return TextReport::render(report, color).toUtf8();
}

} // namespace okh
