#pragma once

#include <QString>

namespace okh {

// Where the CLI writes: stdout for results, stderr for diagnostics, UTF-8, no buffering surprises.
namespace Console {
void out(const QString& text);
void err(const QString& text);
bool stdoutIsTerminal();
// Loads okhealth_<lang> for the user's locale (okhealth_en when there is none) and qtbase in that language.
void installTranslations();
} // namespace Console

} // namespace okh
