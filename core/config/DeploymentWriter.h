#pragma once

#include "config/DeploymentFile.h"
#include "config/OrderedJson.h"

#include <QByteArray>
#include <QHash>
#include <QList>

namespace okh {

// An entry for the OS keychain: the writer's replacement for a password it does not write.
struct KeychainEntry
{
    QString key;
    QString value;
    friend bool operator==(const KeychainEntry&, const KeychainEntry&) = default;
};

// A deployment file from specs (docs/deployment-file.md): what the editor saves and exports.
// It writes the explicit form: every service and check spelled out (a profile's expansion
// included), the connection as resolved (the ssh config's values written in, "sshConfig":
// "none"), values equal to the format's defaults left out.
//
// It never writes a password: each (Redis and broker URLs, basic auth, credential headers)
// becomes a ${keychain:KEY} reference and an entry in `secrets`, one per distinct password,
// for the caller to store (DeploymentSaver) before the file. Commands are written as they were
// read, ${VAR} references and all. Loading what it writes, with `secrets` as the keychain,
// gives the same specs (tests/unit/tst_deploymentwriter.cpp, over every sample and example).
class DeploymentWriter
{
public:
    struct Output
    {
        QByteArray json;
        QList<KeychainEntry> secrets;
    };

    static Output write(const DeploymentFile& file);

private:
    OrderedJson deployment(const DeploymentSpec& deployment);
    OrderedJson service(const QString& deployment, const ServiceSpec& service);
    OrderedJson check(const QString& owner, const CheckSpec& check, const ExecContext& serviceExec);
    void addTargetFields(OrderedJson& out, const QString& owner, const ProbeTarget& target,
                         const ExecContext& serviceExec);
    void addRedisFields(OrderedJson& out, const QString& owner, const RedisTarget& target);
    QString brokerUrl(const QString& owner, const RedisTarget& broker);
    // ${keychain:KEY} for `value`, stored under `key` unless the same value already has one.
    QString secretReference(const QString& key, const QString& value);

    QList<KeychainEntry> m_secrets;
    QHash<QString, QString> m_keyOfValue;
};

} // namespace okh
