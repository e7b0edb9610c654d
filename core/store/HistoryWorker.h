#pragma once

#include "HistoryStore.h"
#include "HistoryTypes.h"

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

Q_SIGNALS:
    void errorOccurred(const QString& message);
    void batchWritten(int results, qint64 newestTimestampMs);

private:
    void maintenanceSlice();
    void reportError(const QString& message);

    // Results waiting in memory beyond this are dropped, oldest first (a file that cannot be
    // written must not eat the memory): a day of 100 checks every 10 s.
    static constexpr qsizetype QueueLimit = 1'000'000;

    HistoryStore::Options m_options;
    const Clock& m_clock;
    std::unique_ptr<HistoryDatabase> m_db;
    QTimer* m_flushTimer = nullptr;
    QTimer* m_maintenanceTimer = nullptr;
    QList<StoredResult> m_unwritten; // a batch whose commit failed, tried again first
    QString m_lastError;

    QMutex m_mutex;
    QList<StoredResult> m_queue; // guarded by m_mutex
    bool m_flushPosted = false; // guarded by m_mutex
    qint64 m_dropped = 0; // guarded by m_mutex
};

} // namespace okh
