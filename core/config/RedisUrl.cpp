#include "RedisUrl.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QStringList>
#include <QUrl>

namespace okh {

namespace {

QString percentDecoded(QStringView text)
{
    return QUrl::fromPercentEncoding(text.toUtf8());
}

bool isAsciiDigits(QStringView text)
{
    if (text.isEmpty())
        return false;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

RedisUrlResult failure(const QString& message)
{
    return RedisUrlResult{std::nullopt, message};
}

// Where the authority ends, as urllib.parse.urlsplit decides it: at the first '/', '?' or '#'.
qsizetype authorityEnd(QStringView rest)
{
    for (qsizetype i = 0; i < rest.size(); ++i) {
        if (rest[i] == u'/' || rest[i] == u'?' || rest[i] == u'#')
            return i;
    }
    return rest.size();
}

// One ssl_* query parameter, as kombu hands it to redis-py's SSLConnection; an error message
// or empty. Values are file paths and keywords, never secrets, so they may be echoed.
QString applyTlsParameter(const QString& key, const QString& value, RedisTls& tls)
{
    if (key == QLatin1String("ssl_cert_reqs")) {
        // Python's ssl: for a client, CERT_OPTIONAL verifies like CERT_REQUIRED.
        static const QStringList verify{QStringLiteral("required"), QStringLiteral("CERT_REQUIRED"),
                                        QStringLiteral("optional"), QStringLiteral("CERT_OPTIONAL")};
        if (verify.contains(value))
            tls.verify = RedisTls::Verify::Required;
        else if (value == QLatin1String("none") || value == QLatin1String("CERT_NONE"))
            tls.verify = RedisTls::Verify::None;
        else
            return QCoreApplication::translate("okh::RedisUrl",
                                               "ssl_cert_reqs must be required, optional or none (or CERT_REQUIRED, "
                                               "CERT_OPTIONAL, CERT_NONE), not \"%1\"")
                .arg(value);
    } else if (key == QLatin1String("ssl_ca_certs")) {
        tls.caCertsFile = value;
    } else if (key == QLatin1String("ssl_certfile")) {
        tls.certFile = value;
    } else if (key == QLatin1String("ssl_keyfile")) {
        tls.keyFile = value;
    } else if (key == QLatin1String("ssl_check_hostname")) {
        // kombu 5.5: anything but "false" is true (5.2 passed the text on, where even "false"
        // was true).
        tls.checkHostname = value.toLower() != QLatin1String("false");
    } else {
        return QCoreApplication::translate("okh::RedisUrl",
                                           "the TLS parameter \"%1\" is not supported (supported: ssl_cert_reqs, "
                                           "ssl_ca_certs, ssl_certfile, ssl_keyfile, ssl_check_hostname)")
            .arg(key);
    }
    return {};
}

} // namespace

RedisUrlResult parseRedisUrl(const QString& input)
{
    const QString url = input.trimmed();
    const qsizetype schemeEnd = url.indexOf(QLatin1String("://"));
    if (schemeEnd <= 0) {
        return failure(QCoreApplication::translate(
            "okh::RedisUrl", "not a Redis URL: expected redis://[[user]:password@]host[:port][/db]"));
    }
    const QString scheme = url.left(schemeEnd).toLower();
    if (scheme == QLatin1String("sentinel")) {
        return failure(QCoreApplication::translate("okh::RedisUrl",
                                                   "the scheme sentinel:// (Redis Sentinel) is not supported yet; "
                                                   "give the current master as redis://host:port/db"));
    }
    if (scheme != QLatin1String("redis") && scheme != QLatin1String("rediss")) {
        return failure(QCoreApplication::translate("okh::RedisUrl",
                                                   "the scheme %1:// is not supported; expected redis:// or rediss://")
                           .arg(scheme));
    }
    // kombu's Connection splits failover lists on ';' before any URL parsing.
    if (url.contains(u';')) {
        return failure(QCoreApplication::translate(
            "okh::RedisUrl", "failover lists (URLs separated by ';') are not supported; give one redis:// URL"));
    }

    const QStringView rest = QStringView(url).mid(schemeEnd + 3);
    const qsizetype netlocEnd = authorityEnd(rest);
    const QStringView netloc = rest.left(netlocEnd);
    QStringView tail = rest.mid(netlocEnd);
    // An '@' after the authority (in the path, query or fragment) almost always is a password
    // with an unencoded '/', '?' or '#' in it. Say so without echoing any part of the URL: it
    // would show part of the secret.
    if (tail.contains(u'@')) {
        return failure(
            QCoreApplication::translate("okh::RedisUrl",
                                        "the URL has an '@' after the host; if the password contains '/', '?' or '#', "
                                        "percent-encode them (%2F, %3F, %23)"));
    }
    if (const qsizetype hash = tail.indexOf(u'#'); hash >= 0)
        tail = tail.left(hash);
    QStringView path = tail;
    QStringView query;
    if (const qsizetype question = tail.indexOf(u'?'); question >= 0) {
        path = tail.left(question);
        query = tail.mid(question + 1);
    }

    RedisTarget target;
    target.tls.enabled = scheme == QLatin1String("rediss");
    QStringView hostinfo = netloc;
    if (const qsizetype at = netloc.lastIndexOf(u'@'); at >= 0) {
        const QStringView userinfo = netloc.left(at);
        hostinfo = netloc.mid(at + 1);
        const qsizetype colon = userinfo.indexOf(u':');
        if (colon >= 0) {
            target.user = percentDecoded(userinfo.left(colon));
            target.password = percentDecoded(userinfo.mid(colon + 1));
        } else {
            target.user = percentDecoded(userinfo);
        }
    }

    QStringView host = hostinfo;
    QStringView port;
    if (hostinfo.contains(u'[') || hostinfo.contains(u']')) {
        const qsizetype open = hostinfo.indexOf(u'[');
        const qsizetype close = hostinfo.indexOf(u']');
        if (open != 0 || close < 0) {
            return failure(QCoreApplication::translate(
                "okh::RedisUrl", "invalid IPv6 host: write it in brackets, like redis://[::1]:6379/0"));
        }
        host = hostinfo.mid(1, close - 1);
        const QStringView afterBracket = hostinfo.mid(close + 1);
        if (!afterBracket.isEmpty() && !afterBracket.startsWith(u':')) {
            return failure(QCoreApplication::translate(
                "okh::RedisUrl", "invalid IPv6 host: write it in brackets, like redis://[::1]:6379/0"));
        }
        port = afterBracket.mid(1);
        if (QHostAddress(host.toString()).protocol() != QAbstractSocket::IPv6Protocol) {
            return failure(QCoreApplication::translate("okh::RedisUrl", "\"%1\" in brackets is not an IPv6 address")
                               .arg(host.toString()));
        }
    } else if (const qsizetype colon = hostinfo.indexOf(u':'); colon >= 0) {
        host = hostinfo.left(colon);
        port = hostinfo.mid(colon + 1);
    }

    // urllib lower-cases the host name; kombu falls back to 127.0.0.1 when there is none.
    const QString hostName = percentDecoded(host).toLower();
    if (!hostName.isEmpty())
        target.host = hostName;

    if (!port.isEmpty()) {
        // The port's text is not echoed: with an unencoded '/' in the password, it is the
        // password's first half.
        if (!isAsciiDigits(port) || port.size() > 5 || port.toInt() > 65535) {
            return failure(
                QCoreApplication::translate("okh::RedisUrl", "the port must be a number between 1 and 65535"));
        }
        // kombu takes "conninfo.port or default_port": port 0 means 6379 too.
        if (const int value = port.toInt(); value != 0)
            target.port = quint16(value);
    }

    // parse_url strips one leading '/'; _prepare_virtual_host treats "" and "/" as db 0 and
    // strips one more '/' before int().
    QString db = percentDecoded(path.startsWith(u'/') ? path.mid(1) : path);
    if (!db.isEmpty() && db != QLatin1String("/")) {
        if (db.startsWith(u'/'))
            db.remove(0, 1);
        const QString digits = db.trimmed();
        if (!isAsciiDigits(digits) || digits.size() > 9) {
            return failure(QCoreApplication::translate("okh::RedisUrl",
                                                       "the database (the URL path) must be a whole number between 0 "
                                                       "and the server's limit - 1, not \"%1\"")
                               .arg(db));
        }
        target.db = digits.toInt();
    }

    bool anyTlsParameter = false;
    bool certReqsGiven = false;
    for (const QStringView pair : query.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype equals = pair.indexOf(u'=');
        const QString key = percentDecoded(equals >= 0 ? pair.left(equals) : pair);
        // parse_qsl without keep_blank_values drops "key=" and "key", so kombu never sees them.
        if (equals < 0 || equals == pair.size() - 1)
            continue;
        if (key.startsWith(QLatin1String("ssl_"))) {
            if (!target.tls.enabled) {
                return failure(
                    QCoreApplication::translate("okh::RedisUrl", "the TLS parameter \"%1\" needs a rediss:// URL")
                        .arg(key));
            }
            if (const QString error = applyTlsParameter(key, percentDecoded(pair.mid(equals + 1)), target.tls);
                !error.isEmpty())
                return failure(error);
            anyTlsParameter = true;
            certReqsGiven = certReqsGiven || key == QLatin1String("ssl_cert_reqs");
            continue;
        }
        return failure(QCoreApplication::translate(
                           "okh::RedisUrl", "the query parameter \"%1\" is not supported (kombu rejects it as well)")
                           .arg(key));
    }
    // kombu falls back to CERT_NONE only when no ssl_* parameter is given at all; otherwise
    // redis-py's own default applies, which is "required".
    if (anyTlsParameter && !certReqsGiven)
        target.tls.verify = RedisTls::Verify::Required;
    // redis-py raises ValueError for this pair: the workers could not connect with this URL.
    if (target.tls.checkHostname && target.tls.verify == RedisTls::Verify::None) {
        return failure(QCoreApplication::translate("okh::RedisUrl",
                                                   "ssl_check_hostname needs ssl_cert_reqs=required: redis-py refuses "
                                                   "to check the name of a certificate it does not verify"));
    }
    return RedisUrlResult{target, {}};
}

namespace {

// `passwordText`: what stands after "user:" (encoded, masked or a reference); empty for none.
QString formatRedisUrl(const RedisTarget& target, const QString& passwordText)
{
    QString out = target.tls.enabled ? QStringLiteral("rediss://") : QStringLiteral("redis://");
    if (!target.user.isEmpty() || !passwordText.isEmpty()) {
        out += QString::fromUtf8(QUrl::toPercentEncoding(target.user));
        if (!passwordText.isEmpty())
            out += u':' + passwordText;
        out += u'@';
    }
    if (target.host.contains(u':'))
        out += u'[' + target.host + u']';
    else
        out += QString::fromUtf8(QUrl::toPercentEncoding(target.host, "-._~!$&'()*+,;="));
    return out + u':' + QString::number(target.port) + u'/' + QString::number(target.db);
}

} // namespace

QString redactedRedisUrl(const RedisTarget& target)
{
    return formatRedisUrl(target, target.password.isEmpty() ? QString() : QStringLiteral("****"));
}

QString redisUrl(const RedisTarget& target)
{
    return redisUrl(target, QString::fromUtf8(QUrl::toPercentEncoding(target.password)));
}

QString redisUrl(const RedisTarget& target, const QString& passwordText)
{
    QString out = formatRedisUrl(target, passwordText);
    const RedisTls& tls = target.tls;
    if (!tls.enabled || tls == RedisTls{true, RedisTls::Verify::None, {}, {}, {}, false})
        return out;
    // kombu's CERT_NONE default holds only without any ssl_* parameter: say it explicitly.
    QStringList query{
        QStringLiteral("ssl_cert_reqs=")
        + (tls.verify == RedisTls::Verify::Required ? QStringLiteral("required") : QStringLiteral("none"))};
    const auto add = [&query](const char* key, const QString& value) {
        if (!value.isEmpty())
            query << QLatin1String(key) + u'=' + QString::fromUtf8(QUrl::toPercentEncoding(value, "/"));
    };
    add("ssl_ca_certs", tls.caCertsFile);
    add("ssl_certfile", tls.certFile);
    add("ssl_keyfile", tls.keyFile);
    if (tls.checkHostname)
        query << QStringLiteral("ssl_check_hostname=true");
    return out + u'?' + query.join(u'&');
}

QString redactUrlPassword(const QString& url)
{
    QStringList parts = url.split(u';');
    for (QString& part : parts) {
        const qsizetype schemeEnd = part.indexOf(QLatin1String("://"));
        if (schemeEnd < 0)
            continue;
        const qsizetype start = schemeEnd + 3;
        // The last '@' anywhere, not only inside the authority: a password with an unencoded
        // '/', '?' or '#' puts it further on, and must still be masked whole.
        const qsizetype at = part.lastIndexOf(u'@');
        if (at < start)
            continue;
        const qsizetype colon = part.indexOf(u':', start);
        if (colon < 0 || colon >= at || colon + 1 == at)
            continue;
        part.replace(colon + 1, at - colon - 1, QStringLiteral("****"));
    }
    return parts.join(u';');
}

} // namespace okh
