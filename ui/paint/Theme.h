#pragma once

#include "settings/AppSettings.h"

#include <QPalette>

namespace okh {

// The app's colours (settings: General → Theme): the system's palette as the platform gives it,
// or a light or dark palette of our own. Status colours (StatusPaint) are the same in both and
// always come with a shape and a word.
class Theme
{
public:
    // Applies at once to every widget; the first call remembers the system's palette.
    static void apply(AppSettings::Theme theme);
    static QPalette palette(AppSettings::Theme theme);
    static bool isDark(const QPalette& palette);
};

} // namespace okh
