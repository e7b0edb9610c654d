#include "ProbeRunner.h"

#include <QSignalSpy>

namespace okh::test {

ProbeResult runProbe(Probe& probe, int maxWaitMs)
{
    QSignalSpy spy(&probe, &Probe::finished);
    probe.start();
    if (spy.isEmpty() && !spy.wait(maxWaitMs))
        return ProbeResult::unknown(QStringLiteral("probe never finished"));
    return spy.takeFirst().at(0).value<ProbeResult>();
}

} // namespace okh::test
