#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace okh {

// A worker-online / worker-heartbeat / worker-offline event as published on the broker
// (celery/worker/heartbeat.py; docs/celery-ping.md §4): a kombu envelope with a base64 body.
struct WorkerEvent
{
    QString type; // "worker-heartbeat", "worker-online", "worker-offline"
    QString hostname;
    double frequency = 2.0; // seconds between heartbeats
    int active = 0;
    int processed = 0;
    QString softwareVersion;
    double timestamp = 0.0; // the worker's clock; liveness uses our receive time instead

    static std::optional<WorkerEvent> parse(const QByteArray& message);
};

} // namespace okh
