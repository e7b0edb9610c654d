#include "RedisConnection.h"

#include "RedisTlsSetup.h"
#include "util/LogCategories.h"

#include <QNetworkProxy>
#include <QSslSocket>
#include <hiredis/hiredis.h>
#include <vector>

namespace okh {

namespace {

RedisReply copyReply(const redisReply* r)
{
    RedisReply out;
    switch (r->type) {
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.text = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.text = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::Error;
        out.text = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        for (size_t i = 0; i < r->elements; ++i)
            out.elements.append(copyReply(r->element[i]));
        break;
    default:
        out.type = RedisReply::Type::Nil;
        break;
    }
    return out;
}

constexpr qsizetype PrefixBytes = 64;

} // namespace

void RedisConnection::ReaderDeleter::operator()(redisReader* reader) const
{
    redisReaderFree(reader);
}

RedisConnection::RedisConnection(QObject* parent)
    : QObject(parent)
    , m_reader(redisReaderCreate())
{
    useSocket(std::make_unique<QTcpSocket>());
}

// A QSslSocket only for rediss://: creating one loads Qt's TLS plugin, which plain
// connections (and the drop-in commands' start-up) do not need.
void RedisConnection::useSocket(std::unique_ptr<QTcpSocket> socket)
{
    m_socket = std::move(socket);
    m_socket->setProxy(QNetworkProxy::NoProxy);
    connect(m_socket.get(), &QAbstractSocket::connected, this, [this] {
        Q_EMIT tcpConnected();
        if (!m_tls.enabled)
            onConnected();
    });
    if (auto* ssl = qobject_cast<QSslSocket*>(m_socket.get())) {
        connect(ssl, &QSslSocket::encrypted, this, &RedisConnection::onConnected);
        connect(ssl, &QSslSocket::sslErrors, this, &RedisConnection::onSslErrors);
    }
    connect(m_socket.get(), &QAbstractSocket::readyRead, this, &RedisConnection::onReadyRead);
    connect(m_socket.get(), &QAbstractSocket::errorOccurred, this, &RedisConnection::onError);
}

RedisConnection::~RedisConnection() = default;

QString RedisConnection::connectToServer(const QString& host, quint16 port, const QNetworkProxy& proxy,
                                         const RedisTls& tls)
{
    m_tls = tls;
    if (!tls.enabled) {
        m_socket->setProxy(proxy);
        m_socket->connectToHost(host, port);
        return {};
    }
    auto config = RedisTlsSetup::configuration(tls);
    if (const auto* error = std::get_if<QString>(&config))
        return *error;
    auto ssl = std::make_unique<QSslSocket>();
    QSslSocket* raw = ssl.get();
    useSocket(std::move(ssl));
    raw->setProxy(proxy);
    raw->setSslConfiguration(std::get<QSslConfiguration>(config));
    raw->connectToHostEncrypted(host, port);
    return {};
}

bool RedisConnection::isReady() const
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    const auto* ssl = qobject_cast<const QSslSocket*>(m_socket.get());
    return !m_tls.enabled || (ssl && ssl->isEncrypted());
}

void RedisConnection::onSslErrors(const QList<QSslError>& errors)
{
    const QList<QSslError> accepted = RedisTlsSetup::acceptable(m_tls, errors);
    if (accepted.size() == errors.size()) {
        static_cast<QSslSocket*>(m_socket.get())->ignoreSslErrors(accepted);
        return;
    }
    qCDebug(lcProbeRedis) << "TLS errors" << errors;
    // Qt's error text is the first error's, which may be one the settings accept (a name
    // mismatch listed before an unknown issuer): report the first that really failed.
    for (const QSslError& error : errors) {
        if (!accepted.contains(error)) {
            m_tlsRefusal = error.errorString();
            break;
        }
    }
}

void RedisConnection::send(const QList<QByteArray>& argv)
{
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    args.reserve(size_t(argv.size()));
    lengths.reserve(size_t(argv.size()));
    for (const auto& a : argv) {
        args.push_back(a.constData());
        lengths.push_back(size_t(a.size()));
    }
    char* command = nullptr;
    const int length = redisFormatCommandArgv(&command, int(argv.size()), args.data(), lengths.data());
    if (length < 0)
        return;
    const QByteArray bytes(command, length);
    redisFreeCommand(command);
    if (isReady())
        m_socket->write(bytes);
    else
        m_pending.append(bytes);
}

void RedisConnection::closeAfterWriting()
{
    m_failed = true;
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->disconnectFromHost(); // flushes the write buffer first
    else
        m_socket->abort();
}

QList<QByteArray> RedisConnection::authCommand(const RedisTarget& target)
{
    if (target.password.isEmpty())
        return {};
    QList<QByteArray> auth{QByteArrayLiteral("AUTH")};
    if (!target.user.isEmpty())
        auth.append(target.user.toUtf8());
    auth.append(target.password.toUtf8());
    return auth;
}

void RedisConnection::close()
{
    m_failed = true;
    m_socket->abort();
}

void RedisConnection::onConnected()
{
    if (!m_pending.isEmpty()) {
        m_socket->write(m_pending);
        m_pending.clear();
    }
    Q_EMIT connected();
}

void RedisConnection::onReadyRead()
{
    const QByteArray data = m_socket->readAll();
    if (m_failed || data.isEmpty())
        return;
    if (m_prefix.size() < PrefixBytes)
        m_prefix.append(data.left(PrefixBytes - m_prefix.size()));
    if (redisReaderFeed(m_reader.get(), data.constData(), size_t(data.size())) != REDIS_OK) {
        m_failed = true;
        Q_EMIT protocolError(QString::fromUtf8(m_reader->errstr));
        return;
    }
    for (;;) {
        void* raw = nullptr;
        if (redisReaderGetReply(m_reader.get(), &raw) != REDIS_OK) {
            m_failed = true;
            Q_EMIT protocolError(QString::fromUtf8(m_reader->errstr));
            return;
        }
        if (!raw)
            return;
        const RedisReply reply = copyReply(static_cast<redisReply*>(raw));
        freeReplyObject(raw);
        Q_EMIT this->reply(reply);
        if (m_failed) // a receiver closed the connection
            return;
    }
}

void RedisConnection::onError(QAbstractSocket::SocketError error)
{
    if (m_failed)
        return;
    m_failed = true;
    qCDebug(lcProbeRedis) << "socket error" << error << m_socket->errorString();
    const bool refused = error == QAbstractSocket::SslHandshakeFailedError && !m_tlsRefusal.isEmpty();
    Q_EMIT socketError(error, refused ? m_tlsRefusal : m_socket->errorString());
}

} // namespace okh
