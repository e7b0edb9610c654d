#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace okh {

// `okhealth-check run FILE [--deployment NAME] [--format text|json|junit] [--output PATH]
// [--wait-ready SECONDS]`: every check once, in parallel; exit 0 when every liveness, readiness
// and startup check is healthy, 1 otherwise, 2 for usage or configuration errors.
class RunCommand
{
    Q_DECLARE_TR_FUNCTIONS(okh::RunCommand)
public:
    static int run(const QStringList& arguments);
};

} // namespace okh
