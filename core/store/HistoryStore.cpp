#include "HistoryStore.h"

#include "HistoryDatabase.h"
#include "HistoryWorker.h"

#include <QPromise>
#include <QThread>
#include <type_traits>

namespace okh {

void HistoryStore::ThreadStopper::operator()(QThread* thread) const
{
    thread->quit();
    thread->wait();
    delete thread;
}

HistoryStore::HistoryStore(Options options, const Clock& clock, QObject* parent)
    : QObject(parent)
    , m_thread(new QThread)
{
    m_thread->setObjectName(QStringLiteral("okhealth-history"));
    m_worker = new HistoryWorker(std::move(options), clock);
    m_worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &HistoryWorker::errorOccurred, this, &HistoryStore::errorOccurred);
    connect(m_worker, &HistoryWorker::batchWritten, this, &HistoryStore::batchWritten);
    connect(m_worker, &HistoryWorker::incidentsChanged, this, &HistoryStore::incidentsChanged);
    m_thread->start();
    QMetaObject::invokeMethod(m_worker, &HistoryWorker::start, Qt::QueuedConnection);
}

HistoryStore::~HistoryStore() = default;

void HistoryStore::record(const StoredResult& result)
{
    m_worker->enqueue(result);
}

void HistoryStore::setRetention(const RetentionPolicy& retention)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, retention] { worker->setRetention(retention); }, Qt::QueuedConnection);
}

// Runs work(worker) on the worker thread after committing the queue; the promise is shared because
// a queued functor must be copyable. If the store goes away first, the future is cancelled.
template<typename T, typename Work> QFuture<T> HistoryStore::submit(Work work)
{
    auto promise = std::make_shared<QPromise<T>>();
    QFuture<T> future = promise->future();
    promise->start();
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, promise, work = std::move(work)] {
            if (promise->isCanceled()) {
                worker->noteCancelledQuery();
                promise->finish();
                return;
            }
            worker->flushQueue();
            if constexpr (std::is_void_v<T>)
                work(*worker);
            else
                promise->addResult(work(*worker));
            promise->finish();
        },
        Qt::QueuedConnection);
    return future;
}

QFuture<void> HistoryStore::flush()
{
    return submit<void>([](HistoryWorker&) {});
}

QFuture<MaintenanceReport> HistoryStore::runMaintenance()
{
    return submit<MaintenanceReport>([](HistoryWorker& worker) { return worker.maintainFully(); });
}

QFuture<QList<LatestResult>> HistoryStore::latestResults(const CheckFilter& filter)
{
    return submit<QList<LatestResult>>(
        [filter](HistoryWorker& worker) { return worker.database()->latestResults(filter); });
}

QFuture<QList<StatusRun>> HistoryStore::timeline(const CheckKey& check, const TimeRange& range)
{
    return submit<QList<StatusRun>>(
        [check, range](HistoryWorker& worker) { return worker.database()->timeline(check, range); });
}

QFuture<LatencySeries> HistoryStore::latencySeries(const CheckKey& check, const TimeRange& range, int points)
{
    return submit<LatencySeries>([check, range, points](HistoryWorker& worker) {
        return worker.database()->latencySeries(check, range, points);
    });
}

QFuture<QList<Incident>> HistoryStore::incidents(const TimeRange& range, const CheckFilter& filter)
{
    return submit<QList<Incident>>(
        [range, filter](HistoryWorker& worker) { return worker.database()->incidents(range, filter); });
}

QFuture<IncidentPage> HistoryStore::incidentPage(const IncidentQuery& query)
{
    return submit<IncidentPage>([query](HistoryWorker& worker) { return worker.database()->incidentPage(query); });
}

QFuture<UptimeReport> HistoryStore::uptime(const TimeRange& range, const CheckFilter& filter)
{
    return submit<UptimeReport>(
        [range, filter](HistoryWorker& worker) { return worker.database()->uptime(range, filter); });
}

QFuture<StoreStats> HistoryStore::stats()
{
    return submit<StoreStats>([](HistoryWorker& worker) {
        StoreStats stats = worker.database()->stats();
        stats.cancelledQueries = worker.cancelledQueries();
        return stats;
    });
}

} // namespace okh
