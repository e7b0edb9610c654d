#include "RecentFiles.h"

#include "settings/AppSettings.h"

#include <QFileInfo>

namespace okh {

namespace {

using Key = AppSettings::Key;

AppSettings& settings()
{
    return AppSettings::instance();
}

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
    return settings().value(Key::RecentFiles).toStringList();
}

QStringList RecentFiles::lastOpened()
{
    return settings().value(Key::LastOpened).toStringList();
}

void RecentFiles::add(const QStringList& opened)
{
    const QStringList paths = absolute(opened);
    settings().setValue(Key::RecentFiles, merged(files(), paths));
    settings().setValue(Key::LastOpened, paths);
}

void RecentFiles::remove(const QString& path)
{
    QStringList list = files();
    list.removeAll(path);
    settings().setValue(Key::RecentFiles, list);
    if (lastOpened().contains(path))
        settings().reset(Key::LastOpened);
}

void RecentFiles::clear()
{
    settings().reset(Key::RecentFiles);
    settings().reset(Key::LastOpened); // forgotten means not reopened either
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
