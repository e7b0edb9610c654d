#pragma once

#include "Probe.h"
#include "config/DeploymentSpec.h"
#include "exec/CommandExecutor.h"

#include <QNetworkProxy>
#include <memory>

class QNetworkAccessManager;

namespace okh {
class SshTunnel;
}

namespace okh {

// How a deployment is reached, handed to every probe built for it.
struct ProbeEnvironment
{
    QNetworkAccessManager* network = nullptr; // the thread's manager, with the deployment's proxy
    QNetworkProxy proxy{QNetworkProxy::NoProxy};
    CommandExecutor* commands = &localCommandExecutor();
    // The deployment's SSH connection, when it has one: results of checks that ran while it
    // was down are the monitor's trouble (unknown), never the service's.
    SshTunnel* tunnel = nullptr;
};

// Builds the probe a check's target calls for.
std::unique_ptr<Probe> createProbe(const CheckSpec& check, const ProbeEnvironment& environment);

} // namespace okh
