#include "HistoryWorker.h"

#include "HistoryDatabase.h"
#include "util/Clock.h"
#include "util/LogCategories.h"

#include <QAtomicInteger>
#include <QMutexLocker>
#include <QTimer>
#include <algorithm>

namespace okh {

namespace {

QString nextConnectionName()
{
    static QAtomicInteger<quint32> counter;
    return QStringLiteral("okhealth.history.%1").arg(counter.fetchAndAddRelaxed(1));
}

} // namespace

HistoryWorker::HistoryWorker(HistoryStore::Options options, const Clock& clock)
    : m_options(std::move(options))
    , m_clock(clock)
{ }

HistoryWorker::~HistoryWorker()
{
    // Nobody listens any more: the store is waiting for this thread to end.
    blockSignals(true);
    if (!m_db) {
        QMutexLocker locker(&m_mutex);
        if (m_queue.isEmpty())
            return;
    }
    m_sinceOpenAttempt.invalidate(); // a last attempt to open, whenever the previous one was
    flushQueue();
    if (m_db)
        m_db->close();
}

void HistoryWorker::enqueue(const StoredResult& result)
{
    bool post = false;
    {
        QMutexLocker locker(&m_mutex);
        m_queue.append(result);
        if (m_queue.size() >= m_options.batchSize && !m_flushPosted) {
            m_flushPosted = true;
            post = true;
        }
    }
    if (post)
        QMetaObject::invokeMethod(this, &HistoryWorker::flushQueue, Qt::QueuedConnection);
}

void HistoryWorker::start()
{
    m_db = std::make_unique<HistoryDatabase>(nextConnectionName());
    ensureOpen();

    m_flushTimer = new QTimer(this);
    m_flushTimer->setInterval(m_options.flushInterval);
    connect(m_flushTimer, &QTimer::timeout, this, &HistoryWorker::flushQueue);
    m_flushTimer->start();

    // A single-shot timer re-armed after each slice, so passes never overlap.
    m_maintenanceTimer = new QTimer(this);
    m_maintenanceTimer->setSingleShot(true);
    connect(m_maintenanceTimer, &QTimer::timeout, this, &HistoryWorker::maintenanceSlice);
    if (m_options.maintenanceInterval.count() > 0) // first pass soon: catch up after downtime
        m_maintenanceTimer->start(std::min(m_options.maintenanceInterval, std::chrono::milliseconds(1000)));
}

void HistoryWorker::flushQueue()
{
    QList<StoredResult> batch;
    qint64 dropped = 0;
    {
        QMutexLocker locker(&m_mutex);
        batch = m_queue.takeAll();
        dropped = m_queue.takeDropped();
        m_flushPosted = false;
    }
    if (!m_unwritten.isEmpty()) {
        // The failed batch, older, goes first; together they keep within the same limit.
        for (const StoredResult& r : std::as_const(batch))
            m_unwritten.append(r);
        batch = m_unwritten.takeAll();
    }
    dropped += m_unwritten.takeDropped();
    if (dropped > 0)
        qCWarning(lcStore) << "history file behind: dropped the" << dropped << "oldest waiting results";
    if (batch.isEmpty())
        return;
    if (!ensureOpen()) {
        // Kept (within the limits) for when the file can be opened: a directory mounted late,
        // permissions fixed, space freed.
        m_unwritten.prepend(batch);
        return;
    }
    if (!m_db->write(batch)) {
        reportError(m_db->lastError());
        // Tried again with the next batch, within its own memory limit.
        m_unwritten.prepend(batch);
        return;
    }
    m_lastError.clear();
    Q_EMIT batchWritten(int(batch.size()), batch.last().timestampMs);
    if (QList<IncidentChange> changes = m_db->takeIncidentChanges(); !changes.isEmpty())
        Q_EMIT incidentsChanged(changes);
}

MaintenanceReport HistoryWorker::maintainFully()
{
    MaintenanceReport total;
    if (!m_db || !m_db->isOpen())
        return total;
    do {
        flushQueue();
        total += m_db->maintain(m_clock.nowMs(), m_options.retention);
    } while (total.moreWork);
    return total;
}

void HistoryWorker::setRetention(const RetentionPolicy& retention)
{
    m_options.retention = retention;
}

void HistoryWorker::maintenanceSlice()
{
    if (!m_db || !m_db->isOpen())
        return;
    flushQueue();
    const MaintenanceReport report = m_db->maintain(m_clock.nowMs(), m_options.retention);
    if (report.minuteBuckets + report.hourBuckets + report.rowsPruned > 0)
        qCDebug(lcStore) << "maintenance:" << report.minuteBuckets << "minute," << report.hourBuckets << "hour buckets,"
                         << report.rowsPruned << "rows pruned";
    // More work: continue as soon as the queued flushes and queries have had their turn.
    m_maintenanceTimer->start(report.moreWork ? std::chrono::milliseconds(0) : m_options.maintenanceInterval);
}

bool HistoryWorker::ensureOpen()
{
    if (!m_db)
        m_db = std::make_unique<HistoryDatabase>(nextConnectionName());
    if (m_db->isOpen())
        return true;
    if (m_sinceOpenAttempt.isValid() && m_sinceOpenAttempt.elapsed() < m_options.reopenInterval.count())
        return false;
    m_sinceOpenAttempt.start();
    if (!m_db->open(m_options.path)) {
        reportError(m_db->lastError());
        return false;
    }
    qCDebug(lcStore) << "history file open:" << m_options.path;
    m_lastError.clear();
    return true;
}

void HistoryWorker::reportError(const QString& message)
{
    if (message == m_lastError)
        return;
    m_lastError = message;
    Q_EMIT errorOccurred(message);
}

} // namespace okh
