#pragma once

#include "config/DeploymentSpec.h"
#include "config/TargetReader.h"

namespace okh {

// Reads services and their checks (the common check keys, then the type's own through
// TargetReader), and checks a deployment's dependencies between services.
class ServiceReader : public TargetReader
{
    Q_DECLARE_TR_FUNCTIONS(okh::DeploymentFile)

public:
    using TargetReader::TargetReader;

    // `base`: the profile's service of the same name, which the object refines.
    ServiceSpec parseService(const ConfigNode& node, const ServiceSpec* base) const;
    // Every dependsOn and components entry names a service of the deployment, without cycles.
    // `explicitServices`: service → its object in "services", to point at; a profile's
    // services have none.
    void validateDependencies(const QList<ServiceSpec>& services, const QHash<QString, ConfigNode>& explicitServices,
                              const QString& deploymentPath) const;

private:
    QHash<QString, QString> parseComponents(const ConfigNode& node) const;
    void validateComponents(const ServiceSpec& service, const ConfigNode& node, const QStringList& names) const;
    CheckSpec parseCheck(const ConfigNode& node, const CheckSpec* base, const ExecContext& serviceExec) const;
    void checkCeleryTimeout(const ConfigNode& node, const CheckSpec& check, bool defaultTimeout) const;
};

} // namespace okh
