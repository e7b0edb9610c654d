#pragma once

#include "config/DeploymentSpec.h"
#include "engine/MonitorFeed.h"

namespace okh::test {

// A small Open Klant deployment (nginx → web → db, redis; celery → redis) and batches as the
// monitor feed sends them, recorded from the states real servers produce: everything healthy,
// and redis down with web's readyz and celery's ping failing because of it.
DeploymentSpec recordedDeployment();
MonitorBatch healthyBatch(qint64 nowMs);
MonitorBatch redisDownBatch(qint64 nowMs);

} // namespace okh::test
