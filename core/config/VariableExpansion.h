#pragma once

#include <QHash>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace okh {

struct VariableExpansion
{
    QString text; // the expanded text when error is empty
    QString error; // translated; names the variable, never its value

    bool ok() const { return error.isEmpty(); }
};

// What the OS keychain gave for the ${keychain:KEY} references of a file (DeploymentLoader
// looks them up before parsing): a value, or why there is none.
struct KeychainValues
{
    QHash<QString, QString> values;
    QHash<QString, QString> failures; // key → the keychain's reason, translated or its own words
};

// Where an expanded string goes. A keychain value is a password typed into a form, so inside a
// URL it is percent-encoded ("p@ss/1" must not end the user-info); environment values are
// inserted as written, as docker compose does.
enum class ExpansionTarget { Text, Url };

// Expands references in a deployment-file string (docs/deployment-file.md, "Variables"):
//   ${NAME}          the environment variable's value; an error when NAME is not set
//   ${NAME:-default} the value, or `default` when NAME is unset or empty
//   ${keychain:KEY}  the OS keychain's entry KEY (from `keychain`; an error when it has none)
//   $${              a literal "${"
// Any other '$' stays as written, so passwords with a '$' need no escaping.
VariableExpansion expandVariables(const QString& text, const QProcessEnvironment& environment,
                                  const KeychainValues& keychain = {}, ExpansionTarget target = ExpansionTarget::Text);

// The keys of the well-formed ${keychain:KEY} references in `text`, in order (escaped "$${"
// skipped): what must be looked up before `text` can be expanded.
QStringList keychainReferences(const QString& text);

// Keys are letters, digits and '.', '_', '-', '/'.
bool isValidKeychainKey(QStringView key);
// "${keychain:KEY}", as a file writes it.
QString keychainReference(const QString& key);

} // namespace okh
