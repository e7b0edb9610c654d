#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace okh {

// `okhealth-check serve FILE [--deployment NAME]... [--listen ADDRESS:PORT] [--db PATH]`: runs
// the deployments' checks continuously and serves /metrics (Prometheus) and /status (JSON) until
// SIGINT or SIGTERM; see docs/cli.md. Exit 0 after a clean shutdown, 1 when it cannot listen or
// open the history file, 2 for usage or configuration errors.
class ServeCommand
{
    Q_DECLARE_TR_FUNCTIONS(okh::ServeCommand)
public:
    static int run(const QStringList& arguments);
};

} // namespace okh
