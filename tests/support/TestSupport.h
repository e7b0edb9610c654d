#pragma once

#include <QString>

namespace okh::test {

// A TCP port on 127.0.0.1 that nothing listens on right now (bind to 0, read, close).
quint16 freePort();

// The repository root (OKHEALTH_SOURCE_DIR, set by ctest).
QString sourceDir();

} // namespace okh::test
