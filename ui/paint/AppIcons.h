#pragma once

#include "probes/ProbeResult.h"

#include <QIcon>
#include <QString>

namespace okh {

// The installed icons (resources/icons, docs/desktop.md "Installing"), from the icon theme
// when it has them, else from the copies built into the program. SVG: crisp at any scale.
namespace AppIcons {

QString applicationId(); // "org.okhealth.OKHealth": desktop file, metainfo and icon names
QIcon application();
// The status shapes of StatusPaint (round tick, diamond cross, square question mark), for the
// tray and window titles.
QIcon status(ProbeStatus status);

} // namespace AppIcons

} // namespace okh
