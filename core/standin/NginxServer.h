#pragma once

#include "ManagedProcess.h"

#include <QSet>
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace okh::standin {

// A real nginx (master + one worker, `daemon off`) on a free 127.0.0.1 port, configured from
// resources/standin/nginx/nginx.conf.in with the /_healthz/ locations of Open Klant's
// documentation, plus `= /denied/` (403 for everyone). Config, logs, pid file and temp paths
// live in the fixture's temp dir.
class NginxServer
{
public:
    // Who the allow lists of the three /_healthz/ locations let in.
    enum class HealthAccess {
        // As documented: allow 127.0.0.1 and ::1, deny all.
        LoopbackAllowed,
        // allow 192.0.2.1 only, deny all: what a deployment writes to keep us out. Because
        // `return` runs before allow/deny, /_healthz/, /_healthz/livez/ and a static readyz
        // still answer 200 to loopback; only a proxied readyz answers 403.
        OtherAllowedOnly,
        // As OtherAllowedOnly plus a rewrite-phase `if ($remote_addr != ...) { return 403; }`:
        // every health location answers 403 to loopback (for "expect: denied" checks).
        LoopbackRejected,
    };

    struct Options
    {
        HealthAccess healthAccess = HealthAccess::LoopbackAllowed;
        // true: readyz proxies to http://127.0.0.1:<backendPort>/_healthz/readyz/ (the
        // documentation's "smart readiness probe"); false: readyz is the static 200 "ok\n".
        bool proxyReadiness = true;
        int proxyReadTimeoutSeconds = 10;
        // true: HTTPS only, with a self-signed certificate for "localhost" made at start.
        bool tls = false;
    };

    NginxServer();
    ~NginxServer();
    NginxServer(const NginxServer&) = delete;
    NginxServer& operator=(const NginxServer&) = delete;

    // Renders the config, checks it with `nginx -t`, starts nginx and waits until it answers
    // HTTP. backendPort is only used when options.proxyReadiness.
    bool start(quint16 backendPort);
    bool start(quint16 backendPort, const Options& options);
    void stop();
    bool isRunning() const;

    // From the next start on, listen on this port (0, the default: a free port at each start).
    // A server restarted on its old port keeps a deployment file that names it valid.
    void setPort(quint16 port) { m_fixedPort = port; }
    quint16 port() const { return m_port; }
    qint64 pid() const; // the master process
    QString baseUrl() const; // http://127.0.0.1:port (https:// with Options::tls)
    QString configPath() const;

    QString errorString() const { return m_errorString; }
    QString logTail(int maxLines = 30) const; // error.log, then nginx's own stderr

private:
    bool startOnce(quint16 backendPort, const Options& options, bool* portTaken);
    bool renderConfig(quint16 backendPort, const Options& options);

    QTemporaryDir m_dir;
    std::unique_ptr<ManagedProcess> m_process;
    QString m_errorString;
    quint16 m_port = 0;
    quint16 m_fixedPort = 0; // setPort()
    bool m_tls = false;
};

} // namespace okh::standin
