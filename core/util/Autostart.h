#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace okh {

// Start at login (settings: General): an XDG autostart entry, a desktop file in
// $XDG_CONFIG_HOME/autostart named after the application id, that runs this program. Blocking
// file work: call it off the GUI thread.
class Autostart
{
public:
    static QString entryPath();
    // The entry's text; `program` is quoted as the desktop entry specification asks.
    static QByteArray entry(const QString& program);
    // Writes (atomically) or removes the entry; the error, naming the file, if that failed.
    static std::optional<QString> apply(bool enabled, const QString& program);
    static bool isEnabled();
};

} // namespace okh
