#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace okh {

// `okhealth-check worker-health-check` and `beat-health-check`: drop-ins for maykin-common's
// commands, same flags, defaults, order of checks, messages and exit codes.
class CeleryCommands
{
    Q_DECLARE_TR_FUNCTIONS(okh::CeleryCommands)
public:
    static int runWorkerHealthCheck(const QStringList& arguments);
    static int runBeatHealthCheck(const QStringList& arguments);
};

} // namespace okh
