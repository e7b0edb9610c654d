#pragma once

#include "ProbeResult.h"
#include "ProbeTargets.h"

#include <QCoreApplication>
#include <QNetworkReply>

namespace okh {

// What an HTTP answer (or the failure to get one) means for a health check, with the hint an
// experienced operator would give. Pure: the probe collects the facts, this judges them.
class HttpVerdict
{
    Q_DECLARE_TR_FUNCTIONS(okh::HttpVerdict)
public:
    struct Response
    {
        int statusCode = 0;
        QByteArray reasonPhrase;
        QByteArray contentType;
        QByteArray server; // Server header: tells nginx apart from the app behind it
        QByteArray location; // redirects are reported, not followed
        QByteArray body; // at most the first 64 KiB
        bool bodyTruncated = false;
        QList<QNetworkReply::RawHeaderPair> headers; // as received, for the failure view
    };
    // A failing answer keeps at most this many response headers ("header: Name" details).
    static constexpr int MaxHeaders = 24;

    static ProbeResult fromResponse(const HttpTarget& target, const Response& response);
    static ProbeResult fromNetworkError(const HttpTarget& target, QNetworkReply::NetworkError error,
                                        const QString& errorText);
};

} // namespace okh
