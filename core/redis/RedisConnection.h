#pragma once

#include "RedisReply.h"
#include "probes/ProbeTargets.h"

#include <QAbstractSocket>
#include <QNetworkProxy>
#include <QObject>
#include <QSslError>
#include <QTcpSocket>
#include <memory>

struct redisReader;

namespace okh {

// One RESP connection on the Qt event loop: a Qt socket for the bytes (so it can run over any
// transport a socket can, with TLS for rediss://), hiredis for the protocol (command
// formatting, reply parsing). Replies arrive in command order through reply(); nothing here
// blocks.
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    explicit RedisConnection(QObject* parent = nullptr);
    ~RedisConnection() override;

    // Connects, with TLS when `tls` is enabled. Returns a message when the TLS settings
    // cannot be used (a CA or key file that cannot be read); nothing is started then.
    QString connectToServer(const QString& host, quint16 port, const QNetworkProxy& proxy, const RedisTls& tls = {});
    // May be called before the connection is up; commands are written once it is.
    void send(const QList<QByteArray>& argv);
    void close();

    // AUTH [user] password for a target with a password (Redis 6 ACL form when a user is
    // given), or an empty list.
    static QList<QByteArray> authCommand(const RedisTarget& target);
    // Sends what is queued, then closes (no replies are read any more).
    void closeAfterWriting();

    QAbstractSocket& socket() { return *m_socket; }
    // The first bytes received, for "this is not a Redis server" messages.
    QByteArray receivedPrefix() const { return m_prefix; }

Q_SIGNALS:
    void tcpConnected(); // for rediss://, before the TLS handshake
    void connected(); // ready for commands
    void reply(const okh::RedisReply& reply);
    void socketError(QAbstractSocket::SocketError error, const QString& text);
    // The peer sent bytes that are not RESP (hiredis's message, e.g. "Protocol error, got \"H\"...").
    void protocolError(const QString& text);

private:
    void useSocket(std::unique_ptr<QTcpSocket> socket);
    void onConnected();
    void onSslErrors(const QList<QSslError>& errors);
    bool isReady() const;
    void onReadyRead();
    void onError(QAbstractSocket::SocketError error);

    struct ReaderDeleter
    {
        void operator()(redisReader* reader) const;
    };

    std::unique_ptr<QTcpSocket> m_socket; // a QSslSocket for rediss://
    RedisTls m_tls;
    QString m_tlsRefusal; // the first certificate error the TLS settings do not accept
    std::unique_ptr<redisReader, ReaderDeleter> m_reader;
    QByteArray m_pending;
    QByteArray m_prefix;
    bool m_failed = false;
};

} // namespace okh
