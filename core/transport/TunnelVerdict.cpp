#include "TunnelVerdict.h"

#include "SshTunnel.h"
#include "util/HostPort.h"

#include <optional>

namespace okh {

namespace {

struct Endpoint
{
    QString host;
    quint16 port = 0;
};

// The host:port a probe's socket asks the tunnel for; none for exec and file checks.
std::optional<Endpoint> networkEndpoint(const ProbeTarget& target)
{
    struct Visitor
    {
        std::optional<Endpoint> operator()(const HttpTarget& t) const
        {
            return Endpoint{t.url.host(), quint16(t.url.port(t.url.scheme() == u"https" ? 443 : 80))};
        }
        std::optional<Endpoint> operator()(const TcpTarget& t) const { return Endpoint{t.host, t.port}; }
        std::optional<Endpoint> operator()(const RedisTarget& t) const { return Endpoint{t.host, t.port}; }
        std::optional<Endpoint> operator()(const PostgresTarget& t) const { return Endpoint{t.host, t.port}; }
        std::optional<Endpoint> operator()(const CeleryPingTarget& t) const
        {
            return Endpoint{t.broker.host, t.broker.port};
        }
        std::optional<Endpoint> operator()(const HeartbeatTarget& t) const
        {
            return Endpoint{t.broker.host, t.broker.port};
        }
        std::optional<Endpoint> operator()(const ExecTarget&) const { return std::nullopt; }
        std::optional<Endpoint> operator()(const FileTarget&) const { return std::nullopt; }
    };
    return std::visit(Visitor{}, target);
}

} // namespace

ProbeResult TunnelVerdict::unreachable(const SshTunnel& tunnel, const ProbeResult& said)
{
    ProbeResult r = ProbeResult::unknown(tunnel.unreachableText(),
                                         tr("The monitor cannot reach the deployment over SSH; the services' state "
                                            "is not known. The connection is retried with backoff."));
    r.latencyMs = said.latencyMs;
    if (!said.summary.isEmpty())
        r.details.append({QStringLiteral("probe said"), said.summary});
    return r;
}

ProbeResult TunnelVerdict::judge(const SshTunnel& tunnel, const ProbeTarget& target, quint64 epochAtStart,
                                 ProbeResult result)
{
    if (result.status == ProbeStatus::Healthy)
        return result;
    if (!tunnel.connectedNow() || tunnel.epochNow() != epochAtStart)
        return unreachable(tunnel, result);
    if (const auto endpoint = networkEndpoint(target);
        endpoint && tunnel.forwardingRefused(endpoint->host, endpoint->port)) {
        ProbeResult r = ProbeResult::unknown(
            tr("the SSH server refused to forward the connection to %1")
                .arg(formatHostPort(endpoint->host, endpoint->port)),
            tr("Port forwarding is disabled on the SSH server (AllowTcpForwarding no, or PermitOpen excludes this "
               "target); ask its administrator, or check from the host with an exec check."));
        r.latencyMs = result.latencyMs;
        r.details.append({QStringLiteral("probe said"), result.summary});
        return r;
    }
    return result;
}

} // namespace okh
