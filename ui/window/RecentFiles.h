#pragma once

#include <QStringList>

namespace okh {

// The deployment files opened lately, newest first, in QSettings: File → Open Recent, and
// what `okhealth` without arguments opens again.
class RecentFiles
{
public:
    static constexpr int Max = 10;

    static QStringList files();
    // The files opened together last time (to reopen at start).
    static QStringList lastOpened();
    // After a successful open: these go first (absolute paths), duplicates and the oldest
    // beyond Max go.
    static void add(const QStringList& opened);
    static void remove(const QString& path);
    static void clear(); // the list and what to reopen

    static QStringList merged(const QStringList& current, const QStringList& opened, int max = Max);
};

} // namespace okh
