#include "HistoryTypes.h"

#include <QHashFunctions>

namespace okh {

size_t qHash(const CheckKey& key, size_t seed) noexcept
{
    return qHashMulti(seed, key.deployment, key.service, key.check);
}

bool CheckFilter::matches(const CheckKey& key) const
{
    return (deployment.isEmpty() || deployment == key.deployment) && (service.isEmpty() || service == key.service)
        && (check.isEmpty() || check == key.check);
}

std::optional<double> UptimeCounts::percent() const
{
    const qint64 judged = ok + fail;
    if (judged == 0)
        return std::nullopt;
    return 100.0 * double(ok) / double(judged);
}

UptimeCounts& UptimeCounts::operator+=(const UptimeCounts& other)
{
    ok += other.ok;
    fail += other.fail;
    unknown += other.unknown;
    return *this;
}

MaintenanceReport& MaintenanceReport::operator+=(const MaintenanceReport& other)
{
    minuteBuckets += other.minuteBuckets;
    hourBuckets += other.hourBuckets;
    rowsPruned += other.rowsPruned;
    moreWork = other.moreWork;
    return *this;
}

} // namespace okh
