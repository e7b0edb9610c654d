#pragma once

#include "probes/Probe.h"

namespace okh::test {

// Starts a probe and spins the event loop until it reports (QSignalSpy::wait, no sleeps).
// Fails the test's expectations by returning a result with summary "probe never finished".
ProbeResult runProbe(Probe& probe, int maxWaitMs = 15'000);

} // namespace okh::test
