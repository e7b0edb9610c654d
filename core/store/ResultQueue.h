#pragma once

#include "HistoryTypes.h"

#include <QList>

namespace okh {

// Results waiting for the history file, bounded in memory: when the file cannot be written
// (disk full, read-only), the oldest are dropped once the queue holds maxBytes (estimated: the
// texts and details of each result, which can reach kilobytes) or maxCount results. Not
// thread-safe: its owner guards it.
class ResultQueue
{
public:
    ResultQueue(qsizetype maxBytes, qsizetype maxCount);

    void append(const StoredResult& result);
    // Puts results back in front (a batch whose commit failed), older than everything queued,
    // so they are the first dropped when over the limit.
    void prepend(const QList<StoredResult>& results);
    QList<StoredResult> takeAll();

    qsizetype size() const { return m_results.size(); }
    bool isEmpty() const { return m_results.isEmpty(); }
    qsizetype bytes() const { return m_bytes; }
    // Dropped since the last call.
    qint64 takeDropped();

    // What one result costs in memory, roughly: its strings (UTF-16) and fixed parts.
    static qsizetype estimatedBytes(const StoredResult& result);

private:
    void trim();

    qsizetype m_maxBytes;
    qsizetype m_maxCount;
    QList<StoredResult> m_results;
    QList<qsizetype> m_sizes; // estimatedBytes of each, in the same order
    qsizetype m_bytes = 0;
    qint64 m_dropped = 0;
};

} // namespace okh
