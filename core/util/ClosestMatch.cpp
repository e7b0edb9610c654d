#include "ClosestMatch.h"

#include <QList>
#include <algorithm>

namespace okh {

int editDistance(const QString& a, const QString& b)
{
    const QString x = a.toCaseFolded();
    const QString y = b.toCaseFolded();
    // Two rows of the classic dynamic-programming table are enough.
    QList<int> previous(y.size() + 1);
    QList<int> current(y.size() + 1);
    for (qsizetype j = 0; j <= y.size(); ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= x.size(); ++i) {
        current[0] = int(i);
        for (qsizetype j = 1; j <= y.size(); ++j) {
            const int substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[y.size()];
}

QString closestMatch(const QString& word, const QStringList& candidates)
{
    if (word.isEmpty())
        return {};
    const int limit = std::max(1, int(word.size()) / 3);
    QString best;
    int bestDistance = limit + 1;
    for (const QString& candidate : candidates) {
        const int distance = editDistance(word, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace okh
