#include "HistorySchema.h"

#include "util/LogCategories.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <functional>

namespace okh {

namespace {

// Version 1. Results and rollups are WITHOUT ROWID tables keyed by (check_id, ts): the key is the
// row, so a result costs its four small integers and no separate rowid or index (≈ 15 bytes).
const QStringList& migrationTo1()
{
    static const QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)"),
        QStringLiteral("CREATE TABLE checks("
                       "id INTEGER PRIMARY KEY, deployment TEXT NOT NULL, service TEXT NOT NULL, name TEXT NOT NULL,"
                       " UNIQUE(deployment, service, name))"),
        // ts: Unix seconds; status: 0 healthy, 1 unhealthy, 2 unknown; latency: tenths of a ms.
        QStringLiteral("CREATE TABLE results("
                       "check_id INTEGER NOT NULL, ts INTEGER NOT NULL, status INTEGER NOT NULL,"
                       " latency INTEGER NOT NULL, PRIMARY KEY(check_id, ts)) WITHOUT ROWID"),
        // ts: the bucket's first second; p50/p95/max over healthy results, NULL when there was none.
        QStringLiteral("CREATE TABLE rollup_minute("
                       "check_id INTEGER NOT NULL, ts INTEGER NOT NULL, ok INTEGER NOT NULL, fail INTEGER NOT NULL,"
                       " unknown INTEGER NOT NULL, p50 INTEGER, p95 INTEGER, max INTEGER,"
                       " PRIMARY KEY(check_id, ts)) WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE rollup_hour("
                       "check_id INTEGER NOT NULL, ts INTEGER NOT NULL, ok INTEGER NOT NULL, fail INTEGER NOT NULL,"
                       " unknown INTEGER NOT NULL, p50 INTEGER, p95 INTEGER, max INTEGER,"
                       " PRIMARY KEY(check_id, ts)) WITHOUT ROWID"),
        // One row per state change; details: compact JSON {"summary","details":[[key,value]…],"hint"}.
        QStringLiteral("CREATE TABLE incidents("
                       "id INTEGER PRIMARY KEY, check_id INTEGER NOT NULL, start_ms INTEGER NOT NULL,"
                       " end_ms INTEGER, status INTEGER NOT NULL, previous INTEGER, latency INTEGER NOT NULL,"
                       " details TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX incidents_by_check ON incidents(check_id, start_ms)"),
        // Rollup watermarks and prune horizons, in Unix seconds.
        QStringLiteral("CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID"),
    };
    return statements;
}

// migrations[i] takes a file from version i to i + 1.
const QList<std::reference_wrapper<const QStringList>>& migrations()
{
    static const QList<std::reference_wrapper<const QStringList>> list{std::cref(migrationTo1())};
    return list;
}

bool exec(QSqlDatabase& db, const QString& sql, QString* error)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    *error = HistorySchema::tr("Cannot update the history file: %1").arg(query.lastError().text());
    qCWarning(lcStore) << "migration statement failed:" << sql << query.lastError().text();
    return false;
}

} // namespace

int HistorySchema::version(const QSqlDatabase& db)
{
    QSqlQuery query(db);
    if (!query.exec(
            QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"))
        || !query.next())
        return -1;
    if (query.value(0).toInt() == 0)
        return 0;
    if (!query.exec(QStringLiteral("SELECT max(version) FROM schema_version")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

bool HistorySchema::migrate(QSqlDatabase& db, QString* error)
{
    const int from = version(db);
    if (from < 0) {
        *error = tr("Cannot read the history file: %1").arg(db.lastError().text());
        return false;
    }
    if (from > CurrentVersion) {
        *error = tr("The history file was written by a newer version of OK Health (schema %1, this version reads "
                    "up to %2).")
                     .arg(from)
                     .arg(CurrentVersion);
        return false;
    }
    if (from == CurrentVersion)
        return true;

    if (!db.transaction()) {
        *error = tr("Cannot update the history file: %1").arg(db.lastError().text());
        return false;
    }
    for (int v = from; v < CurrentVersion; ++v) {
        for (const QString& sql : migrations().at(v).get()) {
            if (!exec(db, sql, error)) {
                db.rollback();
                return false;
            }
        }
        qCInfo(lcStore) << "history schema migrated to version" << v + 1;
    }
    if (!exec(db, QStringLiteral("DELETE FROM schema_version"), error)
        || !exec(db, QStringLiteral("INSERT INTO schema_version(version) VALUES(%1)").arg(CurrentVersion), error)) {
        db.rollback();
        return false;
    }
    if (!db.commit()) {
        *error = tr("Cannot update the history file: %1").arg(db.lastError().text());
        db.rollback();
        return false;
    }
    return true;
}

} // namespace okh
