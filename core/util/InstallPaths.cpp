#include "InstallPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace okh {

namespace {

QString existingUnderPrefix(const QString& relative)
{
    if (!QCoreApplication::instance())
        return {};
    const QString path = QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../") + relative);
    return QFileInfo(path).isDir() ? path : QString();
}

} // namespace

QString installedDataDir(const QString& subdirectory)
{
    return existingUnderPrefix(QStringLiteral("share/okhealth/") + subdirectory);
}

QString installedDocDir()
{
    return existingUnderPrefix(QStringLiteral("share/doc/okhealth"));
}

QString applicationId()
{
    return QStringLiteral("org.okhealth.OKHealth");
}

} // namespace okh
