#include "ExitCodeMeaning.h"

#include <QFileInfo>

namespace okh {

QString ExitCodeMeaning::explain(const QStringList& command, int exitCode)
{
    if (command.isEmpty())
        return {};
    const QString program = QFileInfo(command.first()).fileName();
    if (exitCode == 126)
        return tr("the command was found but could not be run (permissions)");
    if (exitCode == 127)
        return tr("command not found in the container or on the host");
    if ((program == QLatin1String("maykin-common") || program == QLatin1String("okhealth-check"))
        && command.contains(QStringLiteral("worker-health-check"))) {
        switch (exitCode) {
        case 1:
            return tr("event-loop liveness failed: the liveness file is missing or older than max-age (the worker's "
                      "event loop is blocked or the worker is down)");
        case 2:
            return tr("the worker did not answer the ping through the broker");
        case 4:
            return tr("the readiness file is missing: the worker is not ready");
        default:
            break;
        }
    }
    if ((program == QLatin1String("maykin-common") || program == QLatin1String("okhealth-check"))
        && command.contains(QStringLiteral("beat-health-check")) && exitCode == 1)
        return tr("beat's liveness file is missing or older than max-age: beat has not scheduled a task recently");
    if ((program == QLatin1String("maykin-common") || program == QLatin1String("okhealth-check"))
        && command.contains(QStringLiteral("health-check")) && exitCode == 1)
        return tr("the HTTP endpoint is down or answered with an error status");
    if (program == QLatin1String("pg_isready")) {
        switch (exitCode) {
        case 1:
            return tr("rejecting connections (starting up, shutting down or in recovery)");
        case 2:
            return tr("no response");
        case 3:
            return tr("no attempt: invalid parameters");
        default:
            break;
        }
    }
    return {};
}

} // namespace okh
