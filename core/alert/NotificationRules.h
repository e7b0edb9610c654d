#pragma once

#include <chrono>

namespace okh {

// Which service transitions become desktop notifications (docs/desktop.md, "Notifications").
// A service is unhealthy either because it would be restarted (a liveness or startup check
// fails) or because it is out of rotation (a readiness check fails); "unknown" is the
// monitor's own trouble (no answer yet, SSH down) and is off by default.
struct NotificationRules
{
    bool enabled = true;
    bool wouldRestart = true;
    bool outOfRotation = true;
    bool unknown = false;
    bool recovered = true;
    // At most one notification per service in this period; a later change waits for its end.
    std::chrono::minutes throttle{5};
    bool sound = false;

    friend bool operator==(const NotificationRules&, const NotificationRules&) = default;
};

} // namespace okh
