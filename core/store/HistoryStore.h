#pragma once

#include "HistoryTypes.h"

#include <QFuture>
#include <QObject>
#include <QString>
#include <chrono>
#include <memory>

class QThread;

namespace okh {

class Clock;
class HistoryWorker;

// Keeps probe results, state changes (incidents) and per-minute and per-hour rollups in an SQLite
// file (docs/history.md). Nothing here blocks the calling thread: record() queues, a worker on an
// owned thread commits the queue in batches at least once per flushInterval, runs maintenance
// (rollups, pruning) in small slices between the batches, and answers queries. Each query first
// commits what is queued, so it sees every result recorded before it was asked; its QFuture is
// fulfilled on the worker thread (use QFuture::then with a context object to get back). A
// query whose future is cancelled before the worker reaches it is skipped, so a view that asks
// faster than the file answers does not pile them up.
class HistoryStore : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString path;
        RetentionPolicy retention;
        // Queued results are committed at least this often: a kill -9 loses at most this much.
        std::chrono::milliseconds flushInterval{1000};
        // ... and as soon as this many are queued.
        int batchSize = 1000;
        // Pause between maintenance passes; 0 runs maintenance only through runMaintenance().
        std::chrono::milliseconds maintenanceInterval{60'000};
        // A file that cannot be opened is tried again this often; results wait (bounded).
        std::chrono::milliseconds reopenInterval{5'000};
    };

    // clock must outlive the store and be safe to call from the worker thread.
    HistoryStore(Options options, const Clock& clock, QObject* parent = nullptr);
    // Commits what is still queued, closes the file and stops the thread.
    ~HistoryStore() override;

    // Thread-safe; takes a mutex for a moment, never waits for the file.
    void record(const StoredResult& result);
    void setRetention(const RetentionPolicy& retention);

    // Finishes when everything recorded before the call is committed (or could not be).
    QFuture<void> flush();
    // Runs maintenance slices until none is left: rollups up to the clock's now, then pruning.
    QFuture<MaintenanceReport> runMaintenance();

    QFuture<QList<LatestResult>> latestResults(const CheckFilter& filter = {});
    // Runs of equal status; from single results for short ranges, from rollups for long ones.
    QFuture<QList<StatusRun>> timeline(const CheckKey& check, const TimeRange& range);
    // At most points buckets of equal width, aligned to the table read (raw, minute or hour).
    QFuture<LatencySeries> latencySeries(const CheckKey& check, const TimeRange& range, int points);
    // Incidents that overlap the range, oldest first.
    QFuture<QList<Incident>> incidents(const TimeRange& range, const CheckFilter& filter = {});
    // The incidents list, a page at a time (newest first).
    QFuture<IncidentPage> incidentPage(const IncidentQuery& query);
    QFuture<UptimeReport> uptime(const TimeRange& range, const CheckFilter& filter = {});
    QFuture<StoreStats> stats();

Q_SIGNALS:
    // Opening or writing the file failed; a message for people.
    void errorOccurred(const QString& message);
    void batchWritten(int results, qint64 newestTimestampMs);
    // Incidents opened (and closed) by a committed batch, oldest first: a view showing one of
    // these checks asks again instead of polling. Queued from the store's thread.
    void incidentsChanged(const QList<okh::IncidentChange>& changes);

private:
    template<typename T, typename Work> QFuture<T> submit(Work work);

    struct ThreadStopper
    {
        void operator()(QThread* thread) const;
    };
    std::unique_ptr<QThread, ThreadStopper> m_thread;
    HistoryWorker* m_worker = nullptr; // lives in m_thread; deleted when the thread finishes
};

} // namespace okh
