#include "MaykinHealthCheck.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>

namespace okh {

QUrl MaykinHealthCheck::completeEndpoint(const QString& endpoint)
{
    QString text = endpoint;
    if (!text.startsWith(QLatin1String("http://")) && !text.startsWith(QLatin1String("https://")))
        text.prepend(QLatin1String("http://"));
    // Split by hand like urllib.parse: QUrl would reject "http:///path" outright.
    const qsizetype schemeEnd = text.indexOf(QLatin1String("://")) + 3;
    const qsizetype pathStart = text.indexOf(u'/', schemeEnd);
    const qsizetype queryStart = text.indexOf(u'?', schemeEnd);
    const qsizetype fragmentStart = text.indexOf(u'#', schemeEnd);
    qsizetype netlocEnd = text.size();
    for (qsizetype p : {pathStart, queryStart, fragmentStart}) {
        if (p >= 0 && p < netlocEnd)
            netlocEnd = p;
    }
    QString netloc = text.mid(schemeEnd, netlocEnd - schemeEnd);
    QString rest = text.mid(netlocEnd);
    if (netloc.isEmpty())
        netloc = QStringLiteral("localhost:8000");
    if (!rest.startsWith(u'/'))
        rest.prepend(QLatin1String("/_healthz/livez/"));
    return QUrl(text.left(schemeEnd) + netloc + rest, QUrl::TolerantMode);
}

MaykinHealthCheck::MaykinHealthCheck(QUrl url, std::chrono::milliseconds timeout, QNetworkAccessManager* network,
                                     QObject* parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_timeout(timeout)
    , m_network(network)
{
    // requests' timeout is per socket operation (connect, then each read), not a total deadline.
    m_idle.setSingleShot(true);
    m_idle.setTimerType(Qt::PreciseTimer);
    connect(&m_idle, &QTimer::timeout, this, &MaykinHealthCheck::onTimeout);
}

void MaykinHealthCheck::start()
{
    if (!m_url.isValid() || m_url.host().isEmpty()) {
        conclude({1, {}, QStringLiteral("DOWN (InvalidURL)")});
        return;
    }
    QNetworkRequest request(m_url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(30); // requests' DEFAULT_REDIRECT_LIMIT
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setRawHeader("User-Agent", "okhealth/" OKHEALTH_VERSION_STRING);
    request.setRawHeader("Accept", "*/*");
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &MaykinHealthCheck::onFinished);
    connect(m_reply, &QNetworkReply::requestSent, this, [this] {
        m_requestSent = true;
        m_idle.start(m_timeout);
    });
    connect(m_reply, &QNetworkReply::downloadProgress, this, [this] { m_idle.start(m_timeout); });
    connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] {
        m_headersReceived = true;
        m_idle.start(m_timeout);
    });
    m_idle.start(m_timeout);
}

void MaykinHealthCheck::onFinished()
{
    if (!m_reply || m_done)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (m_reply->error() == QNetworkReply::TooManyRedirectsError) {
        conclude({1, {}, QStringLiteral("DOWN (TooManyRedirects)")});
    } else if (status.isValid()) {
        const int code = status.toInt();
        const QString line = QStringLiteral("response status code: %1").arg(code);
        if (code < 400)
            conclude({0, QStringLiteral("UP, ") + line, {}});
        else
            conclude({1, {}, QStringLiteral("DOWN, ") + line});
    } else {
        conclude({1, {}, QStringLiteral("DOWN (%1)").arg(exceptionName(m_reply->error()))});
    }
}

void MaykinHealthCheck::onTimeout()
{
    if (m_done)
        return;
    // requests raises ReadTimeout while it waits for the headers; once they are in, the body is
    // read by iter_content, which turns a read timeout into ConnectionError.
    const QString name = m_headersReceived ? QStringLiteral("ConnectionError")
        : m_requestSent                    ? QStringLiteral("ReadTimeout")
                                           : QStringLiteral("ConnectTimeout");
    conclude({1, {}, QStringLiteral("DOWN (%1)").arg(name)});
}

QString MaykinHealthCheck::exceptionName(QNetworkReply::NetworkError error) const
{
    switch (error) {
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("SSLError");
    case QNetworkReply::ProtocolUnknownError:
        return QStringLiteral("InvalidSchema");
    case QNetworkReply::ProtocolFailure:
        return QStringLiteral("ChunkedEncodingError");
    default:
        // Refused, DNS failure, reset, closed before a response: urllib3 raises and requests
        // wraps them all in ConnectionError.
        return QStringLiteral("ConnectionError");
    }
}

void MaykinHealthCheck::conclude(const Outcome& outcome)
{
    if (m_done)
        return;
    m_done = true;
    m_idle.stop();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    Q_EMIT finished(outcome);
}

} // namespace okh
