#pragma once

#include <QString>

namespace okh {

// Loads the Dutch or English catalogue (shared by okhealth and okhealth-check) for the user's
// locale, English when there is none for it, and Qt's own texts in the same language.
// `language` ("nl", "en") overrides the locale (the desktop's Language setting).
void installTranslations(const QString& language = {});

} // namespace okh
