#include "ReportExport.h"

#include <QPointer>
#include <QSaveFile>
#include <QThreadPool>

namespace okh {

QList<ReportExport::Format> ReportExport::formats()
{
    return {Format::Json, Format::Junit, Format::Html, Format::Markdown};
}

QString ReportExport::formatName(Format format)
{
    switch (format) {
    case Format::Json:
        return tr("JSON");
    case Format::Junit:
        return tr("JUnit XML");
    case Format::Html:
        return tr("HTML");
    case Format::Text:
        return tr("Text");
    case Format::Markdown:
        break;
    }
    return tr("Markdown");
}

QString ReportExport::suffix(Format format)
{
    switch (format) {
    case Format::Json:
        return QStringLiteral("json");
    case Format::Junit:
        return QStringLiteral("xml");
    case Format::Html:
        return QStringLiteral("html");
    case Format::Text:
        return QStringLiteral("txt");
    case Format::Markdown:
        break;
    }
    return QStringLiteral("md");
}

QString ReportExport::fileFilter(Format format)
{
    return tr("%1 (*.%2)").arg(formatName(format), suffix(format));
}

QString ReportExport::suggestedFileName(const RunReport& report, Format format)
{
    return QStringLiteral("%1-smoke-%2.%3")
        .arg(report.deployment, report.startedAt.toLocalTime().toString(QStringLiteral("yyyyMMdd-HHmm")),
             suffix(format));
}

void ReportExport::save(const RunReport& report, Format format, const QString& path, QObject* context,
                        std::function<void(const QString& error)> done)
{
    QPointer<QObject> receiver(context);
    QThreadPool::globalInstance()->start([report, format, path, receiver, done = std::move(done)] {
        const QByteArray bytes = renderReport(report, format);
        QSaveFile file(path);
        QString error;
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
            error = file.errorString();
        // The application as the context: `receiver` may be gone by now.
        QMetaObject::invokeMethod(QCoreApplication::instance(), [receiver, done, error] {
            if (receiver)
                done(error);
        });
    });
}

} // namespace okh
