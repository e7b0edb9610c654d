#pragma once

#include "report/ReportFormat.h"
#include "run/RunReport.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QObject>
#include <QString>
#include <functional>

namespace okh {

// A smoke check report in the CLI's formats (core/report: JSON and JUnit byte for byte as
// `okhealth-check run --format`), plus HTML and Markdown for a release ticket; written with
// QSaveFile on the thread pool, never on the GUI thread.
class ReportExport
{
    Q_DECLARE_TR_FUNCTIONS(okh::ReportExport)
public:
    using Format = ReportFormat;

    static QList<Format> formats(); // those that make sense as files: not the terminal's text
    static QString formatName(Format format); // "JSON", "JUnit XML", …
    static QString fileFilter(Format format); // "JUnit XML (*.xml)"
    static QString suffix(Format format); // "xml"
    // "stand-in-smoke-20261207-1204.json"
    static QString suggestedFileName(const RunReport& report, Format format);

    // Renders and writes in the background; `done` runs on `context`'s thread with an empty
    // error, or the reason the file could not be written.
    static void save(const RunReport& report, Format format, const QString& path, QObject* context,
                     std::function<void(const QString& error)> done);
};

} // namespace okh
