#include "HttpVerdict.h"

#include "HttpBody.h"
#include "SocketFailure.h"
#include "util/HostPort.h"

#include <QStringList>

namespace okh {

namespace {

QString hostUsed(const HttpTarget& target)
{
    return target.hostHeader.isEmpty() ? target.url.host() : target.hostHeader;
}

bool fromNginx(const HttpVerdict::Response& r)
{
    return r.server.toLower().startsWith("nginx") || r.body.contains("<center>nginx");
}

// Django's own 400 page for a disallowed Host (DEBUG off) is exactly this heading.
bool looksLikeDjangoBadHost(const HttpVerdict::Response& r)
{
    return r.body.contains("<h1>Bad Request (400)</h1>");
}

QString componentList(const QList<HttpBody::Component>& components)
{
    QStringList parts;
    for (const auto& c : components)
        parts.append(c.name + QStringLiteral(" (") + c.status + u')');
    return parts.join(QStringLiteral(", "));
}

// The response headers of a failing answer, for the failure view (a healthy one's would only
// cost memory in every snapshot). Server and Location are details of their own already.
void appendHeaders(const HttpVerdict::Response& response, ProbeResult& r)
{
    constexpr qsizetype MaxValue = 200;
    int kept = 0;
    for (const auto& [name, value] : response.headers) {
        if (name.compare("Server", Qt::CaseInsensitive) == 0 || name.compare("Location", Qt::CaseInsensitive) == 0)
            continue;
        if (++kept > HttpVerdict::MaxHeaders)
            break;
        QString text = QString::fromLatin1(value);
        if (text.size() > MaxValue)
            text = text.left(MaxValue) + QChar(0x2026);
        r.details.append({QStringLiteral("header: ") + QString::fromLatin1(name), text});
    }
}

} // namespace

ProbeResult HttpVerdict::fromResponse(const HttpTarget& target, const Response& response)
{
    const int code = response.statusCode;
    const HttpBody body = HttpBody::parse(response.body, response.contentType);
    const QString codeText = QString::number(code)
        + (response.reasonPhrase.isEmpty() ? QString() : u' ' + QString::fromLatin1(response.reasonPhrase));

    ProbeResult r;
    if (target.expect == HttpTarget::Expectation::Denied) {
        if (code == 401 || code == 403 || code == 404 || code == 410) {
            r = ProbeResult::healthy(tr("not exposed: HTTP %1").arg(codeText));
        } else {
            r = ProbeResult::unhealthy(
                tr("exposed: HTTP %1 from outside").arg(codeText),
                fromNginx(response) && code < 300
                    ? tr("nginx serves this health path to the monitor. Note that the documentation's snippet does "
                         "not block anyone: `return 200` runs in nginx's rewrite phase, before allow/deny are "
                         "checked. Reject other addresses explicitly, e.g. `if ($remote_addr !~ "
                         "\"^(127\\.0\\.0\\.1|::1)$\") { return 403; }`, or proxy to the backend.")
                    : tr("This health path answers from where the monitor stands; health endpoints should answer "
                         "only from the host itself (127.0.0.1 and ::1)."));
        }
    } else if (code >= 200 && code < 400) {
        r = ProbeResult::healthy(
            code >= 300 ? tr("HTTP %1, redirects to %2").arg(codeText, QString::fromUtf8(response.location))
                        : tr("HTTP %1").arg(codeText));
    } else {
        const auto failing = body.failingComponents();
        QString summary = tr("HTTP %1").arg(codeText);
        if (!failing.isEmpty())
            summary = tr("HTTP %1: %2 failing").arg(codeText, componentList(failing));
        else if (!body.title().isEmpty())
            summary = tr("HTTP %1: %2").arg(codeText, body.title());
        QString hint;
        if (code == 400 && response.body.contains("plain HTTP request was sent to HTTPS port")) {
            hint = tr("This port speaks HTTPS: use an https:// URL.");
        } else if (code == 400 && (looksLikeDjangoBadHost(response) || !fromNginx(response))) {
            hint = tr("Django rejects the Host header \"%1\": ALLOWED_HOSTS must contain the host name the check "
                      "uses (the Open Klant documentation: include localhost), or set hostHeader in the check.")
                       .arg(hostUsed(target));
        } else if (code == 401) {
            hint = tr("The endpoint asks for credentials; health endpoints are normally open to the probe.");
        } else if (code == 403 && fromNginx(response)) {
            hint = tr("nginx denied the request (allow/deny). The documentation's health locations allow only "
                      "127.0.0.1 and ::1, and a published container port or a proxy shows nginx another address, "
                      "so run the check inside the nginx container instead: an exec check such as `curl -fsS -o "
                      "/dev/null http://localhost:8080/_healthz/readyz/` (docs/deployment-file.md, nginx).");
        } else if (code == 404) {
            hint = tr("Wrong path: the web container serves /_healthz/, /_healthz/livez/ and /_healthz/readyz/ (with "
                      "the trailing slash). If nginx proxies readyz, check its proxy_pass path: the documentation's "
                      "example proxies to /_health/readyz/, which does not exist.");
        } else if ((code == 502 || code == 503 || code == 504) && fromNginx(response)) {
            hint = code == 504 ? tr("The proxy is up but the backend did not answer in time: check the web container.")
                               : tr("The proxy is up but cannot reach its backend (down, restarting or wrong "
                                    "upstream address): check the web container.");
        } else if (code >= 500 && !failing.isEmpty()) {
            hint = tr("The application answers, but a dependency check fails: %1.").arg(componentList(failing));
        } else if (code == 500 && body.title().contains(QLatin1String("Server Error"))) {
            hint = tr("Django's generic error page: an uncaught exception; the web container's log has the "
                      "traceback.");
        }
        r = ProbeResult::unhealthy(summary, hint).because(FailureKind::Answered);
    }

    r.details.append({QStringLiteral("status"), QString::number(code)});
    if (!response.location.isEmpty())
        r.details.append({QStringLiteral("location"), QString::fromUtf8(response.location)});
    if (!response.server.isEmpty())
        r.details.append({QStringLiteral("server"), QString::fromLatin1(response.server)});
    for (const auto& c : body.components())
        r.details.append({QStringLiteral("component: ") + c.name, c.status});
    if (!body.isHealthJson() && !body.excerpt().isEmpty())
        r.details.append({QStringLiteral("body"), body.excerpt()});
    if (response.bodyTruncated)
        r.details.append({QStringLiteral("body truncated"), QStringLiteral("64 KiB")});
    if (r.status != ProbeStatus::Healthy)
        appendHeaders(response, r);
    return r;
}

ProbeResult HttpVerdict::fromNetworkError(const HttpTarget& target, QNetworkReply::NetworkError error,
                                          const QString& errorText)
{
    const QString what
        = formatHostPort(target.url.host(), quint16(target.url.port(target.url.scheme() == u"https" ? 443 : 80)));
    if (target.expect == HttpTarget::Expectation::Denied && error == QNetworkReply::ConnectionRefusedError) {
        auto r = ProbeResult::healthy(tr("not exposed: connection refused"));
        r.details.append({QStringLiteral("error"), errorText});
        return r;
    }
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return SocketFailure::toResult(QAbstractSocket::ConnectionRefusedError, errorText, what);
    case QNetworkReply::HostNotFoundError:
        return SocketFailure::toResult(QAbstractSocket::HostNotFoundError, errorText, what);
    case QNetworkReply::RemoteHostClosedError:
        return SocketFailure::toResult(QAbstractSocket::RemoteHostClosedError, errorText, what);
    case QNetworkReply::SslHandshakeFailedError:
        return SocketFailure::toResult(QAbstractSocket::SslHandshakeFailedError, errorText, what);
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::UnknownProxyError:
        return SocketFailure::toResult(QAbstractSocket::ProxyConnectionRefusedError, errorText, what);
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return SocketFailure::toResult(QAbstractSocket::NetworkError, errorText, what);
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError: {
        auto r = ProbeResult::unknown(tr("cannot send the request: %1").arg(errorText),
                                      tr("Check the URL in the deployment file: only http:// and https:// work."));
        r.details.append({QStringLiteral("error"), errorText});
        return r;
    }
    default: {
        auto r = ProbeResult::unhealthy(tr("request failed: %1").arg(errorText),
                                        tr("The peer does not speak HTTP as expected: another service may listen on "
                                           "this port."));
        r.details.append({QStringLiteral("error"), errorText});
        return r;
    }
    }
}

} // namespace okh
