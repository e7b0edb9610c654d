#pragma once

#include "config/OpenKlantProfile.h"
#include "config/TargetReader.h"

namespace okh {

// Reads a deployment's "profile" (the openklant profile's settings), which
// OpenKlantProfile::expand turns into services.
class ProfileReader : public TargetReader
{
    Q_DECLARE_TR_FUNCTIONS(okh::DeploymentFile)

public:
    explicit ProfileReader(const ConfigReader& reader)
        : TargetReader(reader)
    { }

    OpenKlantProfile::Settings parseProfile(const ConfigNode& deployment) const;

private:
    void parseHttpEndpoint(const ConfigNode& node, OpenKlantProfile::HttpEndpoint& endpoint) const;
    void parseCelerySettings(const ConfigNode& node, OpenKlantProfile::CelerySettings& celery) const;
    void parseFlowerSettings(const ConfigNode& node, OpenKlantProfile::FlowerSettings& flower) const;
};

} // namespace okh
