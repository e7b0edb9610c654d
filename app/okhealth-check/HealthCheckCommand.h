#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace okh {

// `okhealth-check health-check [--endpoint URL] [--timeout S]`: maykin-common's command.
class HealthCheckCommand
{
    Q_DECLARE_TR_FUNCTIONS(okh::HealthCheckCommand)
public:
    static int run(const QStringList& arguments);
};

} // namespace okh
