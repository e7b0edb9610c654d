#include "StatusHttpServer.h"

#include "util/LogCategories.h"

#include <QCoreApplication>
#include <QTcpSocket>
#include <QTimer>

namespace okh {

namespace {

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        break;
    }
    return "Internal Server Error";
}

constexpr QByteArrayView kTextPlain = "text/plain; charset=utf-8";

QByteArray errorBody(int status)
{
    QByteArray body = QByteArray::number(status) + ' ' + reasonPhrase(status).toByteArray() + '\n';
    if (status == 404)
        body
            += QCoreApplication::translate("okh::StatusHttpServer", "Endpoints: /metrics (Prometheus), /status (JSON).")
                   .toUtf8()
            + '\n';
    return body;
}

// True when the comma-separated header value holds `token` (case-insensitive), as Connection does.
bool hasToken(QByteArrayView value, QByteArrayView token)
{
    for (const QByteArray& part : value.toByteArray().split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

class StatusHttpServer::Connection : public QObject
{
public:
    Connection(QTcpSocket* s, QObject* parent)
        : QObject(parent)
        , socket(s)
    {
        socket->setParent(this);
        // Bounded: a peer that sends faster than we answer is held back by TCP.
        socket->setReadBufferSize(64 * 1024);
        timer.setSingleShot(true);
    }

    QTcpSocket* socket;
    QByteArray buffer;
    QTimer timer;
    bool reading = false; // part of a request head is buffered; the request timeout runs
    bool writing = false; // a response is going out; only its progress extends the idle time
    bool closing = false; // the last response is written; nothing more is read
};

std::optional<StatusHttpServer::ListenAddress> StatusHttpServer::parseListenAddress(const QString& text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return std::nullopt;
    QString host = text.left(colon);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(u':'))
        return std::nullopt; // an IPv6 address needs brackets: [::1]:9469
    ListenAddress result;
    result.port = quint16(port);
    if (host == QLatin1String("localhost"))
        result.address = QHostAddress(QHostAddress::LocalHost);
    else if (!result.address.setAddress(host))
        return std::nullopt;
    return result;
}

StatusHttpServer::StatusHttpServer(QObject* parent)
    : StatusHttpServer(Options{}, parent)
{ }

StatusHttpServer::StatusHttpServer(Options options, QObject* parent)
    : QObject(parent)
    , m_options(options)
{
    connect(&m_server, &QTcpServer::newConnection, this, &StatusHttpServer::onNewConnection);
}

StatusHttpServer::~StatusHttpServer()
{
    close();
}

void StatusHttpServer::addRoute(const QByteArray& path, Handler handler)
{
    m_routes.insert(path, std::move(handler));
}

bool StatusHttpServer::listen(const QHostAddress& address, quint16 port)
{
    return m_server.listen(address, port);
}

void StatusHttpServer::close()
{
    m_server.close();
    const auto connections = m_connections;
    for (Connection* c : connections) {
        c->socket->abort();
        drop(c);
    }
}

void StatusHttpServer::onNewConnection()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        if (m_connections.size() >= m_options.maxConnections) {
            qCInfo(lcServer) << "too many connections, refusing" << socket->peerAddress();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            const QByteArray body = errorBody(503);
            socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                          "Connection: close\r\nContent-Length: "
                          + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            socket->disconnectFromHost();
            // A peer that never reads would keep it open: give it the idle time at most.
            QTimer::singleShot(m_options.idleTimeout, socket, &QTcpSocket::abort);
            continue;
        }
        auto* c = new Connection(socket, this);
        m_connections.insert(c);
        connect(socket, &QTcpSocket::readyRead, c, [this, c] { onReadyRead(c); });
        connect(socket, &QTcpSocket::bytesWritten, c, [this, c] {
            rearm(c, true);
            // Pipelined requests wait until the previous response is out.
            if (!c->closing && c->socket->bytesToWrite() == 0)
                process(c);
        });
        connect(socket, &QTcpSocket::disconnected, c, [this, c] { drop(c); });
        connect(&c->timer, &QTimer::timeout, c, [this, c] {
            qCDebug(lcServer) << (c->reading ? "request timeout" : "idle timeout") << c->socket->peerAddress();
            c->socket->abort();
            drop(c);
        });
        rearm(c);
    }
}

void StatusHttpServer::onReadyRead(Connection* c)
{
    if (c->closing) {
        c->socket->readAll();
        return;
    }
    process(c);
}

void StatusHttpServer::process(Connection* c)
{
    // One request at a time: a pipelined request waits in the socket until the previous
    // response is written, and the socket's bounded read buffer then pushes back on the peer.
    while (!c->closing && c->socket->bytesToWrite() == 0) {
        // Buffer at most one head of the maximum size and its terminator.
        const qint64 room = m_options.maxRequestBytes + 4 - c->buffer.size();
        if (room > 0 && c->socket->bytesAvailable() > 0)
            c->buffer += c->socket->read(room);
        qsizetype end = c->buffer.indexOf("\r\n\r\n");
        qsizetype separator = 4;
        const qsizetype bareEnd = c->buffer.indexOf("\n\n"); // bare LF lines, tolerated as most servers do
        if (bareEnd >= 0 && (end < 0 || bareEnd < end)) {
            end = bareEnd;
            separator = 2;
        }
        if (end < 0 ? c->buffer.size() > m_options.maxRequestBytes : end > m_options.maxRequestBytes) {
            respond(c, 431, kTextPlain.toByteArray(), errorBody(431), false, false);
            break;
        }
        if (end < 0)
            break; // wait for the rest
        const QByteArray head = c->buffer.left(end);
        c->buffer.remove(0, end + separator);
        c->reading = false;
        if (!handle(c, head))
            break;
    }
    if (c->closing)
        c->socket->readAll();
    rearm(c);
}

void StatusHttpServer::rearm(Connection* c, bool wrote)
{
    if (c->socket->bytesToWrite() > 0 || c->closing) {
        // Writing: the peer must keep reading. Bytes it sends meanwhile do not count, or a
        // peer that pipelines and never reads would hold the connection by trickling.
        c->reading = false;
        if (!c->writing || wrote)
            c->timer.start(m_options.idleTimeout);
        c->writing = true;
        return;
    }
    c->writing = false;
    if (!c->buffer.isEmpty()) {
        // A request is arriving: it has requestTimeout from its first byte, more bytes do not extend it.
        if (!c->reading) {
            c->reading = true;
            c->timer.start(m_options.requestTimeout);
        }
    } else {
        c->reading = false;
        c->timer.start(m_options.idleTimeout);
    }
}

bool StatusHttpServer::handle(Connection* c, const QByteArray& head)
{
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray& line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    // RFC 9112 §2.2: empty lines before the request line are ignored.
    while (!lines.isEmpty() && lines.constFirst().isEmpty())
        lines.removeFirst();
    if (lines.isEmpty()) {
        respond(c, 400, kTextPlain.toByteArray(), errorBody(400), false, false);
        return false;
    }
    const QList<QByteArray> requestLine = lines.takeFirst().split(' ');
    if (requestLine.size() != 3 || requestLine.at(1).isEmpty()) {
        respond(c, 400, kTextPlain.toByteArray(), errorBody(400), false, false);
        return false;
    }
    const QByteArray& method = requestLine.at(0);
    const QByteArray& target = requestLine.at(1);
    const QByteArray& version = requestLine.at(2);
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        respond(c, version.startsWith("HTTP/") ? 505 : 400, kTextPlain.toByteArray(),
                errorBody(version.startsWith("HTTP/") ? 505 : 400), false, false);
        return false;
    }
    bool keepAlive = version == "HTTP/1.1";
    bool hasBody = false;
    for (const QByteArray& line : std::as_const(lines)) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line.startsWith(' ') || line.startsWith('\t')) {
            // No name, or obsolete line folding (RFC 9112 §5.2: reject it).
            respond(c, 400, kTextPlain.toByteArray(), errorBody(400), false, false);
            return false;
        }
        const QByteArrayView name = QByteArrayView(line).first(colon).trimmed();
        const QByteArrayView value = QByteArrayView(line).sliced(colon + 1).trimmed();
        if (name.compare("Connection", Qt::CaseInsensitive) == 0) {
            // HTTP/1.0 keep-alive is not offered (docs/cli.md): one request per connection.
            if (hasToken(value, "close"))
                keepAlive = false;
        } else if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
            hasBody = true;
        } else if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qlonglong length = value.toByteArray().toLongLong(&ok);
            if (!ok || length < 0) {
                respond(c, 400, kTextPlain.toByteArray(), errorBody(400), false, false);
                return false;
            }
            hasBody = hasBody || length > 0;
        }
    }
    const bool isHead = method == "HEAD";
    if (method != "GET" && !isHead) {
        // 405 for the methods HTTP defines, 501 for any other token (RFC 9110 §9.1).
        static const QList<QByteArray> known{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"};
        const int status = known.contains(method) ? 405 : 501;
        // A body is never read: the connection closes after the answer.
        respond(c, status, kTextPlain.toByteArray(), errorBody(status), false, keepAlive && !hasBody,
                "Allow: GET, HEAD\r\n");
        return keepAlive && !hasBody;
    }
    if (hasBody) {
        // Nothing here takes a body; reading past it is not worth the code.
        respond(c, 413, kTextPlain.toByteArray(), errorBody(413), false, false);
        return false;
    }
    if (!target.startsWith('/')) {
        respond(c, 400, kTextPlain.toByteArray(), errorBody(400), isHead, false);
        return false;
    }
    QByteArray path = target;
    const qsizetype query = path.indexOf('?');
    if (query >= 0)
        path.truncate(query);
    const auto route = m_routes.constFind(path);
    if (route == m_routes.constEnd()) {
        qCDebug(lcServer) << method << target << "→ 404";
        respond(c, 404, kTextPlain.toByteArray(), errorBody(404), isHead, keepAlive);
        return keepAlive;
    }
    const Response response = (*route)();
    qCDebug(lcServer) << method << target << "→" << response.status << response.body.size() << "bytes";
    respond(c, response.status, response.contentType, response.body, isHead, keepAlive);
    return keepAlive;
}

void StatusHttpServer::respond(Connection* c, int status, const QByteArray& contentType, const QByteArray& body,
                               bool head, bool keepAlive, const QByteArray& extraHeaders)
{
    QByteArray out;
    out.reserve(160 + extraHeaders.size() + (head ? 0 : body.size()));
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\nContent-Type: ";
    out += contentType;
    out += "\r\nContent-Length: ";
    out += QByteArray::number(body.size());
    out += "\r\nCache-Control: no-store\r\n";
    out += extraHeaders;
    if (!keepAlive)
        out += "Connection: close\r\n";
    out += "\r\n";
    if (!head)
        out += body;
    c->socket->write(out);
    if (!keepAlive) {
        c->closing = true;
        c->buffer.clear();
        // Sends what is queued, then closes; `disconnected` drops the connection.
        c->socket->disconnectFromHost();
    }
}

void StatusHttpServer::drop(Connection* c)
{
    if (!m_connections.remove(c))
        return;
    c->timer.stop();
    c->disconnect(this);
    c->socket->disconnect(c);
    // We may be inside one of its signals: delete it later.
    c->deleteLater();
}

} // namespace okh
