#pragma once

#include "probes/ProbeResult.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <optional>

// Value types of the history store (docs/history.md). Times in the API are milliseconds since
// the Unix epoch (UTC); results are stored with whole seconds, incidents with milliseconds.

namespace okh {

// Names a check across deployments; the store maps it to a small integer id.
struct CheckKey
{
    QString deployment;
    QString service;
    QString check;

    friend bool operator==(const CheckKey&, const CheckKey&) = default;
};
size_t qHash(const CheckKey& key, size_t seed = 0) noexcept;

// Selects checks for a query; an empty field matches every value.
struct CheckFilter
{
    QString deployment;
    QString service;
    QString check;

    bool matches(const CheckKey& key) const;
};

// One probe result as the engine hands it to the store.
struct StoredResult
{
    CheckKey check;
    qint64 timestampMs = 0;
    ProbeResult result;
    // The check's state after the engine applied its thresholds (docs/engine.md, "Verdicts"); a change of
    // state opens an incident. Unset: the state is the result's own status.
    std::optional<ProbeStatus> state;

    ProbeStatus effectiveState() const { return state.value_or(result.status); }
};

// Half-open range [fromMs, toMs).
struct TimeRange
{
    qint64 fromMs = 0;
    qint64 toMs = 0;

    qint64 durationMs() const { return toMs - fromMs; }
};

// How long each table keeps its rows; 0 days means forever.
struct RetentionPolicy
{
    int rawDays = 30;
    int minuteDays = 90;
    int hourDays = 0;

    friend bool operator==(const RetentionPolicy&, const RetentionPolicy&) = default;
};

// The table a query read: single results, or the per-minute or per-hour rollups.
enum class HistoryResolution { Raw, Minute, Hour };

// A state change with what the result said at that moment; it lasts until the next one.
struct Incident
{
    qint64 id = 0;
    CheckKey check;
    ProbeStatus status = ProbeStatus::Unknown;
    std::optional<ProbeStatus> previous; // unset for the first state the store saw
    qint64 startMs = 0;
    std::optional<qint64> endMs; // unset while the state lasts
    double latencyMs = 0.0;
    // The result that caused the change: its summary, details (status code, body excerpt,
    // components, error) and hint.
    QString summary;
    QList<ProbeDetail> details;
    QString hint;
};

// A check's state changed in the file: one incident opened (and the one before it, if any,
// closed at the same moment). Sent after the batch that holds it is committed.
struct IncidentChange
{
    CheckKey check;
    qint64 openedId = 0;
    ProbeStatus status = ProbeStatus::Unknown;
    std::optional<ProbeStatus> previous; // unset for the first state the store saw
    qint64 closedId = 0; // 0: there was no incident before
    qint64 atMs = 0;
};

// One page of the incidents list: newest first, from `before` (the last incident of the
// previous page; 0 for the newest), at most `limit`.
struct IncidentQuery
{
    TimeRange range;
    CheckFilter filter;
    bool problemsOnly = false; // leave out the changes back to healthy
    int limit = 100;
    qint64 beforeStartMs = 0;
    qint64 beforeId = 0;
};

struct IncidentPage
{
    QList<Incident> incidents;
    bool more = false; // another page follows
};

// The newest stored result of a check and the state it is in.
struct LatestResult
{
    CheckKey check;
    qint64 timestampMs = 0;
    ProbeStatus status = ProbeStatus::Unknown;
    double latencyMs = 0.0;
    std::optional<Incident> state; // the open incident: current state, since when, and why
};

// Consecutive results (or rollup buckets) with the same status and no gap between them.
struct StatusRun
{
    ProbeStatus status = ProbeStatus::Unknown;
    qint64 startMs = 0;
    qint64 endMs = 0;
    qint64 results = 0;

    friend bool operator==(const StatusRun&, const StatusRun&) = default;
};

// One point of a downsampled series. Latency figures cover healthy results only and are unset
// when the bucket has none.
struct LatencyPoint
{
    qint64 startMs = 0;
    qint64 endMs = 0;
    qint64 ok = 0;
    qint64 fail = 0;
    qint64 unknown = 0;
    std::optional<double> p50Ms;
    std::optional<double> p95Ms;
    std::optional<double> maxMs;
};

struct LatencySeries
{
    HistoryResolution resolution = HistoryResolution::Raw;
    qint64 bucketMs = 0;
    QList<LatencyPoint> points;
};

// Result counts; unknown results never count against the service (docs/engine.md, "Verdicts").
struct UptimeCounts
{
    qint64 ok = 0;
    qint64 fail = 0;
    qint64 unknown = 0;

    // ok / (ok + fail) in percent; unset when there was no healthy or unhealthy result.
    std::optional<double> percent() const;
    UptimeCounts& operator+=(const UptimeCounts& other);
};

// key.check is empty for a service row, key.service and key.check for a deployment row.
struct UptimeRow
{
    CheckKey key;
    UptimeCounts counts;
};

// Per service and per deployment the results of their checks are pooled.
struct UptimeReport
{
    QList<UptimeRow> checks;
    QList<UptimeRow> services;
    QList<UptimeRow> deployments;
};

struct StoreStats
{
    bool open = false;
    int schemaVersion = 0;
    qint64 fileBytes = 0; // main file after a WAL checkpoint
    qint64 checks = 0;
    qint64 results = 0;
    qint64 minuteRows = 0;
    qint64 hourRows = 0;
    qint64 incidents = 0;
    qint64 cancelledQueries = 0; // queries skipped because their caller cancelled them first
};

// What one maintenance pass did.
struct MaintenanceReport
{
    qint64 minuteBuckets = 0;
    qint64 hourBuckets = 0;
    qint64 rowsPruned = 0;
    bool moreWork = false;

    MaintenanceReport& operator+=(const MaintenanceReport& other);
};

} // namespace okh

Q_DECLARE_METATYPE(okh::IncidentChange)
