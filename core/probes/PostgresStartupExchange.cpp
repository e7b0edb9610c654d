#include "PostgresStartupExchange.h"

#include <QList>
#include <QtEndian>

namespace okh {

namespace {

constexpr quint32 ProtocolVersion3 = 196608; // 3 << 16
constexpr char CannotConnectNow[] = "57P03";

void appendInt32(QByteArray& out, quint32 value)
{
    char bytes[4];
    qToBigEndian(value, bytes);
    out.append(bytes, 4);
}

void appendCString(QByteArray& out, const QByteArray& text)
{
    out.append(text);
    out.append('\0');
}

} // namespace

QByteArray PostgresStartupExchange::startupPacket(const QString& user, const QString& database)
{
    QByteArray body;
    appendInt32(body, ProtocolVersion3);
    appendCString(body, QByteArrayLiteral("user"));
    appendCString(body, user.toUtf8());
    if (!database.isEmpty()) {
        appendCString(body, QByteArrayLiteral("database"));
        appendCString(body, database.toUtf8());
    }
    appendCString(body, QByteArrayLiteral("application_name"));
    appendCString(body, QByteArrayLiteral("okhealth"));
    body.append('\0');
    QByteArray packet;
    appendInt32(packet, quint32(body.size() + 4));
    packet.append(body);
    return packet;
}

QByteArray PostgresStartupExchange::terminatePacket()
{
    QByteArray packet("X");
    appendInt32(packet, 4);
    return packet;
}

std::optional<PostgresStartupExchange::Verdict> PostgresStartupExchange::feed(const QByteArray& bytes)
{
    m_buffer.append(bytes);
    while (m_buffer.size() >= 5) {
        const char type = m_buffer.at(0);
        const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + 1);
        if (length < 4 || length > 1024 * 1024) {
            // Not a PostgreSQL server: nothing libpq could read as a server message.
            return Verdict{Outcome::NoResponse, {}, {}};
        }
        if (m_buffer.size() < qsizetype(length) + 1)
            return std::nullopt;
        const QByteArray payload = m_buffer.mid(5, qsizetype(length) - 4);
        m_buffer.remove(0, qsizetype(length) + 1);
        switch (type) {
        case 'R':
            return Verdict{Outcome::Accepting, {}, {}};
        case 'E': {
            Verdict v{Outcome::Accepting, {}, {}};
            for (const QByteArray& field : payload.split('\0')) {
                if (field.isEmpty())
                    continue;
                if (field.at(0) == 'C')
                    v.sqlState = QString::fromLatin1(field.mid(1));
                else if (field.at(0) == 'M')
                    v.message = QString::fromUtf8(field.mid(1));
            }
            if (v.sqlState.size() != 5)
                v.outcome = Outcome::NoResponse;
            else if (v.sqlState == QLatin1String(CannotConnectNow))
                v.outcome = Outcome::Rejecting;
            return v;
        }
        case 'N': // NoticeResponse before authentication: keep reading
        default:
            break;
        }
    }
    return std::nullopt;
}

QString PostgresStartupExchange::outcomeText(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Accepting:
        return QStringLiteral("accepting connections");
    case Outcome::Rejecting:
        return QStringLiteral("rejecting connections");
    case Outcome::NoResponse:
        return QStringLiteral("no response");
    case Outcome::NoAttempt:
        break;
    }
    return QStringLiteral("no attempt");
}

int PostgresStartupExchange::pgIsReadyExitCode(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Accepting:
        return 0;
    case Outcome::Rejecting:
        return 1;
    case Outcome::NoResponse:
        return 2;
    case Outcome::NoAttempt:
        break;
    }
    return 3;
}

} // namespace okh
