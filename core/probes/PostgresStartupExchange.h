#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace okh {

// The first exchange of the PostgreSQL frontend/backend protocol 3.0, judged the way libpq's
// PQping (and so pg_isready) judges it (src/interfaces/libpq/fe-connect.c, internal_ping):
// any authentication request means the server accepts sessions; an ErrorResponse with SQLSTATE
// 57P03 (cannot_connect_now: starting up, shutting down, recovery) means it rejects them; any
// other SQLSTATE still proves the server is up; no message at all is "no response".
class PostgresStartupExchange
{
public:
    enum class Outcome { Accepting, Rejecting, NoResponse, NoAttempt };

    struct Verdict
    {
        Outcome outcome = Outcome::NoResponse;
        QString sqlState;
        QString message; // the server's own words, when it sent any
    };

    static QByteArray startupPacket(const QString& user, const QString& database);
    static QByteArray terminatePacket();

    // Feeds bytes from the server; returns a verdict once one is certain.
    std::optional<Verdict> feed(const QByteArray& bytes);

    // pg_isready's words and exit code for each outcome.
    static QString outcomeText(Outcome outcome);
    static int pgIsReadyExitCode(Outcome outcome);

private:
    QByteArray m_buffer;
};

} // namespace okh
