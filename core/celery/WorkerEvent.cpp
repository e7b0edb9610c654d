#include "WorkerEvent.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace okh {

std::optional<WorkerEvent> WorkerEvent::parse(const QByteArray& message)
{
    const QJsonDocument envelope = QJsonDocument::fromJson(message);
    if (!envelope.isObject())
        return std::nullopt;
    const QJsonObject e = envelope.object();
    QByteArray body = e.value(QStringLiteral("body")).toString().toUtf8();
    if (e.value(QStringLiteral("properties")).toObject().value(QStringLiteral("body_encoding")).toString()
        == QLatin1String("base64"))
        body = QByteArray::fromBase64(body);
    const QJsonDocument payload = QJsonDocument::fromJson(body);
    if (!payload.isObject())
        return std::nullopt;
    const QJsonObject p = payload.object();
    WorkerEvent event;
    event.type = p.value(QStringLiteral("type")).toString();
    event.hostname = p.value(QStringLiteral("hostname")).toString();
    if (!event.type.startsWith(QLatin1String("worker-")) || event.hostname.isEmpty())
        return std::nullopt;
    event.frequency = p.value(QStringLiteral("freq")).toDouble(2.0);
    event.active = p.value(QStringLiteral("active")).toInt();
    event.processed = p.value(QStringLiteral("processed")).toInt();
    event.softwareVersion
        = p.value(QStringLiteral("sw_ident")).toString() + u' ' + p.value(QStringLiteral("sw_ver")).toString();
    event.timestamp = p.value(QStringLiteral("timestamp")).toDouble();
    return event;
}

} // namespace okh
