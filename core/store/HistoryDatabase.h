#pragma once

#include "HistoryTypes.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <array>
#include <memory>
#include <utility>

namespace okh {

// The history file, used synchronously by one thread: the store's worker thread, or a tool such
// as bench/history. open() adds a named connection in the calling thread; close() (and the
// destructor) removes it and must run in that same thread. Schema, rollups and the tier choice of
// queries are described in docs/history.md.
class HistoryDatabase
{
    Q_DECLARE_TR_FUNCTIONS(okh::HistoryDatabase)
public:
    // A minute or hour is rolled up this long after it ends, so that results still in flight land
    // first; a result that arrives later still updates its rollups (see write()).
    static constexpr qint64 RollupGraceSeconds = 10;
    // Per maintenance slice, about this many results are read or deleted, so that one slice keeps
    // the worker busy for tens of milliseconds and flushes stay within their second.
    static constexpr qint64 SliceResults = 36'000;
    // Timelines use the finest table whose rows are at most range / this many long.
    static constexpr int TimelineDetail = 2000;

    explicit HistoryDatabase(QString connectionName);
    ~HistoryDatabase();
    HistoryDatabase(const HistoryDatabase&) = delete;
    HistoryDatabase& operator=(const HistoryDatabase&) = delete;

    // Opens or creates the file (WAL, synchronous=NORMAL) and migrates it to the current schema.
    bool open(const QString& path);
    void close();
    bool isOpen() const { return m_open; }
    QString lastError() const { return m_lastError; }

    // Stores a batch in one transaction: the results, an incident for each change of state, and
    // fresh rollups for buckets already rolled up when one of their results arrives late. Results
    // of a check are expected in time order; a second result in the same second replaces the first.
    bool write(const QList<StoredResult>& batch);
    // The incidents the last successful write() opened and closed, oldest first; taken once.
    QList<IncidentChange> takeIncidentChanges() { return std::exchange(m_changes, {}); }

    // One bounded slice of maintenance, in one transaction: the oldest pending minute rollups, else
    // the oldest pending hour, else one chunk of pruning by retention. Call again while moreWork.
    MaintenanceReport maintain(qint64 nowMs, const RetentionPolicy& retention);
    // Moves the WAL into the main file and truncates it.
    bool checkpoint();

    QList<LatestResult> latestResults(const CheckFilter& filter = {});
    QList<StatusRun> timeline(const CheckKey& check, const TimeRange& range);
    LatencySeries latencySeries(const CheckKey& check, const TimeRange& range, int points);
    QList<Incident> incidents(const TimeRange& range, const CheckFilter& filter = {});
    IncidentPage incidentPage(const IncidentQuery& query);
    UptimeReport uptime(const TimeRange& range, const CheckFilter& filter = {});
    StoreStats stats();

private:
    // Tables by resolution: results, rollup_minute, rollup_hour.
    static constexpr int TierCount = 3;
    struct CheckState
    {
        bool hasIncident = false;
        qint64 incidentId = 0;
        ProbeStatus status = ProbeStatus::Unknown;
        qint64 sinceMs = 0;
    };
    // A result or a rollup row, the unit that queries aggregate.
    struct Part
    {
        qint64 ts = 0;
        qint64 ok = 0;
        qint64 fail = 0;
        qint64 unknown = 0;
        bool hasLatency = false;
        qint32 p50 = 0;
        qint32 p95 = 0;
        qint32 max = 0;
        bool raw = false; // a single result (p50 = p95 = max = its latency), not a rollup row
    };
    struct Segment
    {
        HistoryResolution tier;
        qint64 from;
        qint64 to;
    };

    bool fail(const QString& message);
    bool failQuery(const QSqlQuery& query);
    bool exec(const QString& sql);
    bool prepareStatements();
    bool loadChecks();
    bool loadMeta();
    bool setMeta(const QString& key, qint64 value);
    int checkId(const CheckKey& key);
    QList<int> matchingChecks(const CheckFilter& filter) const;
    bool loadState(int id, CheckState* state);
    bool trackState(int id, const StoredResult& item);
    bool rollup(HistoryResolution tier, int id, qint64 from, qint64 to, qint64* buckets, qint64* rows);
    bool rollupSlice(HistoryResolution tier, qint64 now, MaintenanceReport* report);
    bool rollupPending(HistoryResolution tier, qint64 now) const;
    // The time up to which results of this tier are rolled up, or being rolled up.
    qint64 rollupReached(HistoryResolution tier) const;
    bool pruneSlice(qint64 now, const RetentionPolicy& retention, MaintenanceReport* report);
    bool firstTs(HistoryResolution tier, int id, qint64 atOrAfter, std::optional<qint64>* ts);
    // The oldest result of any check at or after atOrAfter.
    bool firstRawTs(qint64 atOrAfter, std::optional<qint64>* earliest);
    qint64 sliceSeconds() const;
    HistoryResolution resolutionFor(qint64 bucketSeconds, qint64 fromSeconds) const;
    // Rows of one table for [from, to), oldest first.
    bool fetchParts(HistoryResolution tier, int id, qint64 from, qint64 to, QList<Part>* parts);
    // The last row before a time, if any.
    bool fetchPartBefore(HistoryResolution tier, int id, qint64 before, QList<Part>* parts);
    static Part readPart(HistoryResolution tier, const QSqlQuery& query);
    // [from, to) split among tables, coarsest rows where whole rows fit and are rolled up.
    void cover(qint64 from, qint64 to, HistoryResolution tier, QList<Segment>* segments) const;
    bool countParts(const Segment& segment, int id, UptimeCounts* counts);
    qint64 until(HistoryResolution tier) const;
    Incident readIncident(const QSqlQuery& query, int checkIdColumn) const;

    QString m_connectionName;
    QSqlDatabase m_db;
    bool m_open = false;
    QString m_lastError;

    QHash<CheckKey, int> m_ids;
    QHash<int, CheckKey> m_keys;
    QList<int> m_order; // ids in creation order
    QHash<int, CheckState> m_states;
    QList<IncidentChange> m_changes; // of the write() in progress, then of the last one
    // Exclusive ends of the rolled-up time, and the oldest time each table still holds, in s.
    std::array<qint64, TierCount> m_until{};
    std::array<qint64, TierCount> m_pruned{};
    // A rollup range too big for one slice is done a few checks at a time: the next check to
    // roll up (index into m_order) and the range's pinned end, per tier; 0 when none is open.
    struct RollupProgress
    {
        qsizetype nextCheck = 0;
        qint64 to = 0;
        qint64 buckets = 0; // written so far in this range
    };
    std::array<RollupProgress, TierCount> m_progress{};

    // Prepared once per open file; destroyed before the connection is removed.
    struct Statements;
    std::unique_ptr<Statements> m_sql;
};

} // namespace okh
