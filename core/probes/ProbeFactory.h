#pragma once

#include "Probe.h"
#include "config/DeploymentSpec.h"

#include <memory>

class QNetworkAccessManager;

namespace okh {

// Builds the probe a check's target calls for. `network` is the calling thread's shared manager.
std::unique_ptr<Probe> createProbe(const CheckSpec& check, QNetworkAccessManager* network);

} // namespace okh
