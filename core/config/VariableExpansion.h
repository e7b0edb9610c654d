#pragma once

#include <QProcessEnvironment>
#include <QString>

namespace okh {

struct VariableExpansion
{
    QString text; // the expanded text when error is empty
    QString error; // translated; names the variable, never its value

    bool ok() const { return error.isEmpty(); }
};

// Expands environment references in a deployment-file string, as docker compose writes them:
//   ${NAME}          the variable's value; an error when NAME is not set (set but empty is fine)
//   ${NAME:-default} the value, or `default` when NAME is unset or empty
//   $${              a literal "${"
// Any other '$' stays as written, so passwords with a '$' need no escaping.
VariableExpansion expandVariables(const QString& text, const QProcessEnvironment& environment);

} // namespace okh
