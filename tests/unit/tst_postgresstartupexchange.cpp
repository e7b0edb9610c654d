#include "probes/PostgresStartupExchange.h"

#include <QTest>
#include <QtEndian>

using namespace okh;
using Outcome = PostgresStartupExchange::Outcome;

namespace {

QByteArray message(char type, const QByteArray& payload)
{
    QByteArray out(1, type);
    char length[4];
    qToBigEndian(quint32(payload.size() + 4), length);
    out.append(length, 4);
    out.append(payload);
    return out;
}

QByteArray errorResponse(const QByteArray& sqlState, const QByteArray& text)
{
    QByteArray fields;
    fields.append("SFATAL").append('\0');
    if (!sqlState.isEmpty())
        fields.append("C" + sqlState).append('\0');
    fields.append("M" + text).append('\0');
    fields.append('\0');
    return message('E', fields);
}

} // namespace

class TestPostgresStartupExchange : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verdict_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("sqlState");

        QTest::newRow("AuthenticationOk")
            << message('R', QByteArray("\0\0\0\0", 4)) << int(Outcome::Accepting) << QString();
        QTest::newRow("SASL request") << message('R', QByteArray("\0\0\0\x0aSCRAM-SHA-256\0\0", 19))
                                      << int(Outcome::Accepting) << QString();
        QTest::newRow("starting up is 57P03") << errorResponse("57P03", "the database system is starting up")
                                              << int(Outcome::Rejecting) << QStringLiteral("57P03");
        QTest::newRow("shutting down is 57P03") << errorResponse("57P03", "the database system is shutting down")
                                                << int(Outcome::Rejecting) << QStringLiteral("57P03");
        QTest::newRow("unknown role still means up") << errorResponse("28000", "role \"x\" does not exist")
                                                     << int(Outcome::Accepting) << QStringLiteral("28000");
        QTest::newRow("too many clients still means up (libpq)")
            << errorResponse("53300", "sorry, too many clients already") << int(Outcome::Accepting)
            << QStringLiteral("53300");
        QTest::newRow("error without SQLSTATE is no response")
            << errorResponse({}, "old server") << int(Outcome::NoResponse) << QString();
        QTest::newRow("notice then auth")
            << message('N', QByteArray("SNOTICE\0\0", 9)) + message('R', QByteArray(4, '\0')) << int(Outcome::Accepting)
            << QString();
        QTest::newRow("HTTP server is no response")
            << QByteArray("HTTP/1.1 400 Bad Request\r\n\r\n") << int(Outcome::NoResponse) << QString();
    }
    void verdict()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, outcome);
        QFETCH(QString, sqlState);
        PostgresStartupExchange exchange;
        // Byte by byte: the verdict must not depend on how TCP splits the stream.
        std::optional<PostgresStartupExchange::Verdict> v;
        for (qsizetype i = 0; i < bytes.size() && !v; ++i)
            v = exchange.feed(bytes.mid(i, 1));
        QVERIFY(v.has_value());
        QCOMPARE(int(v->outcome), outcome);
        QCOMPARE(v->sqlState, sqlState);
    }

    void incompleteMessageWaits()
    {
        PostgresStartupExchange exchange;
        QVERIFY(!exchange.feed(QByteArray("R\0\0", 3)).has_value());
    }

    void startupPacketLayout()
    {
        const QByteArray p = PostgresStartupExchange::startupPacket(QStringLiteral("okh"), QStringLiteral("db"));
        QCOMPARE(qFromBigEndian<quint32>(p.constData()), quint32(p.size()));
        QCOMPARE(qFromBigEndian<quint32>(p.constData() + 4), quint32(196608));
        QVERIFY(p.contains(QByteArray("user\0okh\0database\0db\0", 21)));
        QVERIFY(p.endsWith(QByteArray("\0\0", 2)));
    }

    void pgIsReadyWordsAndCodes_data()
    {
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("code");
        QTest::newRow("accepting") << int(Outcome::Accepting) << QStringLiteral("accepting connections") << 0;
        QTest::newRow("rejecting") << int(Outcome::Rejecting) << QStringLiteral("rejecting connections") << 1;
        QTest::newRow("no response") << int(Outcome::NoResponse) << QStringLiteral("no response") << 2;
        QTest::newRow("no attempt") << int(Outcome::NoAttempt) << QStringLiteral("no attempt") << 3;
    }
    void pgIsReadyWordsAndCodes()
    {
        QFETCH(int, outcome);
        QFETCH(QString, text);
        QFETCH(int, code);
        QCOMPARE(PostgresStartupExchange::outcomeText(Outcome(outcome)), text);
        QCOMPARE(PostgresStartupExchange::pgIsReadyExitCode(Outcome(outcome)), code);
    }
};

QTEST_GUILESS_MAIN(TestPostgresStartupExchange)
#include "tst_postgresstartupexchange.moc"
