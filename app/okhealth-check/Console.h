#pragma once

#include <QString>

namespace okh {

// Where the CLI writes: stdout for results, stderr for diagnostics, UTF-8, no buffering surprises.
namespace Console {
void out(const QString& text);
void err(const QString& text);
bool stdoutIsTerminal();
} // namespace Console

} // namespace okh
