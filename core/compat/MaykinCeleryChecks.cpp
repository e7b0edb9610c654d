#include "MaykinCeleryChecks.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSysInfo>
#include <cmath>
#include <cstdio>

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

// Python's round(x, 1) is correctly rounded from the exact binary value, ties to even; so is
// glibc's printf. (std::round(x * 10) / 10 is not: 75 s → 1.25 m would become 1.3, not 1.2.)
QString oneDecimal(double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%.1f", value);
    QString text = QString::fromLatin1(buffer);
    if (text.endsWith(QLatin1String(".0")))
        text.chop(2);
    return text;
}

QString joinPath(const QString& directory, const QString& name)
{
    if (directory.endsWith(u'/'))
        return directory + name;
    return directory + u'/' + name;
}

} // namespace

QString MaykinCeleryChecks::pythonPath(const QString& path)
{
    // str(pathlib.PurePosixPath(p)): repeated slashes and "." parts go, ".." stays, no
    // trailing slash; a leading "//" (and only exactly two) is kept.
    const bool rooted = path.startsWith(u'/');
    const bool doubleRoot = path.startsWith(QLatin1String("//")) && !path.startsWith(QLatin1String("///"));
    QStringList parts;
    for (const QString& part : path.split(u'/', Qt::SkipEmptyParts)) {
        if (part != QLatin1String("."))
            parts.append(part);
    }
    const QString joined = parts.join(u'/');
    if (doubleRoot)
        return QStringLiteral("//") + joined;
    if (rooted)
        return u'/' + joined;
    return joined.isEmpty() ? QStringLiteral(".") : joined;
}

QString MaykinCeleryChecks::resolvedPath(const QString& path)
{
    // pathlib's resolve(strict=False): symlinks resolved as far as the path exists, the rest
    // appended with ".." applied.
    QStringList parts = QDir::cleanPath(QDir::current().absoluteFilePath(path)).split(u'/', Qt::SkipEmptyParts);
    QString resolved = QStringLiteral("/");
    qsizetype i = 0;
    for (; i < parts.size(); ++i) {
        const QString next = joinPath(resolved, parts.at(i));
        const QFileInfo info(next);
        if (!info.exists())
            break;
        resolved = info.canonicalFilePath();
    }
    for (; i < parts.size(); ++i)
        resolved = joinPath(resolved, parts.at(i));
    return resolved;
}

MaykinCeleryChecks::FileVerdict MaykinCeleryChecks::livenessFile(const QString& given, qint64 maxAgeSeconds)
{
    const QString path = pythonPath(given);
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
    const QString resolved = resolvedPath(path);
    const auto age = ageOfRegularFile(QFileInfo(resolved));
    if (!age)
        return {false, QStringLiteral("File '%1' does not exist or is not a file.").arg(resolved), std::nullopt};
    if (*age > maxAgeSeconds)
        return {false, QStringLiteral("File '%1' is older than max-age.").arg(resolved), age};
    return {true, QStringLiteral("Last scheduled task: %1 ago.").arg(formatBeatAge(*age)), age};
}

MaykinCeleryChecks::FileVerdict MaykinCeleryChecks::readinessFile(const QString& given)
{
    const QString path = pythonPath(given);
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

QString MaykinCeleryChecks::defaultWorkerName()
{
    const QString env = qEnvironmentVariable("CELERY_WORKER_NAME");
    if (!env.isEmpty())
        return env;
    return QStringLiteral("celery@") + QSysInfo::machineHostName();
}

} // namespace okh
