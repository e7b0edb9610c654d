#pragma once

#include "RedisReply.h"
#include "probes/ProbeTargets.h"

#include <QAbstractSocket>
#include <QNetworkProxy>
#include <QObject>
#include <QTcpSocket>
#include <memory>

struct redisReader;

namespace okh {

// One RESP connection on the Qt event loop: a QTcpSocket for the bytes (so it can run over any
// transport a socket can), hiredis for the protocol (command formatting, reply parsing).
// Replies arrive in command order through reply(); nothing here blocks.
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    explicit RedisConnection(QObject* parent = nullptr);
    ~RedisConnection() override;

    void connectToServer(const QString& host, quint16 port, const QNetworkProxy& proxy);
    // May be called before the connection is up; commands are written once it is.
    void send(const QList<QByteArray>& argv);
    void close();

    // AUTH [user] password for a target with a password (Redis 6 ACL form when a user is
    // given), or an empty list.
    static QList<QByteArray> authCommand(const RedisTarget& target);
    // Sends what is queued, then closes (no replies are read any more).
    void closeAfterWriting();

    QTcpSocket& socket() { return m_socket; }
    // The first bytes received, for "this is not a Redis server" messages.
    QByteArray receivedPrefix() const { return m_prefix; }

Q_SIGNALS:
    void connected();
    void reply(const okh::RedisReply& reply);
    void socketError(QAbstractSocket::SocketError error, const QString& text);
    // The peer sent bytes that are not RESP (hiredis's message, e.g. "Protocol error, got \"H\"...").
    void protocolError(const QString& text);

private:
    void onConnected();
    void onReadyRead();
    void onError(QAbstractSocket::SocketError error);

    struct ReaderDeleter
    {
        void operator()(redisReader* reader) const;
    };

    QTcpSocket m_socket;
    std::unique_ptr<redisReader, ReaderDeleter> m_reader;
    QByteArray m_pending;
    QByteArray m_prefix;
    bool m_failed = false;
};

} // namespace okh
