#pragma once

#include "HttpVerdict.h"
#include "Probe.h"
#include "ProbeTargets.h"

#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;

namespace okh {

// HTTP GET as kubelet's httpGet probe does it: no redirects followed, 200–399 healthy,
// a fresh connection per run. Sends Accept: application/json so django-health-check answers
// with its per-component JSON.
class HttpProbe : public Probe
{
    Q_OBJECT
public:
    static constexpr qsizetype MaxBodyBytes = 64 * 1024;

    // `network` is the owning thread's shared access manager; it must outlive the probe.
    HttpProbe(HttpTarget target, std::chrono::milliseconds timeout, QNetworkAccessManager* network,
              QObject* parent = nullptr);
    ~HttpProbe() override;

protected:
    void begin() override;
    void abort() override;
    ProbeResult timedOutResult() const override;

private:
    void onReadyRead();
    void onFinished();
    void complete();
    void dropReply();

    HttpTarget m_target;
    QNetworkAccessManager* m_network;
    QPointer<QNetworkReply> m_reply;
    HttpVerdict::Response m_response;
    bool m_requestSent = false;
};

} // namespace okh
