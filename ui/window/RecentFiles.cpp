#include "RecentFiles.h"

#include <QFileInfo>
#include <QSettings>

namespace okh {

namespace {

const QString FilesKey = QStringLiteral("recent/files");
const QString LastKey = QStringLiteral("recent/lastOpened");

QStringList absolute(const QStringList& paths)
{
    QStringList out;
    for (const QString& path : paths)
        out.append(QFileInfo(path).absoluteFilePath());
    return out;
}

} // namespace

QStringList RecentFiles::files()
{
    return QSettings().value(FilesKey).toStringList();
}

QStringList RecentFiles::lastOpened()
{
    return QSettings().value(LastKey).toStringList();
}

void RecentFiles::add(const QStringList& opened)
{
    QSettings settings;
    const QStringList paths = absolute(opened);
    settings.setValue(FilesKey, merged(settings.value(FilesKey).toStringList(), paths));
    settings.setValue(LastKey, paths);
}

void RecentFiles::remove(const QString& path)
{
    QSettings settings;
    QStringList list = settings.value(FilesKey).toStringList();
    list.removeAll(path);
    settings.setValue(FilesKey, list);
    QStringList last = settings.value(LastKey).toStringList();
    if (last.contains(path))
        settings.remove(LastKey);
}

void RecentFiles::clear()
{
    QSettings settings;
    settings.remove(FilesKey);
    settings.remove(LastKey); // forgotten means not reopened either
}

QStringList RecentFiles::merged(const QStringList& current, const QStringList& opened, int max)
{
    QStringList out = opened;
    out.removeDuplicates();
    for (const QString& path : current) {
        if (!out.contains(path))
            out.append(path);
    }
    if (out.size() > max)
        out.resize(max);
    return out;
}

} // namespace okh
