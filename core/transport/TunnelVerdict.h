#pragma once

#include "probes/ProbeResult.h"
#include "probes/ProbeTargets.h"

#include <QCoreApplication>

namespace okh {

class SshTunnel;

// A probe through the SSH tunnel reports what its socket saw; this says what it means. When
// the tunnel was down or reconnected during the probe, or the server refused to forward to the
// target, the failure is the monitor's (unknown), never the service's.
class TunnelVerdict
{
    Q_DECLARE_TR_FUNCTIONS(okh::TunnelVerdict)
public:
    static ProbeResult judge(const SshTunnel& tunnel, const ProbeTarget& target, quint64 epochAtStart,
                             ProbeResult result);
    static ProbeResult unreachable(const SshTunnel& tunnel, const ProbeResult& said);
};

} // namespace okh
