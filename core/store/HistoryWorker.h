#pragma once

#include "HistoryStore.h"
#include "HistoryTypes.h"
#include "ResultQueue.h"

#include <QElapsedTimer>
#include <QList>
#include <QMutex>
#include <QObject>
#include <memory>

class QTimer;

namespace okh {

class HistoryDatabase;

// The store's side of the thread (qBittorrent src/base/bittorrent/dbresumedatastorage.cpp): owns
// the database connection, which is created, used and removed in the worker thread.
class HistoryWorker : public QObject
{
    Q_OBJECT
public:
    HistoryWorker(HistoryStore::Options options, const Clock& clock);
    // Runs in the worker thread (deleteLater when it finishes): commits the queue, closes the file.
    ~HistoryWorker() override;

    // Any thread.
    void enqueue(const StoredResult& result);

    // Worker thread only.
    void start();
    void flushQueue();
    MaintenanceReport maintainFully();
    void setRetention(const RetentionPolicy& retention);
    HistoryDatabase* database() const { return m_db.get(); }
    void noteCancelledQuery() { ++m_cancelledQueries; }
    qint64 cancelledQueries() const { return m_cancelledQueries; }

Q_SIGNALS:
    void errorOccurred(const QString& message);
    void batchWritten(int results, qint64 newestTimestampMs);
    void incidentsChanged(const QList<okh::IncidentChange>& changes);

private:
    void maintenanceSlice();
    void reportError(const QString& message);
    // Opens the file if it is not open and the last attempt is reopenInterval ago.
    bool ensureOpen();

    // Results waiting in memory beyond these are dropped, oldest first (a file that cannot be
    // written must not eat the memory): a day of 100 checks every 10 s, or 64 MiB of results
    // with long summaries, whichever comes first; as much again for a batch that failed.
    static constexpr qsizetype QueueLimit = 1'000'000;
    static constexpr qsizetype QueueBytes = 64 * 1024 * 1024;

    HistoryStore::Options m_options;
    const Clock& m_clock;
    std::unique_ptr<HistoryDatabase> m_db;
    QTimer* m_flushTimer = nullptr;
    QTimer* m_maintenanceTimer = nullptr;
    ResultQueue m_unwritten{QueueBytes, QueueLimit}; // a batch whose commit failed, tried again first
    QString m_lastError;
    qint64 m_cancelledQueries = 0;
    QElapsedTimer m_sinceOpenAttempt;

    QMutex m_mutex;
    ResultQueue m_queue{QueueBytes, QueueLimit}; // guarded by m_mutex
    bool m_flushPosted = false; // guarded by m_mutex
};

} // namespace okh
