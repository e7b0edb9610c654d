#include "HttpProbe.h"

#include "util/Durations.h"
#include "util/LogCategories.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace okh {

HttpProbe::HttpProbe(HttpTarget target, std::chrono::milliseconds timeout, QNetworkAccessManager* network,
                     QObject* parent)
    : Probe(timeout, parent)
    , m_target(std::move(target))
    , m_network(network)
{ }

HttpProbe::~HttpProbe()
{
    dropReply();
}

void HttpProbe::begin()
{
    const QString scheme = m_target.url.scheme();
    if (!m_target.url.isValid() || m_target.url.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        auto r = ProbeResult::unknown(tr("invalid URL \"%1\"").arg(m_target.url.toDisplayString()),
                                      tr("Use an absolute http:// or https:// URL."));
        finish(r);
        return;
    }
    QNetworkRequest request(m_target.url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setRawHeader("Accept", "application/json");
    // kubelet disables keep-alive: every run measures a whole connection, and a dead
    // server is never hidden behind a pooled socket.
    request.setRawHeader("Connection", "close");
    request.setRawHeader("User-Agent", "okhealth/" OKHEALTH_VERSION_STRING);
    if (!m_target.hostHeader.isEmpty())
        request.setRawHeader("Host", m_target.hostHeader.toUtf8());
    if (!m_target.user.isEmpty() || !m_target.password.isEmpty())
        request.setRawHeader("Authorization",
                             "Basic " + (m_target.user + u':' + m_target.password).toUtf8().toBase64());
    for (const auto& [name, value] : m_target.headers)
        request.setRawHeader(name, value);

    m_reply = m_network->get(request);
    qCDebug(lcProbeHttp) << "GET" << m_target.url.toDisplayString();
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpProbe::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpProbe::onFinished);
    connect(m_reply, &QNetworkReply::requestSent, this, [this] { m_requestSent = true; });
}

void HttpProbe::abort()
{
    dropReply();
}

ProbeResult HttpProbe::timedOutResult() const
{
    auto r = m_requestSent
        ? ProbeResult::unhealthy(tr("no HTTP answer within %1").arg(formatDuration(timeout())),
                                 tr("The server accepted the request but did not answer in time: the application is "
                                    "overloaded, frozen, or its own dependency checks are slow (database or cache "
                                    "timeouts)."))
        : ProbeResult::unhealthy(tr("no connection within %1").arg(formatDuration(timeout())),
                                 tr("The host does not answer: a firewall drops the packets or the host is down."));
    r.failure = m_requestSent ? FailureKind::NoAnswer : FailureKind::NoConnection;
    r.details.append({QStringLiteral("phase"), m_requestSent ? QStringLiteral("response") : QStringLiteral("connect")});
    return r;
}

void HttpProbe::onReadyRead()
{
    // The probe's own deadline (Probe) is the only timeout: a second one in the access manager
    // would race it and report "operation canceled" instead of what was still missing.
    if (!m_reply || !m_reply->isOpen())
        return;
    const qsizetype room = MaxBodyBytes - m_response.body.size();
    if (room > 0)
        m_response.body.append(m_reply->read(room));
    if (m_reply->bytesAvailable() > 0) {
        // The status is known; reading the rest of a huge page tells nothing more.
        m_response.bodyTruncated = true;
        complete();
    }
}

void HttpProbe::onFinished()
{
    if (!m_reply || isFinished())
        return;
    onReadyRead();
    if (!isFinished())
        complete();
}

void HttpProbe::complete()
{
    if (isFinished() || !m_reply)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    ProbeResult result;
    if (status.isValid()) {
        m_response.statusCode = status.toInt();
        m_response.reasonPhrase = m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        m_response.contentType = m_reply->rawHeader("Content-Type");
        m_response.server = m_reply->rawHeader("Server");
        m_response.location = m_reply->rawHeader("Location");
        m_response.headers = m_reply->rawHeaderPairs();
        result = HttpVerdict::fromResponse(m_target, m_response);
    } else {
        result = HttpVerdict::fromNetworkError(m_target, m_reply->error(), m_reply->errorString());
    }
    dropReply();
    finish(result);
}

void HttpProbe::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    if (!reply->isFinished())
        reply->abort();
    reply->deleteLater();
}

} // namespace okh
