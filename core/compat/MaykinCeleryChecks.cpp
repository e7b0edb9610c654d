#include "MaykinCeleryChecks.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSysInfo>
#include <cmath>

namespace okh {

namespace {

std::optional<qint64> ageOfRegularFile(const QFileInfo& info)
{
    if (!info.exists() || !info.isFile())
        return std::nullopt;
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    const double mtime = double(info.lastModified().toMSecsSinceEpoch()) / 1000.0;
    return qint64(now - mtime); // Python's int() truncates toward zero
}

QString oneDecimal(double value)
{
    QString text = QString::number(std::round(value * 10.0) / 10.0, 'f', 1);
    if (text.endsWith(QLatin1String(".0")))
        text.chop(2);
    return text;
}

} // namespace

MaykinCeleryChecks::FileVerdict MaykinCeleryChecks::livenessFile(const QString& path, qint64 maxAgeSeconds)
{
    const auto age = ageOfRegularFile(QFileInfo(path));
    if (!age)
        return {false, QStringLiteral("File '%1' does not exist or is not a file.").arg(path), std::nullopt};
    if (*age > maxAgeSeconds)
        return {false, QStringLiteral("File '%1' is older than max-age.").arg(path), age};
    return {true, QStringLiteral("The event loop appears to be running."), age};
}

MaykinCeleryChecks::FileVerdict MaykinCeleryChecks::beatFile(const QString& path, qint64 maxAgeSeconds)
{
    // beat-health-check resolves the path first (pathlib's resolve()).
    const QFileInfo info(path);
    const QString resolved = info.exists() ? info.canonicalFilePath() : info.absoluteFilePath();
    const auto age = ageOfRegularFile(info);
    if (!age)
        return {false, QStringLiteral("File '%1' does not exist or is not a file.").arg(resolved), std::nullopt};
    if (*age > maxAgeSeconds)
        return {false, QStringLiteral("File '%1' is older than max-age.").arg(resolved), age};
    return {true, QStringLiteral("Last scheduled task: %1 ago.").arg(formatBeatAge(*age)), age};
}

MaykinCeleryChecks::FileVerdict MaykinCeleryChecks::readinessFile(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists() || !info.isFile())
        return {false, QStringLiteral("File '%1' does not exist - worker is not ready.").arg(path), std::nullopt};
    return {true, QStringLiteral("The worker appears ready to process tasks."), std::nullopt};
}

QString MaykinCeleryChecks::formatBeatAge(qint64 seconds)
{
    if (seconds <= 60)
        return QString::number(seconds) + u's';
    if (seconds < 3600)
        return oneDecimal(double(seconds) / 60.0) + u'm';
    return oneDecimal(double(seconds) / 3600.0) + u'h';
}

QString MaykinCeleryChecks::formatSeconds(double seconds)
{
    if (seconds == std::floor(seconds))
        return QString::number(qint64(seconds));
    return QString::number(seconds, 'g', 12);
}

QString MaykinCeleryChecks::defaultWorkerName()
{
    const QString env = qEnvironmentVariable("CELERY_WORKER_NAME");
    if (!env.isEmpty())
        return env;
    return QStringLiteral("celery@") + QSysInfo::machineHostName();
}

} // namespace okh
