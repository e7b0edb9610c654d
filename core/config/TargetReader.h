#pragma once

#include "config/ConfigReader.h"
#include "probes/ProbeTargets.h"

namespace okh {

// Reads what a check talks to: each check type's own keys (config/CheckTypes.h), and the
// pieces that services and the openklant profile share with checks (execution contexts,
// broker URLs, worker names, basic auth, Redis and PostgreSQL fields).
class TargetReader : public ConfigReader
{
    Q_DECLARE_TR_FUNCTIONS(okh::DeploymentFile)

public:
    using ConfigReader::ConfigReader;
    explicit TargetReader(const ConfigReader& reader)
        : ConfigReader(reader)
    { }

    // Refines `target` (of the check's type) from the check object `node`; `fresh` when it
    // starts from the type's defaults rather than a profile check's.
    void readTarget(const ConfigNode& node, ProbeTarget& target, bool fresh) const;

    ExecContext parseExecContext(const ConfigNode& parent, const QString& key) const;
    RedisTarget brokerUrl(const ConfigNode& node, const QString& key) const;
    QStringList workerNames(const ConfigNode& node, const QString& key) const;
    void checkWorkerName(const QString& path, const QString& name, const QString& raw) const;
    void parseBasicAuth(const ConfigNode& node, QString& user, QString& password) const;
    void parseRedisFields(const ConfigNode& node, RedisTarget& target) const;
    void parsePostgresFields(const ConfigNode& node, PostgresTarget& target) const;

private:
    void parseHttpTarget(const ConfigNode& node, HttpTarget& target) const;
    void parseTcpTarget(const ConfigNode& node, TcpTarget& target) const;
    void parseBrokerAndWorkers(const ConfigNode& node, RedisTarget& broker, QStringList& workers, bool fresh) const;
    void parseCeleryPingTarget(const ConfigNode& node, CeleryPingTarget& target, bool fresh) const;
    void parseHeartbeatTarget(const ConfigNode& node, HeartbeatTarget& target, bool fresh) const;
    void parseFileTarget(const ConfigNode& node, FileTarget& target) const;
    void parseExecTarget(const ConfigNode& node, ExecTarget& target) const;
    static bool hasAtAfterAuthority(const QString& url);
};

} // namespace okh
