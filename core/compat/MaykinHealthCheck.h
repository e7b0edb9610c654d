#pragma once

#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <chrono>

class QNetworkAccessManager;

namespace okh {

// `maykin-common health-check`, reproduced (docs/cli.md; upstream
// maykin_common/cli.py): the same endpoint completion, requests' rules (redirects followed,
// success = status < 400), the same output lines and exit codes.
class MaykinHealthCheck : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        int exitCode = 1;
        QString stdoutLine; // "UP, response status code: 200"
        QString stderrLine; // "DOWN, response status code: 500" or "DOWN (ConnectionError)"
    };

    // "/_healthz/readyz/" → "http://localhost:8000/_healthz/readyz/"; "localhost:5555" →
    // "http://localhost:5555/_healthz/livez/"; absolute URLs with a path stay as they are.
    static QUrl completeEndpoint(const QString& endpoint);

    MaykinHealthCheck(QUrl url, std::chrono::milliseconds timeout, QNetworkAccessManager* network,
                      QObject* parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(const okh::MaykinHealthCheck::Outcome& outcome);

private:
    void onFinished();
    void onTimeout();
    void conclude(const Outcome& outcome);
    // The requests exception class name for a failure, as maykin-common prints it.
    QString exceptionName(QNetworkReply::NetworkError error) const;

    QUrl m_url;
    std::chrono::milliseconds m_timeout;
    QNetworkAccessManager* m_network;
    QPointer<QNetworkReply> m_reply;
    QTimer m_idle;
    bool m_requestSent = false;
    bool m_headersReceived = false;
    bool m_done = false;
};

} // namespace okh
