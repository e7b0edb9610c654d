#pragma once

namespace okh {

// Loads the Dutch or English catalogue (shared by okhealth and okhealth-check) for the user's
// locale, English when there is none for it, and Qt's own texts in the same language.
void installTranslations();

} // namespace okh
