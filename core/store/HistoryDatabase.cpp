#include "HistoryDatabase.h"

#include "HistorySchema.h"
#include "LatencyStats.h"
#include "util/LogCategories.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlError>
#include <QVariant>
#include <algorithm>
#include <cmath>
#include <limits>

namespace okh {

namespace {

constexpr qint64 SecondsPerDay = 86'400;
// Docker keeps the first 4096 bytes of a health check's output (docs/engine.md, "Verdicts"); an incident
// keeps as much of each detail.
constexpr qsizetype DetailLimit = 4096;

constexpr int tierIndex(HistoryResolution tier)
{
    return static_cast<int>(tier);
}

constexpr qint64 tierSeconds(HistoryResolution tier)
{
    switch (tier) {
    case HistoryResolution::Raw:
        return 1;
    case HistoryResolution::Minute:
        return 60;
    case HistoryResolution::Hour:
        return 3600;
    }
    return 1;
}

QString tableName(HistoryResolution tier)
{
    switch (tier) {
    case HistoryResolution::Raw:
        return QStringLiteral("results");
    case HistoryResolution::Minute:
        return QStringLiteral("rollup_minute");
    case HistoryResolution::Hour:
        return QStringLiteral("rollup_hour");
    }
    return {};
}

QString untilKey(HistoryResolution tier)
{
    return tier == HistoryResolution::Hour ? QStringLiteral("hour_until") : QStringLiteral("minute_until");
}

QString prunedKey(HistoryResolution tier)
{
    return tableName(tier) + QStringLiteral("_pruned");
}

HistoryResolution finer(HistoryResolution tier)
{
    return tier == HistoryResolution::Hour ? HistoryResolution::Minute : HistoryResolution::Raw;
}

HistoryResolution coarser(HistoryResolution tier)
{
    return tier == HistoryResolution::Raw ? HistoryResolution::Minute : HistoryResolution::Hour;
}

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

qint64 floorTo(qint64 a, qint64 step)
{
    return floorDiv(a, step) * step;
}

qint64 ceilTo(qint64 a, qint64 step)
{
    return -floorDiv(-a, step) * step;
}

// A result stored at second s stands for [s*1000, s*1000 + 1000): it lies in [fromMs, toMs)
// when s*1000 does, that is for s in [ceil(fromMs/1000), ceil(toMs/1000)).
qint64 secondsCeil(qint64 ms)
{
    return -floorDiv(-ms, 1000);
}

// Stored status codes; fixed in the file format, independent of the enum's order.
int statusCode(ProbeStatus status)
{
    switch (status) {
    case ProbeStatus::Healthy:
        return 0;
    case ProbeStatus::Unhealthy:
        return 1;
    case ProbeStatus::Unknown:
        break;
    }
    return 2;
}

ProbeStatus statusFromCode(int code)
{
    switch (code) {
    case 0:
        return ProbeStatus::Healthy;
    case 1:
        return ProbeStatus::Unhealthy;
    default:
        return ProbeStatus::Unknown;
    }
}

// The status a bucket shows in a timeline: any failure makes it unhealthy; unknown results never
// count against the service, so a bucket with successes and unknowns is healthy.
ProbeStatus bucketStatus(qint64 ok, qint64 fail)
{
    if (fail > 0)
        return ProbeStatus::Unhealthy;
    if (ok > 0)
        return ProbeStatus::Healthy;
    return ProbeStatus::Unknown;
}

QString detailsJson(const ProbeResult& result)
{
    QJsonObject object;
    if (!result.summary.isEmpty())
        object.insert(QLatin1String("summary"), result.summary.left(DetailLimit));
    if (!result.details.isEmpty()) {
        QJsonArray details;
        for (const ProbeDetail& d : result.details)
            details.append(QJsonArray{d.key, d.value.left(DetailLimit)});
        object.insert(QLatin1String("details"), details);
    }
    if (!result.hint.isEmpty())
        object.insert(QLatin1String("hint"), result.hint.left(DetailLimit));
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void parseDetails(const QString& json, Incident* incident)
{
    const QJsonObject object = QJsonDocument::fromJson(json.toUtf8()).object();
    incident->summary = object.value(QLatin1String("summary")).toString();
    incident->hint = object.value(QLatin1String("hint")).toString();
    const QJsonArray details = object.value(QLatin1String("details")).toArray();
    for (const QJsonValue& d : details) {
        const QJsonArray pair = d.toArray();
        incident->details.append({pair.at(0).toString(), pair.at(1).toString()});
    }
}

qint64 median(QList<qint64> values)
{
    if (values.isEmpty())
        return 0;
    const auto middle = values.begin() + values.size() / 2;
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

} // namespace

struct HistoryDatabase::Statements
{
    explicit Statements(const QSqlDatabase& db)
        : insertResult(db)
        , insertCheck(db)
        , lastIncident(db)
        , closeIncident(db)
        , insertIncident(db)
        , setMeta(db)
        , latestResult(db)
        , rawCounts(db)
        , range{QSqlQuery(db), QSqlQuery(db), QSqlQuery(db)}
        , before{QSqlQuery(db), QSqlQuery(db), QSqlQuery(db)}
        , first{QSqlQuery(db), QSqlQuery(db), QSqlQuery(db)}
        , prune{QSqlQuery(db), QSqlQuery(db), QSqlQuery(db)}
        , upsertRollup{QSqlQuery(db), QSqlQuery(db), QSqlQuery(db)}
        , rollupCounts{QSqlQuery(db), QSqlQuery(db), QSqlQuery(db)}
    { }

    QSqlQuery insertResult;
    QSqlQuery insertCheck;
    QSqlQuery lastIncident;
    QSqlQuery closeIncident;
    QSqlQuery insertIncident;
    QSqlQuery setMeta;
    QSqlQuery latestResult;
    QSqlQuery rawCounts;
    // Indexed by tier; upsertRollup and rollupCounts have no [Raw] statement.
    std::array<QSqlQuery, TierCount> range;
    std::array<QSqlQuery, TierCount> before;
    std::array<QSqlQuery, TierCount> first;
    std::array<QSqlQuery, TierCount> prune;
    std::array<QSqlQuery, TierCount> upsertRollup;
    std::array<QSqlQuery, TierCount> rollupCounts;
};

HistoryDatabase::HistoryDatabase(QString connectionName)
    : m_connectionName(std::move(connectionName))
{ }

HistoryDatabase::~HistoryDatabase()
{
    close();
}

bool HistoryDatabase::fail(const QString& message)
{
    m_lastError = message;
    qCWarning(lcStore).noquote() << message;
    return false;
}

bool HistoryDatabase::failQuery(const QSqlQuery& query)
{
    return fail(tr("History database error: %1").arg(query.lastError().text()));
}

bool HistoryDatabase::exec(const QString& sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return failQuery(query);
    return true;
}

bool HistoryDatabase::open(const QString& path)
{
    close();
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(path);
    // Another reader (a second process, the bench) may briefly hold the file.
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!m_db.open()) {
        fail(tr("Cannot open the history file %1: %2").arg(path, m_db.lastError().text()));
        close();
        return false;
    }
    // Migrate first: a file of a newer version is refused before anything in it changes.
    QString error;
    if (!HistorySchema::migrate(m_db, &error)) {
        fail(error);
        close();
        return false;
    }
    // WAL + synchronous=NORMAL: a commit is durable against a crash of the process (kill -9) and
    // never corrupts the file; only a power loss may drop the last commits.
    QSqlQuery mode(m_db);
    if (!mode.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !mode.next()
        || mode.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        fail(tr("Cannot open the history file %1: %2").arg(path, mode.lastError().text()));
        close();
        return false;
    }
    mode.finish();
    if (!exec(QStringLiteral("PRAGMA synchronous=NORMAL")) || !exec(QStringLiteral("PRAGMA temp_store=MEMORY"))
        || !exec(QStringLiteral("PRAGMA cache_size=-16000"))) {
        close();
        return false;
    }
    if (!loadChecks() || !loadMeta() || !prepareStatements()) {
        close();
        return false;
    }
    m_open = true;
    return true;
}

void HistoryDatabase::close()
{
    const bool had = m_db.isValid();
    m_open = false;
    m_sql.reset();
    m_ids.clear();
    m_keys.clear();
    m_order.clear();
    m_states.clear();
    m_until.fill(0);
    m_pruned.fill(0);
    m_progress.fill({});
    if (had) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool HistoryDatabase::prepareStatements()
{
    m_sql = std::make_unique<Statements>(m_db);
    const auto prepare = [this](QSqlQuery& query, const QString& sql) {
        query.setForwardOnly(true);
        if (!query.prepare(sql))
            return failQuery(query);
        return true;
    };
    bool ok
        = prepare(m_sql->insertResult,
                  QStringLiteral("INSERT OR REPLACE INTO results(check_id, ts, status, latency) VALUES(?, ?, ?, ?)"))
        && prepare(m_sql->insertCheck, QStringLiteral("INSERT INTO checks(deployment, service, name) VALUES(?, ?, ?)"))
        && prepare(m_sql->lastIncident,
                   QStringLiteral("SELECT id, start_ms, end_ms, status, previous, latency, details FROM incidents"
                                  " WHERE check_id = ? ORDER BY start_ms DESC, id DESC LIMIT 1"))
        && prepare(m_sql->closeIncident, QStringLiteral("UPDATE incidents SET end_ms = ? WHERE id = ?"))
        && prepare(
              m_sql->insertIncident,
              QStringLiteral("INSERT INTO incidents(check_id, start_ms, end_ms, status, previous, latency, details)"
                             " VALUES(?, ?, NULL, ?, ?, ?, ?)"))
        && prepare(m_sql->setMeta, QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)"))
        && prepare(
              m_sql->latestResult,
              QStringLiteral("SELECT ts, status, latency FROM results WHERE check_id = ? ORDER BY ts DESC LIMIT 1"))
        && prepare(m_sql->rawCounts,
                   QStringLiteral("SELECT status, count(*) FROM results WHERE check_id = ? AND ts >= ? AND ts < ?"
                                  " GROUP BY status"));
    for (const HistoryResolution tier : {HistoryResolution::Raw, HistoryResolution::Minute, HistoryResolution::Hour}) {
        const int i = tierIndex(tier);
        const QString table = tableName(tier);
        const QString columns = tier == HistoryResolution::Raw ? QStringLiteral("ts, status, latency")
                                                               : QStringLiteral("ts, ok, fail, unknown, p50, p95, max");
        ok = ok
            && prepare(m_sql->range[i],
                       QStringLiteral("SELECT %1 FROM %2 WHERE check_id = ? AND ts >= ? AND ts < ? ORDER BY ts")
                           .arg(columns, table))
            && prepare(m_sql->before[i],
                       QStringLiteral("SELECT %1 FROM %2 WHERE check_id = ? AND ts < ? ORDER BY ts DESC LIMIT 1")
                           .arg(columns, table))
            && prepare(
                 m_sql->first[i],
                 QStringLiteral("SELECT ts FROM %1 WHERE check_id = ? AND ts >= ? ORDER BY ts LIMIT 1").arg(table))
            && prepare(m_sql->prune[i], QStringLiteral("DELETE FROM %1 WHERE check_id = ? AND ts < ?").arg(table));
        if (tier != HistoryResolution::Raw) {
            ok = ok
                && prepare(m_sql->upsertRollup[i],
                           QStringLiteral("INSERT OR REPLACE INTO %1(check_id, ts, ok, fail, unknown, p50, p95, max)"
                                          " VALUES(?, ?, ?, ?, ?, ?, ?, ?)")
                               .arg(table))
                && prepare(m_sql->rollupCounts[i],
                           QStringLiteral("SELECT sum(ok), sum(fail), sum(unknown) FROM %1"
                                          " WHERE check_id = ? AND ts >= ? AND ts < ?")
                               .arg(table));
        }
    }
    return ok;
}

bool HistoryDatabase::loadChecks()
{
    m_ids.clear();
    m_keys.clear();
    m_order.clear();
    m_states.clear();
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, deployment, service, name FROM checks ORDER BY id")))
        return failQuery(query);
    while (query.next()) {
        const int id = query.value(0).toInt();
        const CheckKey key{query.value(1).toString(), query.value(2).toString(), query.value(3).toString()};
        m_ids.insert(key, id);
        m_keys.insert(id, key);
        m_order.append(id);
    }
    return true;
}

bool HistoryDatabase::loadMeta()
{
    m_until.fill(0);
    m_pruned.fill(0);
    m_progress.fill({});
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT key, value FROM meta")))
        return failQuery(query);
    while (query.next()) {
        const QString key = query.value(0).toString();
        const qint64 value = query.value(1).toLongLong();
        for (const HistoryResolution tier :
             {HistoryResolution::Raw, HistoryResolution::Minute, HistoryResolution::Hour}) {
            if (tier != HistoryResolution::Raw && key == untilKey(tier))
                m_until[tierIndex(tier)] = value;
            if (key == prunedKey(tier))
                m_pruned[tierIndex(tier)] = value;
        }
    }
    return true;
}

bool HistoryDatabase::setMeta(const QString& key, qint64 value)
{
    m_sql->setMeta.bindValue(0, key);
    m_sql->setMeta.bindValue(1, value);
    if (!m_sql->setMeta.exec())
        return failQuery(m_sql->setMeta);
    return true;
}

qint64 HistoryDatabase::until(HistoryResolution tier) const
{
    return tier == HistoryResolution::Raw ? std::numeric_limits<qint64>::max() : m_until[tierIndex(tier)];
}

int HistoryDatabase::checkId(const CheckKey& key)
{
    const auto found = m_ids.constFind(key);
    if (found != m_ids.constEnd())
        return found.value();
    m_sql->insertCheck.bindValue(0, key.deployment);
    m_sql->insertCheck.bindValue(1, key.service);
    m_sql->insertCheck.bindValue(2, key.check);
    if (!m_sql->insertCheck.exec()) {
        failQuery(m_sql->insertCheck);
        return -1;
    }
    const int id = m_sql->insertCheck.lastInsertId().toInt();
    m_ids.insert(key, id);
    m_keys.insert(id, key);
    m_order.append(id);
    return id;
}

QList<int> HistoryDatabase::matchingChecks(const CheckFilter& filter) const
{
    QList<int> ids;
    for (const int id : m_order) {
        if (filter.matches(m_keys.value(id)))
            ids.append(id);
    }
    return ids;
}

Incident HistoryDatabase::readIncident(const QSqlQuery& query, int checkIdColumn) const
{
    // Columns: id, start_ms, end_ms, status, previous, latency, details[, check_id]
    Incident incident;
    incident.id = query.value(0).toLongLong();
    incident.startMs = query.value(1).toLongLong();
    if (!query.isNull(2))
        incident.endMs = query.value(2).toLongLong();
    incident.status = statusFromCode(query.value(3).toInt());
    if (!query.isNull(4))
        incident.previous = statusFromCode(query.value(4).toInt());
    incident.latencyMs = latencyFromTenths(query.value(5).toLongLong());
    parseDetails(query.value(6).toString(), &incident);
    if (checkIdColumn >= 0)
        incident.check = m_keys.value(query.value(checkIdColumn).toInt());
    return incident;
}

bool HistoryDatabase::loadState(int id, CheckState* state)
{
    const auto cached = m_states.constFind(id);
    if (cached != m_states.constEnd()) {
        *state = cached.value();
        return true;
    }
    m_sql->lastIncident.bindValue(0, id);
    if (!m_sql->lastIncident.exec())
        return failQuery(m_sql->lastIncident);
    CheckState loaded;
    if (m_sql->lastIncident.next()) {
        loaded.hasIncident = true;
        loaded.incidentId = m_sql->lastIncident.value(0).toLongLong();
        loaded.sinceMs = m_sql->lastIncident.value(1).toLongLong();
        loaded.status = statusFromCode(m_sql->lastIncident.value(3).toInt());
    }
    m_sql->lastIncident.finish();
    m_states.insert(id, loaded);
    *state = loaded;
    return true;
}

bool HistoryDatabase::trackState(int id, const StoredResult& item)
{
    CheckState state;
    if (!loadState(id, &state))
        return false;
    const ProbeStatus status = item.effectiveState();
    // A result older than the current state does not rewrite history.
    if (state.hasIncident && (status == state.status || item.timestampMs < state.sinceMs))
        return true;
    if (state.hasIncident) {
        m_sql->closeIncident.bindValue(0, item.timestampMs);
        m_sql->closeIncident.bindValue(1, state.incidentId);
        if (!m_sql->closeIncident.exec())
            return failQuery(m_sql->closeIncident);
    }
    m_sql->insertIncident.bindValue(0, id);
    m_sql->insertIncident.bindValue(1, item.timestampMs);
    m_sql->insertIncident.bindValue(2, statusCode(status));
    m_sql->insertIncident.bindValue(3, state.hasIncident ? QVariant(statusCode(state.status)) : QVariant());
    m_sql->insertIncident.bindValue(4, latencyToTenths(item.result.latencyMs));
    m_sql->insertIncident.bindValue(5, detailsJson(item.result));
    if (!m_sql->insertIncident.exec())
        return failQuery(m_sql->insertIncident);
    const qint64 opened = m_sql->insertIncident.lastInsertId().toLongLong();
    IncidentChange change;
    change.check = item.check;
    change.openedId = opened;
    change.status = status;
    if (state.hasIncident) {
        change.previous = state.status;
        change.closedId = state.incidentId;
    }
    change.atMs = item.timestampMs;
    m_changes.append(change);
    m_states.insert(id, {true, opened, status, item.timestampMs});
    return true;
}

bool HistoryDatabase::write(const QList<StoredResult>& batch)
{
    if (!m_open)
        return fail(tr("The history file is not open."));
    if (batch.isEmpty())
        return true;
    m_changes.clear();
    if (!m_db.transaction())
        return fail(tr("History database error: %1").arg(m_db.lastError().text()));

    QSet<std::pair<int, qint64>> lateMinutes;
    QSet<std::pair<int, qint64>> lateHours;
    bool ok = true;
    for (const StoredResult& item : batch) {
        const int id = checkId(item.check);
        if (id < 0) {
            ok = false;
            break;
        }
        const qint64 ts = floorDiv(item.timestampMs, 1000);
        m_sql->insertResult.bindValue(0, id);
        m_sql->insertResult.bindValue(1, ts);
        m_sql->insertResult.bindValue(2, statusCode(item.result.status));
        m_sql->insertResult.bindValue(3, latencyToTenths(item.result.latencyMs));
        if (!m_sql->insertResult.exec()) {
            ok = failQuery(m_sql->insertResult);
            break;
        }
        if (ts < rollupReached(HistoryResolution::Minute))
            lateMinutes.insert({id, floorTo(ts, 60)});
        if (ts < rollupReached(HistoryResolution::Hour))
            lateHours.insert({id, floorTo(ts, 3600)});
        if (!trackState(id, item)) {
            ok = false;
            break;
        }
    }
    qint64 buckets = 0;
    qint64 rows = 0;
    for (auto it = lateMinutes.cbegin(); ok && it != lateMinutes.cend(); ++it)
        ok = rollup(HistoryResolution::Minute, it->first, it->second, it->second + 60, &buckets, &rows);
    for (auto it = lateHours.cbegin(); ok && it != lateHours.cend(); ++it)
        ok = rollup(HistoryResolution::Hour, it->first, it->second, it->second + 3600, &buckets, &rows);

    if (ok && m_db.commit())
        return true;
    if (ok)
        fail(tr("History database error: %1").arg(m_db.lastError().text()));
    m_db.rollback();
    m_changes.clear(); // none of them happened
    // The caches may hold ids and states of the rolled-back transaction.
    loadChecks();
    return false;
}

HistoryDatabase::Part HistoryDatabase::readPart(HistoryResolution tier, const QSqlQuery& query)
{
    Part part;
    part.ts = query.value(0).toLongLong();
    if (tier == HistoryResolution::Raw) {
        const ProbeStatus status = statusFromCode(query.value(1).toInt());
        part.ok = status == ProbeStatus::Healthy;
        part.fail = status == ProbeStatus::Unhealthy;
        part.unknown = status == ProbeStatus::Unknown;
        part.hasLatency = part.ok;
        part.p50 = part.p95 = part.max = query.value(2).toInt();
    } else {
        part.ok = query.value(1).toLongLong();
        part.fail = query.value(2).toLongLong();
        part.unknown = query.value(3).toLongLong();
        part.hasLatency = !query.isNull(4);
        part.p50 = query.value(4).toInt();
        part.p95 = query.value(5).toInt();
        part.max = query.value(6).toInt();
    }
    return part;
}

bool HistoryDatabase::fetchParts(HistoryResolution tier, int id, qint64 from, qint64 to, QList<Part>* parts)
{
    if (from >= to)
        return true;
    QSqlQuery& query = m_sql->range[tierIndex(tier)];
    query.bindValue(0, id);
    query.bindValue(1, from);
    query.bindValue(2, to);
    if (!query.exec())
        return failQuery(query);
    while (query.next())
        parts->append(readPart(tier, query));
    query.finish();
    return true;
}

bool HistoryDatabase::fetchPartBefore(HistoryResolution tier, int id, qint64 before, QList<Part>* parts)
{
    QSqlQuery& query = m_sql->before[tierIndex(tier)];
    query.bindValue(0, id);
    query.bindValue(1, before);
    if (!query.exec())
        return failQuery(query);
    if (query.next())
        parts->append(readPart(tier, query));
    query.finish();
    return true;
}

bool HistoryDatabase::rollup(HistoryResolution tier, int id, qint64 from, qint64 to, qint64* buckets, qint64* rowsRead)
{
    QList<Part> rows;
    if (!fetchParts(HistoryResolution::Raw, id, from, to, &rows))
        return false;
    *rowsRead += rows.size();
    const qint64 width = tierSeconds(tier);
    QSqlQuery& upsert = m_sql->upsertRollup[tierIndex(tier)];
    QList<qint32> latencies;
    for (qsizetype i = 0; i < rows.size();) {
        const qint64 bucket = floorTo(rows.at(i).ts, width);
        qint64 ok = 0, failed = 0, unknown = 0;
        latencies.clear();
        for (; i < rows.size() && floorTo(rows.at(i).ts, width) == bucket; ++i) {
            const Part& row = rows.at(i);
            ok += row.ok;
            failed += row.fail;
            unknown += row.unknown;
            if (row.hasLatency)
                latencies.append(row.max);
        }
        upsert.bindValue(0, id);
        upsert.bindValue(1, bucket);
        upsert.bindValue(2, ok);
        upsert.bindValue(3, failed);
        upsert.bindValue(4, unknown);
        if (latencies.isEmpty()) {
            for (int c = 5; c < 8; ++c)
                upsert.bindValue(c, QVariant());
        } else {
            const LatencyStats stats = LatencyStats::of(latencies);
            upsert.bindValue(5, stats.p50);
            upsert.bindValue(6, stats.p95);
            upsert.bindValue(7, stats.max);
        }
        if (!upsert.exec())
            return failQuery(upsert);
        ++*buckets;
    }
    return true;
}

bool HistoryDatabase::firstTs(HistoryResolution tier, int id, qint64 atOrAfter, std::optional<qint64>* ts)
{
    QSqlQuery& query = m_sql->first[tierIndex(tier)];
    query.bindValue(0, id);
    query.bindValue(1, atOrAfter);
    if (!query.exec())
        return failQuery(query);
    ts->reset();
    if (query.next())
        *ts = query.value(0).toLongLong();
    query.finish();
    return true;
}

bool HistoryDatabase::firstRawTs(qint64 atOrAfter, std::optional<qint64>* earliest)
{
    earliest->reset();
    for (const int id : std::as_const(m_order)) {
        std::optional<qint64> ts;
        if (!firstTs(HistoryResolution::Raw, id, atOrAfter, &ts))
            return false;
        if (ts && (!*earliest || *ts < **earliest))
            *earliest = ts;
    }
    return true;
}

qint64 HistoryDatabase::sliceSeconds() const
{
    // Sized for one result per check every 10 s (the Kubernetes default period).
    const qint64 checks = std::max<qint64>(1, m_order.size());
    return std::clamp<qint64>(floorTo(SliceResults * 10 / checks, 60), 60, 3600);
}

qint64 HistoryDatabase::rollupReached(HistoryResolution tier) const
{
    // A range being rolled up a few checks at a time counts as reached: a late result in it
    // re-rolls its own bucket (harmless for the checks the range has not got to yet).
    const RollupProgress& progress = m_progress[tierIndex(tier)];
    return std::max(m_until[tierIndex(tier)], progress.nextCheck > 0 ? progress.to : 0);
}

bool HistoryDatabase::rollupPending(HistoryResolution tier, qint64 now) const
{
    return m_until[tierIndex(tier)] < floorTo(now - RollupGraceSeconds, tierSeconds(tier));
}

bool HistoryDatabase::rollupSlice(HistoryResolution tier, qint64 now, MaintenanceReport* report)
{
    const qint64 width = tierSeconds(tier);
    const qint64 target = floorTo(now - RollupGraceSeconds, width);
    qint64 from = m_until[tierIndex(tier)];
    if (from == 0) {
        // First rollup of this file: start at its oldest result.
        std::optional<qint64> oldest;
        if (!firstRawTs(std::numeric_limits<qint64>::min(), &oldest))
            return false;
        from = oldest ? floorTo(*oldest, width) : target;
    }
    qint64 to = from;
    if (from < target) {
        RollupProgress& progress = m_progress[tierIndex(tier)];
        if (progress.nextCheck == 0)
            progress.to = std::min(target, from + (tier == HistoryResolution::Hour ? 3600 : sliceSeconds()));
        to = progress.to;
        // About SliceResults results per slice whatever the checks' rate: an hour of 1,000
        // checks every second is 3.6 M results, far too many for one transaction.
        qint64 buckets = 0;
        qint64 rows = 0;
        while (progress.nextCheck < m_order.size() && rows < SliceResults) {
            if (!rollup(tier, m_order.at(progress.nextCheck), from, to, &buckets, &rows))
                return false;
            ++progress.nextCheck;
        }
        (tier == HistoryResolution::Hour ? report->hourBuckets : report->minuteBuckets) += buckets;
        progress.buckets += buckets;
        if (progress.nextCheck < m_order.size()) {
            report->moreWork = true; // the same range, the next checks
            return true;
        }
        const qint64 rangeBuckets = progress.buckets;
        progress = {};
        if (rangeBuckets == 0) {
            // A gap (the monitor was not running): skip to the next result.
            std::optional<qint64> next;
            if (!firstRawTs(to, &next))
                return false;
            to = next ? std::clamp(floorTo(*next, width), to, target) : target;
        }
    }
    if (to == m_until[tierIndex(tier)])
        return true;
    if (!setMeta(untilKey(tier), to))
        return false;
    m_until[tierIndex(tier)] = to;
    return true;
}

bool HistoryDatabase::pruneSlice(qint64 now, const RetentionPolicy& retention, MaintenanceReport* report)
{
    const auto cutoff = [now](int days) { return days > 0 ? now - days * SecondsPerDay : qint64(0); };
    std::array<qint64, TierCount> cutoffs{cutoff(retention.rawDays), cutoff(retention.minuteDays),
                                          cutoff(retention.hourDays)};
    // Results are kept until both rollups have read them.
    if (cutoffs[0] > 0)
        cutoffs[0] = std::min({cutoffs[0], until(HistoryResolution::Minute), until(HistoryResolution::Hour)});

    const qint64 slice = sliceSeconds();
    for (const HistoryResolution tier : {HistoryResolution::Raw, HistoryResolution::Minute, HistoryResolution::Hour}) {
        const int i = tierIndex(tier);
        if (cutoffs[i] <= 0)
            continue;
        QSqlQuery& prune = m_sql->prune[i];
        for (const int id : std::as_const(m_order)) {
            std::optional<qint64> first;
            if (!firstTs(tier, id, std::numeric_limits<qint64>::min(), &first))
                return false;
            if (!first || *first >= cutoffs[i])
                continue;
            // A chunk holds about as many rows in every table (rollup rows replace 6 or 360 results).
            const qint64 span = tier == HistoryResolution::Raw ? slice : slice * tierSeconds(tier) / 10;
            const qint64 bound = std::min(cutoffs[i], *first + span);
            prune.bindValue(0, id);
            prune.bindValue(1, bound);
            if (!prune.exec())
                return failQuery(prune);
            report->rowsPruned += std::max(0, prune.numRowsAffected());
            if (bound < cutoffs[i])
                report->moreWork = true;
        }
        // A longer retention does not bring deleted rows back: the horizon only moves forward.
        if (cutoffs[i] > m_pruned[i]) {
            if (!setMeta(prunedKey(tier), cutoffs[i]))
                return false;
            m_pruned[i] = cutoffs[i];
        }
    }
    if (cutoffs[2] > 0) {
        // Incidents go with the hour rollups that chart them.
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("DELETE FROM incidents WHERE end_ms IS NOT NULL AND end_ms < ?"));
        query.bindValue(0, cutoffs[2] * 1000);
        if (!query.exec())
            return failQuery(query);
        report->rowsPruned += std::max(0, query.numRowsAffected());
    }
    return true;
}

MaintenanceReport HistoryDatabase::maintain(qint64 nowMs, const RetentionPolicy& retention)
{
    MaintenanceReport report;
    if (!m_open)
        return report;
    const qint64 now = floorDiv(nowMs, 1000);
    if (!m_db.transaction()) {
        fail(tr("History database error: %1").arg(m_db.lastError().text()));
        return report;
    }
    const auto previousUntil = m_until;
    const auto previousPruned = m_pruned;
    const auto previousProgress = m_progress;
    bool ok = true;
    if (rollupPending(HistoryResolution::Minute, now))
        ok = rollupSlice(HistoryResolution::Minute, now, &report);
    else if (rollupPending(HistoryResolution::Hour, now))
        ok = rollupSlice(HistoryResolution::Hour, now, &report);
    else
        ok = pruneSlice(now, retention, &report);

    if (ok && m_db.commit()) {
        report.moreWork = report.moreWork || rollupPending(HistoryResolution::Minute, now)
            || rollupPending(HistoryResolution::Hour, now);
        // After the last rollup slice, pruning still has its turn.
        if (!report.moreWork && (report.minuteBuckets > 0 || report.hourBuckets > 0))
            report.moreWork = true;
        return report;
    }
    if (ok)
        fail(tr("History database error: %1").arg(m_db.lastError().text()));
    m_db.rollback();
    m_until = previousUntil;
    m_pruned = previousPruned;
    m_progress = previousProgress;
    return MaintenanceReport{};
}

bool HistoryDatabase::checkpoint()
{
    return m_open && exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
}

QList<LatestResult> HistoryDatabase::latestResults(const CheckFilter& filter)
{
    QList<LatestResult> latest;
    if (!m_open)
        return latest;
    for (const int id : matchingChecks(filter)) {
        LatestResult row;
        row.check = m_keys.value(id);
        m_sql->latestResult.bindValue(0, id);
        if (!m_sql->latestResult.exec()) {
            failQuery(m_sql->latestResult);
            return {};
        }
        if (!m_sql->latestResult.next()) {
            m_sql->latestResult.finish();
            continue;
        }
        row.timestampMs = m_sql->latestResult.value(0).toLongLong() * 1000;
        row.status = statusFromCode(m_sql->latestResult.value(1).toInt());
        row.latencyMs = latencyFromTenths(m_sql->latestResult.value(2).toLongLong());
        m_sql->latestResult.finish();
        m_sql->lastIncident.bindValue(0, id);
        if (!m_sql->lastIncident.exec()) {
            failQuery(m_sql->lastIncident);
            return {};
        }
        if (m_sql->lastIncident.next()) {
            row.state = readIncident(m_sql->lastIncident, -1);
            row.state->check = row.check;
        }
        m_sql->lastIncident.finish();
        latest.append(row);
    }
    return latest;
}

HistoryResolution HistoryDatabase::resolutionFor(qint64 bucketSeconds, qint64 fromSeconds) const
{
    HistoryResolution tier = HistoryResolution::Raw;
    if (bucketSeconds >= tierSeconds(HistoryResolution::Hour))
        tier = HistoryResolution::Hour;
    else if (bucketSeconds >= tierSeconds(HistoryResolution::Minute))
        tier = HistoryResolution::Minute;
    // Retention has removed the finer rows from the start of the range: read coarser ones.
    while (tier != HistoryResolution::Hour && fromSeconds < m_pruned[tierIndex(tier)])
        tier = coarser(tier);
    return tier;
}

LatencySeries HistoryDatabase::latencySeries(const CheckKey& check, const TimeRange& range, int points)
{
    LatencySeries series;
    const auto found = m_ids.constFind(check);
    if (!m_open || found == m_ids.constEnd() || range.toMs <= range.fromMs || points <= 0)
        return series;
    const int id = found.value();
    const qint64 from = secondsCeil(range.fromMs);
    const qint64 to = secondsCeil(range.toMs);
    const qint64 wanted = std::max<qint64>(1, (to - from + points - 1) / points);
    const HistoryResolution tier = resolutionFor(wanted, from);
    const qint64 rowWidth = tierSeconds(tier);
    const qint64 start = floorTo(from, rowWidth);
    qint64 bucket = ceilTo(wanted, rowWidth);
    // Aligning the start to whole rows may add a bucket; widen them until the count fits.
    while ((to - start + bucket - 1) / bucket > points)
        bucket += rowWidth;
    const qsizetype count = qsizetype((to - start + bucket - 1) / bucket);
    series.resolution = tier;
    series.bucketMs = bucket * 1000;

    // Completed rows of the chosen table, then finer rows for the time not rolled up yet.
    QList<Part> parts;
    qint64 cursor = start;
    for (HistoryResolution t = tier;; t = finer(t)) {
        const qint64 end = std::min(to, std::max(cursor, until(t)));
        const qsizetype before = parts.size();
        if (!fetchParts(t, id, cursor, end, &parts))
            return {};
        cursor = end;
        if (t == HistoryResolution::Raw) {
            for (qsizetype i = before; i < parts.size(); ++i)
                parts[i].raw = true;
            break;
        }
    }

    struct Accumulator
    {
        qint64 ok = 0, fail = 0, unknown = 0;
        qint64 weight = 0;
        double p50 = 0, p95 = 0;
        qint32 max = 0;
        QList<qint32> exact; // latencies of single results: exact percentiles
    };
    QList<Accumulator> buckets(count);
    for (const Part& part : std::as_const(parts)) {
        const qsizetype index = qsizetype((part.ts - start) / bucket);
        if (index < 0 || index >= count)
            continue;
        Accumulator& acc = buckets[index];
        acc.ok += part.ok;
        acc.fail += part.fail;
        acc.unknown += part.unknown;
        if (!part.hasLatency)
            continue;
        if (part.raw) {
            acc.exact.append(part.max);
        } else {
            // Percentiles of merged rows are estimated: their means weighted by healthy results.
            const qint64 weight = std::max<qint64>(1, part.ok);
            acc.weight += weight;
            acc.p50 += double(part.p50) * double(weight);
            acc.p95 += double(part.p95) * double(weight);
        }
        acc.max = std::max(acc.max, part.max);
    }
    series.points.reserve(count);
    for (qsizetype i = 0; i < count; ++i) {
        Accumulator& acc = buckets[i];
        LatencyPoint point;
        point.startMs = (start + i * bucket) * 1000;
        point.endMs = point.startMs + bucket * 1000;
        point.ok = acc.ok;
        point.fail = acc.fail;
        point.unknown = acc.unknown;
        if (!acc.exact.isEmpty() && acc.weight == 0) {
            const LatencyStats stats = LatencyStats::of(acc.exact);
            point.p50Ms = latencyFromTenths(stats.p50);
            point.p95Ms = latencyFromTenths(stats.p95);
            point.maxMs = latencyFromTenths(stats.max);
        } else if (!acc.exact.isEmpty()) {
            // Rollup rows and the results not rolled up yet (the live end of a chart): the
            // results count as one more row, weighted by how many they are.
            const LatencyStats stats = LatencyStats::of(acc.exact);
            const qint64 weight = acc.exact.size();
            point.p50Ms
                = std::round((acc.p50 + double(stats.p50) * double(weight)) / double(acc.weight + weight)) / 10.0;
            point.p95Ms
                = std::round((acc.p95 + double(stats.p95) * double(weight)) / double(acc.weight + weight)) / 10.0;
            point.maxMs = latencyFromTenths(std::max(acc.max, stats.max));
        } else if (acc.weight > 0) {
            point.p50Ms = std::round(acc.p50 / double(acc.weight)) / 10.0;
            point.p95Ms = std::round(acc.p95 / double(acc.weight)) / 10.0;
            point.maxMs = latencyFromTenths(acc.max);
        }
        series.points.append(point);
    }
    return series;
}

QList<StatusRun> HistoryDatabase::timeline(const CheckKey& check, const TimeRange& range)
{
    QList<StatusRun> runs;
    const auto found = m_ids.constFind(check);
    if (!m_open || found == m_ids.constEnd() || range.toMs <= range.fromMs)
        return runs;
    const int id = found.value();
    const qint64 from = secondsCeil(range.fromMs);
    const qint64 to = secondsCeil(range.toMs);
    const HistoryResolution tier = resolutionFor((to - from) / TimelineDetail, from);

    qint64 cursor = floorTo(from, tierSeconds(tier));
    for (HistoryResolution t = tier;; t = finer(t)) {
        const qint64 end = std::min(to, std::max(cursor, until(t)));
        QList<Part> parts;
        // The row before the range tells the state at its start.
        if ((t == tier && !fetchPartBefore(t, id, cursor, &parts)) || !fetchParts(t, id, cursor, end, &parts))
            return {};
        cursor = end;
        // A row stands for the time until the next one: its table's width, or the usual spacing of
        // the rows when the check runs less often. A run breaks at a gap of more than two of those.
        QList<qint64> gaps;
        for (qsizetype i = 1; i < parts.size(); ++i)
            gaps.append(parts.at(i).ts - parts.at(i - 1).ts);
        const qint64 step = std::max(tierSeconds(t), gaps.isEmpty() ? qint64(10) : median(gaps));
        for (const Part& part : std::as_const(parts)) {
            const ProbeStatus status = bucketStatus(part.ok, part.fail);
            const qint64 startMs = part.ts * 1000;
            const qint64 endMs = (part.ts + step) * 1000;
            const qint64 results = part.ok + part.fail + part.unknown;
            if (!runs.isEmpty()) {
                StatusRun& last = runs.last();
                const bool contiguous = startMs <= last.endMs + step * 1000;
                if (contiguous && last.status == status) {
                    last.endMs = endMs;
                    last.results += results;
                    continue;
                }
                if (contiguous)
                    last.endMs = startMs;
            }
            runs.append({status, startMs, endMs, results});
        }
        if (t == HistoryResolution::Raw)
            break;
    }
    QList<StatusRun> clipped;
    for (StatusRun run : std::as_const(runs)) {
        run.startMs = std::max(run.startMs, range.fromMs);
        run.endMs = std::min(run.endMs, range.toMs);
        if (run.startMs < run.endMs)
            clipped.append(run);
    }
    return clipped;
}

QList<Incident> HistoryDatabase::incidents(const TimeRange& range, const CheckFilter& filter)
{
    QList<Incident> list;
    if (!m_open)
        return list;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT id, start_ms, end_ms, status, previous, latency, details, check_id"
                                 " FROM incidents WHERE start_ms < ? AND (end_ms IS NULL OR end_ms > ?)"
                                 " ORDER BY start_ms, id"));
    query.bindValue(0, range.toMs);
    query.bindValue(1, range.fromMs);
    if (!query.exec()) {
        failQuery(query);
        return list;
    }
    while (query.next()) {
        if (filter.matches(m_keys.value(query.value(7).toInt())))
            list.append(readIncident(query, 7));
    }
    return list;
}

IncidentPage HistoryDatabase::incidentPage(const IncidentQuery& q)
{
    IncidentPage page;
    if (!m_open || q.limit <= 0)
        return page;
    // The filter picks check ids first, so LIMIT counts only what the page shows.
    QStringList ids;
    for (auto it = m_keys.constBegin(); it != m_keys.constEnd(); ++it) {
        if (q.filter.matches(it.value()))
            ids.append(QString::number(it.key()));
    }
    if (ids.isEmpty())
        return page;
    QString sql = QStringLiteral("SELECT id, start_ms, end_ms, status, previous, latency, details, check_id"
                                 " FROM incidents WHERE start_ms < ? AND (end_ms IS NULL OR end_ms > ?)"
                                 " AND check_id IN (%1)")
                      .arg(ids.join(u','));
    if (q.problemsOnly)
        sql += QStringLiteral(" AND status <> %1").arg(statusCode(ProbeStatus::Healthy));
    if (q.beforeStartMs > 0)
        sql += QStringLiteral(" AND (start_ms < ? OR (start_ms = ? AND id < ?))");
    sql += QStringLiteral(" ORDER BY start_ms DESC, id DESC LIMIT ?");
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(sql);
    int at = 0;
    query.bindValue(at++, q.range.toMs);
    query.bindValue(at++, q.range.fromMs);
    if (q.beforeStartMs > 0) {
        query.bindValue(at++, q.beforeStartMs);
        query.bindValue(at++, q.beforeStartMs);
        query.bindValue(at++, q.beforeId);
    }
    query.bindValue(at, q.limit + 1); // one more says whether another page follows
    if (!query.exec()) {
        failQuery(query);
        return page;
    }
    while (query.next()) {
        if (page.incidents.size() == q.limit) {
            page.more = true;
            break;
        }
        page.incidents.append(readIncident(query, 7));
    }
    return page;
}

void HistoryDatabase::cover(qint64 from, qint64 to, HistoryResolution tier, QList<Segment>* segments) const
{
    if (from >= to)
        return;
    if (tier == HistoryResolution::Raw) {
        segments->append({tier, from, to});
        return;
    }
    const qint64 width = tierSeconds(tier);
    const qint64 inner = ceilTo(from, width);
    const qint64 outer = std::min(floorTo(to, width), floorTo(until(tier), width));
    if (inner >= outer) {
        cover(from, to, finer(tier), segments);
        return;
    }
    cover(from, inner, finer(tier), segments);
    segments->append({tier, inner, outer});
    cover(outer, to, finer(tier), segments);
}

bool HistoryDatabase::countParts(const Segment& segment, int id, UptimeCounts* counts)
{
    const bool raw = segment.tier == HistoryResolution::Raw;
    QSqlQuery& query = raw ? m_sql->rawCounts : m_sql->rollupCounts[tierIndex(segment.tier)];
    query.bindValue(0, id);
    query.bindValue(1, segment.from);
    query.bindValue(2, segment.to);
    if (!query.exec())
        return failQuery(query);
    while (query.next()) {
        if (raw) {
            const qint64 n = query.value(1).toLongLong();
            switch (statusFromCode(query.value(0).toInt())) {
            case ProbeStatus::Healthy:
                counts->ok += n;
                break;
            case ProbeStatus::Unhealthy:
                counts->fail += n;
                break;
            case ProbeStatus::Unknown:
                counts->unknown += n;
                break;
            }
        } else {
            counts->ok += query.value(0).toLongLong();
            counts->fail += query.value(1).toLongLong();
            counts->unknown += query.value(2).toLongLong();
        }
    }
    query.finish();
    return true;
}

UptimeReport HistoryDatabase::uptime(const TimeRange& range, const CheckFilter& filter)
{
    UptimeReport report;
    if (!m_open || range.toMs <= range.fromMs)
        return report;
    QList<Segment> segments;
    cover(secondsCeil(range.fromMs), secondsCeil(range.toMs), HistoryResolution::Hour, &segments);

    for (const int id : matchingChecks(filter)) {
        UptimeCounts counts;
        for (const Segment& segment : std::as_const(segments)) {
            if (!countParts(segment, id, &counts))
                return {};
        }
        const CheckKey& key = m_keys[id];
        report.checks.append({key, counts});

        const auto pool = [&counts](QList<UptimeRow>& rows, const CheckKey& group) {
            for (UptimeRow& row : rows) {
                if (row.key == group) {
                    row.counts += counts;
                    return;
                }
            }
            rows.append({group, counts});
        };
        pool(report.services, {key.deployment, key.service, {}});
        pool(report.deployments, {key.deployment, {}, {}});
    }
    return report;
}

StoreStats HistoryDatabase::stats()
{
    StoreStats stats;
    if (!m_open)
        return stats;
    stats.open = true;
    stats.schemaVersion = HistorySchema::version(m_db);
    checkpoint();
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    const auto scalar = [&query](const QString& sql) {
        qint64 value = 0;
        if (query.exec(sql) && query.next())
            value = query.value(0).toLongLong();
        query.finish();
        return value;
    };
    stats.fileBytes = scalar(QStringLiteral("PRAGMA page_count")) * scalar(QStringLiteral("PRAGMA page_size"));
    stats.checks = scalar(QStringLiteral("SELECT count(*) FROM checks"));
    stats.results = scalar(QStringLiteral("SELECT count(*) FROM results"));
    stats.minuteRows = scalar(QStringLiteral("SELECT count(*) FROM rollup_minute"));
    stats.hourRows = scalar(QStringLiteral("SELECT count(*) FROM rollup_hour"));
    stats.incidents = scalar(QStringLiteral("SELECT count(*) FROM incidents"));
    return stats;
}

} // namespace okh
