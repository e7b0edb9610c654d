#include "RedisFailure.h"

#include "probes/SocketFailure.h"

namespace okh {

bool RedisFailure::isAuthError(const QByteArray& message)
{
    return message.startsWith("NOAUTH") || message.startsWith("WRONGPASS") || message.startsWith("ERR invalid password")
        || message.startsWith("ERR AUTH") || message.startsWith("ERR Client sent AUTH");
}

ProbeResult RedisFailure::fromSocketError(const QString& endpoint, QAbstractSocket::SocketError error,
                                          const QString& text, bool tls)
{
    if (error == QAbstractSocket::SslInvalidUserDataError) {
        // The monitor's own TLS set-up (a key that does not fit its certificate), not an answer
        // of the server.
        auto r
            = ProbeResult::unknown(tr("cannot set up TLS for %1: %2").arg(endpoint, text),
                                   tr("Check ssl_certfile and ssl_keyfile: the key must belong to the certificate."));
        r.details.append({QStringLiteral("error"), text});
        return r;
    }
    ProbeResult r = SocketFailure::toResult(error, text, endpoint);
    if (!tls && error == QAbstractSocket::RemoteHostClosedError) {
        r.hint = tr("The port is open but the peer hung up without a word. Redis does that to plain connections on "
                    "its TLS port (tls-port): if the server uses TLS, write rediss://. Otherwise a different service "
                    "listens there, or Redis is overloaded or restarting.");
    } else if (tls && error == QAbstractSocket::SslHandshakeFailedError
               && (text.contains(QLatin1String("wrong version number"))
                   || text.contains(QLatin1String("packet length too long"))
                   || text.contains(QLatin1String("record layer failure")))) {
        r.hint = tr("The server does not speak TLS on this port: write redis://, or use the server's TLS port "
                    "(tls-port).");
    } else if (tls
               && (text.contains(QLatin1String("alert certificate required"))
                   || text.contains(QLatin1String("alert bad certificate"))
                   || text.contains(QLatin1String("alert unknown ca")))) {
        r.hint = tr("The server wants a client certificate it trusts (tls-auth-clients): give ssl_certfile and "
                    "ssl_keyfile, signed by a CA in the server's tls-ca-cert-file.");
    } else if (tls && error == QAbstractSocket::SslHandshakeFailedError) {
        r.hint = tr("The server's certificate is not trusted (give its CA with ssl_ca_certs), has expired, or is for "
                    "another name (ssl_check_hostname), or the server wants a client certificate (ssl_certfile, "
                    "ssl_keyfile).");
    }
    return r;
}

ProbeResult RedisFailure::fromErrorReply(const QString& endpoint, const QByteArray& message)
{
    // "unknown command 'AUTH', with args beginning with: 'user' 'secret'": never repeat args.
    QString text = QString::fromUtf8(message);
    if (const qsizetype args = text.indexOf(QLatin1String(", with args beginning with")); args >= 0)
        text.truncate(args);
    ProbeResult r;
    if (isAuthError(message)) {
        // Redis is up and answering; it is the monitor's credentials that are off.
        r = ProbeResult::unknown(tr("%1 refused the monitor's credentials: %2").arg(endpoint, text),
                                 tr("Put the password (and ACL user) the services use in the check's URL, as in "
                                    "CELERY_BROKER_URL: redis://[user]:password@host:port/db."));
    } else if (message.startsWith("LOADING")) {
        r = ProbeResult::unhealthy(tr("%1 is loading its dataset: %2").arg(endpoint, text),
                                   tr("Redis is starting and reading its RDB/AOF file; it answers when done."));
    } else if (message.startsWith("MISCONF")) {
        r = ProbeResult::unhealthy(tr("%1 cannot persist: %2").arg(endpoint, text),
                                   tr("Redis stops accepting writes after a failed RDB snapshot: check disk space "
                                      "and permissions of its data directory."));
    } else if (message.startsWith("ERR DB index") || message.startsWith("ERR invalid DB index")) {
        r = ProbeResult::unknown(tr("%1 refused the database number: %2").arg(endpoint, text),
                                 tr("The database number in the URL does not exist on this server (see its "
                                    "'databases' setting)."));
    } else {
        r = ProbeResult::unhealthy(tr("%1 answered with an error: %2").arg(endpoint, text));
    }
    r.details.append({QStringLiteral("reply"), text});
    if (r.status == ProbeStatus::Unhealthy)
        r.failure = FailureKind::Answered;
    return r;
}

ProbeResult RedisFailure::notRedis(const QString& endpoint, const QByteArray& banner, const QString& parserError)
{
    auto r = ProbeResult::unhealthy(
        tr("%1 is not a Redis server: it answered \"%2\"").arg(endpoint, QString::fromLatin1(banner).simplified()),
        tr("Another service listens on this port: check the port in the deployment file."));
    r.details.append({QStringLiteral("error"), parserError});
    return r;
}

} // namespace okh
