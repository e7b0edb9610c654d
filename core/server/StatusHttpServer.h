#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTcpServer>
#include <chrono>
#include <functional>
#include <optional>

namespace okh {

// A small HTTP/1.1 server for a few read-only endpoints (/metrics and /status of
// `okhealth-check serve`, docs/cli.md). GET and HEAD only, no request bodies, keep-alive and
// pipelining; everything on the event loop without blocking it: a handler renders its response at
// once, the socket writes it out as the peer reads. Limits keep a misbehaving client cheap: the
// request head's size, the time from a request's first byte to its end, the time a connection
// may sit idle, and the number of open connections.
class StatusHttpServer : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qsizetype maxRequestBytes = 8 * 1024; // request line and headers (431 beyond)
        std::chrono::milliseconds requestTimeout{10'000}; // first byte to the end of the head
        std::chrono::milliseconds idleTimeout{60'000}; // no request, nothing to write, or no write progress
        int maxConnections = 32; // more are answered 503 and closed
    };

    struct Response
    {
        int status = 200;
        QByteArray contentType;
        QByteArray body;
    };
    using Handler = std::function<Response()>;

    struct ListenAddress
    {
        QHostAddress address;
        quint16 port = 0;
    };
    // "127.0.0.1:9469", "[::1]:9469", "localhost:9469" (127.0.0.1), "0.0.0.0:9469"; port 0 picks one.
    static std::optional<ListenAddress> parseListenAddress(const QString& text);

    explicit StatusHttpServer(QObject* parent = nullptr);
    StatusHttpServer(Options options, QObject* parent = nullptr);
    ~StatusHttpServer() override;

    // `path` is matched exactly, without the query string.
    void addRoute(const QByteArray& path, Handler handler);

    bool listen(const QHostAddress& address, quint16 port);
    bool isListening() const { return m_server.isListening(); }
    QString errorString() const { return m_server.errorString(); }
    QHostAddress serverAddress() const { return m_server.serverAddress(); }
    quint16 serverPort() const { return m_server.serverPort(); }
    // Stops accepting and drops every connection.
    void close();
    int connectionCount() const { return int(m_connections.size()); }

private:
    class Connection;
    void onNewConnection();
    void onReadyRead(Connection* c);
    void process(Connection* c);
    void rearm(Connection* c, bool wrote = false);
    // Handles one complete request head; false when the connection is to be closed.
    bool handle(Connection* c, const QByteArray& head);
    void respond(Connection* c, int status, const QByteArray& contentType, const QByteArray& body, bool head,
                 bool keepAlive, const QByteArray& extraHeaders = {});
    void drop(Connection* c);

    Options m_options;
    QTcpServer m_server;
    QHash<QByteArray, Handler> m_routes;
    QSet<Connection*> m_connections;
};

} // namespace okh
