#pragma once

#include <QString>
#include <chrono>
#include <optional>

namespace okh {

// "3 s", "500 ms", "1.5 s", "2 min" for people.
QString formatDuration(std::chrono::milliseconds d);

// The deployment file's form, exact and untranslated: "10s", "500ms", "1m30s", "0s"; parseDuration
// reads it back to the same value.
QString durationText(std::chrono::milliseconds d);

// Parses deployment-file durations: a number of seconds (10, 0.5) or a string with a unit
// ("10s", "500ms", "2m", "1h", "1m30s"). Returns nullopt when the text is not a duration.
std::optional<std::chrono::milliseconds> parseDuration(const QString& text);

} // namespace okh
