#pragma once

#include "config/ConfigError.h"
#include "config/DeploymentSpec.h"
#include "config/VariableExpansion.h"

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <variant>

namespace okh {

// A deployment file: the deployments OK Health watches, each with its services and checks.
// The format, every key, the "openklant" profile and the error format are described in
// docs/deployment-file.md. Loading is all or nothing: a file with any error yields only the
// first error, never a partial result.
struct DeploymentFile
{
    using Result = std::variant<DeploymentFile, ConfigError>;

    static constexpr int formatVersion = 1;

    QList<DeploymentSpec> deployments; // in file order, names unique

    const DeploymentSpec* find(const QString& name) const;
    QStringList names() const;
    friend bool operator==(const DeploymentFile&, const DeploymentFile&) = default;

    // `environment` resolves ${VAR} references in string values; its HOME is the home directory
    // of "~" in paths. `keychain` resolves ${keychain:KEY} references: the entries that
    // keychainReferences() lists, looked up beforehand (DeploymentLoader does both). An ssh
    // connection reads the ssh config it names (HOME/.ssh/config by default) and checks that its
    // key files exist, so parsing reads files for those.
    static Result load(const QString& path,
                       const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
                       const KeychainValues& keychain = {});
    // `fileNameForMessages` only labels errors.
    static Result parse(const QByteArray& json, const QString& fileNameForMessages,
                        const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
                        const KeychainValues& keychain = {});
    // The file's bytes, or why they cannot be read (the size limit included).
    static std::variant<QByteArray, ConfigError> read(const QString& path);
    // The keys of every ${keychain:KEY} reference in the file's string values; none for a file
    // that is not JSON (parse reports that).
    static QStringList keychainReferences(const QByteArray& json);
};

} // namespace okh
