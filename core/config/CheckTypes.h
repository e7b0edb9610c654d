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
// One key of a check and what its value is, for the editor's forms.
struct CheckField
{
    enum class Kind {
        Text,
        Secret, // a password: masked, kept in the keychain when saved
        Url, // may hold a password in its user-info
        Integer,
        Duration, // "5s", "1m30s"
        List, // an array of strings
        Choice, // one of `choices`
        Json, // an object (headers, exec): edited as JSON text
    };
    QString key;
    Kind kind = Kind::Text;
    QStringList choices;
};

struct CheckType
{
    QString key; // "http", "tcp", …
    QList<CheckField> fields; // the type's own keys, beside the common ones (commonCheckKeys())
    QStringList keys; // the keys of `fields`, in order
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
// The same as fields, for the editor: name, type, role and the timings.
const QList<CheckField>& commonCheckFields();

} // namespace okh
