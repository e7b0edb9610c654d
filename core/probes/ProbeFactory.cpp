#include "ProbeFactory.h"

#include "CeleryPingProbe.h"
#include "ExecProbe.h"
#include "FileProbe.h"
#include "HeartbeatProbe.h"
#include "HttpProbe.h"
#include "PostgresProbe.h"
#include "RedisProbe.h"
#include "TcpProbe.h"

namespace okh {

std::unique_ptr<Probe> createProbe(const CheckSpec& check, const ProbeEnvironment& environment)
{
    struct Visitor
    {
        const CheckSpec& check;
        const ProbeEnvironment& env;
        std::unique_ptr<Probe> operator()(const HttpTarget& t) const
        {
            return std::make_unique<HttpProbe>(t, check.timeout, env.network);
        }
        std::unique_ptr<Probe> operator()(const TcpTarget& t) const
        {
            return std::make_unique<TcpProbe>(t, check.timeout);
        }
        std::unique_ptr<Probe> operator()(const RedisTarget& t) const
        {
            return std::make_unique<RedisProbe>(t, check.timeout);
        }
        std::unique_ptr<Probe> operator()(const CeleryPingTarget& t) const
        {
            return std::make_unique<CeleryPingProbe>(t, check.timeout);
        }
        std::unique_ptr<Probe> operator()(const ExecTarget& t) const
        {
            return std::make_unique<ExecProbe>(t, check.timeout, *env.commands);
        }
        std::unique_ptr<Probe> operator()(const FileTarget& t) const
        {
            return std::make_unique<FileProbe>(t, check.timeout, *env.commands);
        }
        std::unique_ptr<Probe> operator()(const HeartbeatTarget& t) const
        {
            return std::make_unique<HeartbeatProbe>(t, check.timeout);
        }
        std::unique_ptr<Probe> operator()(const PostgresTarget& t) const
        {
            return std::make_unique<PostgresProbe>(t, check.timeout);
        }
    };
    auto probe = std::visit(Visitor{check, environment}, check.target);
    probe->setProxy(environment.proxy);
    return probe;
}

} // namespace okh
