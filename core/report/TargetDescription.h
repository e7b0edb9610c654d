#pragma once

#include "config/DeploymentSpec.h"

namespace okh {

// What a check talks to, for reports and logs; never contains a password.
QString describeTarget(const ProbeTarget& target);

} // namespace okh
