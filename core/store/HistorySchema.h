#pragma once

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

namespace okh {

// The history file's tables and their migrations (docs/history.md, "Schema"). A file records
// its version in schema_version; each migration takes it one version further, and all the
// missing ones run in one transaction.
class HistorySchema
{
    Q_DECLARE_TR_FUNCTIONS(okh::HistorySchema)
public:
    static constexpr int CurrentVersion = 1;

    // 0 for a file without tables; -1 when the file cannot be read.
    static int version(const QSqlDatabase& db);
    // Brings the file to CurrentVersion. Refuses a file written by a newer OK Health.
    static bool migrate(QSqlDatabase& db, QString* error);
};

} // namespace okh
