#pragma once

#include <QString>
#include <QStringList>

namespace okh {

// The candidate a typo most likely meant, for "did you mean …?" messages; empty when none is
// close. Case differences alone always match ("failurethreshold" → "failureThreshold");
// otherwise the edit distance must be at most a third of the word's length (at least 1).
QString closestMatch(const QString& word, const QStringList& candidates);

// Levenshtein distance, case-insensitive.
int editDistance(const QString& a, const QString& b);

} // namespace okh
