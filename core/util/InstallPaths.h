#pragma once

#include <QString>

namespace okh {

// Where `cmake --install` put the programs' data, found from the running program
// (PREFIX/bin/okhealth → PREFIX/share/…), so an installed copy needs no source tree. Empty
// when the directory is not there (a build tree, where the source tree's copy is used).
QString installedDataDir(const QString& subdirectory); // PREFIX/share/okhealth/SUBDIRECTORY
QString installedDocDir(); // PREFIX/share/doc/okhealth
// "org.okhealth.OKHealth": the installed desktop entry, metainfo, icons and autostart entry.
QString applicationId();

} // namespace okh
