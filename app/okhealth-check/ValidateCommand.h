#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace okh {

// `okhealth-check validate FILE... [--quiet]`, as `nginx -t` or `promtool check config`: loads
// each file as `run` and `serve` would (${VAR} references, the ssh config, key files,
// dependencies), prints what it would watch, and exits 0 when every file is valid, 2 otherwise.
// Nothing is connected to: for CI pipelines that keep deployment files in git.
class ValidateCommand
{
    Q_DECLARE_TR_FUNCTIONS(okh::ValidateCommand)
public:
    static int run(const QStringList& arguments);
};

} // namespace okh
