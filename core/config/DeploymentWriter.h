#pragma once

#include "config/DeploymentFile.h"
#include "config/OrderedJson.h"

#include <QByteArray>

namespace okh {

// A deployment file from specs (docs/deployment-file.md): what the editor saves and exports.
// It writes the explicit form: every service and check spelled out (a profile's expansion
// included), the connection as resolved (the ssh config's values written in, "sshConfig":
// "none"), values equal to the format's defaults left out. Loading what it writes gives the
// same specs (tests/unit/tst_deploymentwriter.cpp, over every sample and example file).
class DeploymentWriter
{
public:
    static QByteArray toJson(const DeploymentFile& file);
    static OrderedJson deployment(const DeploymentSpec& deployment);
    static OrderedJson connection(const ConnectionSpec& connection);
    static OrderedJson service(const ServiceSpec& service);
    // `serviceExec`: the service's context, which file and exec checks need not repeat.
    static OrderedJson check(const CheckSpec& check, const ExecContext& serviceExec);
    static OrderedJson execContext(const ExecContext& context);
};

} // namespace okh
