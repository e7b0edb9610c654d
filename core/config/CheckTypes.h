#pragma once

#include "probes/ProbeTargets.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace okh {

// The check types of the deployment file (docs/deployment-file.md, "Checks"), in the order
// the documentation and error messages list them. This one table drives reading, writing,
// CheckSpec::typeKey() and the editor's type choice; each type's fields are read and written
// by a visit over ProbeTarget, so a new target type cannot be forgotten in either.
struct CheckType
{
    QString key; // "http", "tcp", …
    QStringList keys; // the type's own keys, beside the common ones (commonCheckKeys())
    // A check of this type before its keys are read; file and exec checks start in their
    // service's execution context.
    ProbeTarget (*defaultTarget)(const ExecContext& serviceExec);
};

const QList<CheckType>& checkTypes();
QStringList checkTypeKeys();
const CheckType* findCheckType(const QString& key);
const CheckType& checkTypeOf(const ProbeTarget& target);

// Keys every check takes, whatever its type.
const QStringList& commonCheckKeys();

} // namespace okh
