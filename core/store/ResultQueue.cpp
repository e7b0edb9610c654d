#include "ResultQueue.h"

#include <utility>

namespace okh {

ResultQueue::ResultQueue(qsizetype maxBytes, qsizetype maxCount)
    : m_maxBytes(maxBytes)
    , m_maxCount(maxCount)
{ }

qsizetype ResultQueue::estimatedBytes(const StoredResult& result)
{
    const auto text = [](const QString& s) { return s.size() * qsizetype(sizeof(QChar)); };
    qsizetype bytes = qsizetype(sizeof(StoredResult)) + text(result.check.deployment) + text(result.check.service)
        + text(result.check.check) + text(result.result.summary) + text(result.result.hint);
    for (const ProbeDetail& d : result.result.details)
        bytes += qsizetype(sizeof(ProbeDetail)) + text(d.key) + text(d.value);
    return bytes;
}

void ResultQueue::append(const StoredResult& result)
{
    const qsizetype size = estimatedBytes(result);
    m_results.append(result);
    m_sizes.append(size);
    m_bytes += size;
    trim();
}

void ResultQueue::prepend(const QList<StoredResult>& results)
{
    QList<qsizetype> sizes;
    sizes.reserve(results.size());
    for (const StoredResult& r : results) {
        sizes.append(estimatedBytes(r));
        m_bytes += sizes.last();
    }
    m_results = results + m_results;
    m_sizes = sizes + m_sizes;
    trim();
}

QList<StoredResult> ResultQueue::takeAll()
{
    QList<StoredResult> all;
    all.swap(m_results);
    m_sizes.clear();
    m_bytes = 0;
    return all;
}

qint64 ResultQueue::takeDropped()
{
    return std::exchange(m_dropped, 0);
}

void ResultQueue::trim()
{
    // The newest result always stays, whatever its size.
    while (m_results.size() > 1 && (m_bytes > m_maxBytes || m_results.size() > m_maxCount)) {
        m_bytes -= m_sizes.takeFirst();
        m_results.removeFirst();
        ++m_dropped;
    }
}

} // namespace okh
