#include "PidboxProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace okh {

namespace {

// kombu's field separator in binding members and priority queue names.
const QByteArray Sep("\x06\x16", 2);

QByteArray pidboxName(const PidboxProtocol::Names& n)
{
    return n.controlExchange.toUtf8() + ".pidbox";
}

} // namespace

QByteArray PidboxProtocol::requestChannel(const Names& n)
{
    return n.keyPrefix.toUtf8() + '/' + QByteArray::number(n.db) + '.' + pidboxName(n);
}

QByteArray PidboxProtocol::replyBindingSet(const Names& n)
{
    return n.keyPrefix.toUtf8() + "_kombu.binding.reply." + pidboxName(n);
}

QByteArray PidboxProtocol::replyQueue(const Names& n, const QString& oid)
{
    return oid.toUtf8() + ".reply." + pidboxName(n);
}

QByteArray PidboxProtocol::replyBindingMember(const Names& n, const QString& oid)
{
    // routing key, empty pattern, queue; never prefixed
    return oid.toUtf8() + Sep + Sep + replyQueue(n, oid);
}

QList<QByteArray> PidboxProtocol::replyListKeys(const Names& n, const QString& oid)
{
    const QByteArray q = n.keyPrefix.toUtf8() + replyQueue(n, oid);
    return {q, q + Sep + "3", q + Sep + "6", q + Sep + "9"};
}

QByteArray PidboxProtocol::workerBindingSet(const Names& n)
{
    return n.keyPrefix.toUtf8() + "_kombu.binding." + pidboxName(n);
}

QByteArray PidboxProtocol::heartbeatPattern(const Names& n)
{
    return n.keyPrefix.toUtf8() + '/' + QByteArray::number(n.db) + '.' + n.eventExchange.toUtf8() + "/worker.*";
}

QByteArray PidboxProtocol::requestEnvelope(const Names& n, const Request& r)
{
    QJsonArray destination;
    for (const auto& d : r.destination)
        destination.append(d);
    const QJsonObject body{
        {QStringLiteral("method"), r.method},
        {QStringLiteral("arguments"), QJsonObject()},
        // Always an array (or null): a string would make the worker's `in` a substring test.
        {QStringLiteral("destination"), r.destination.isEmpty() ? QJsonValue() : QJsonValue(destination)},
        {QStringLiteral("pattern"), QJsonValue()},
        {QStringLiteral("matcher"), QJsonValue()},
        {QStringLiteral("ticket"), r.ticket},
        {QStringLiteral("reply_to"),
         QJsonObject{{QStringLiteral("exchange"), QString(QStringLiteral("reply.") + QString::fromUtf8(pidboxName(n)))},
                     {QStringLiteral("routing_key"), r.oid}}},
    };
    const QByteArray bodyJson = QJsonDocument(body).toJson(QJsonDocument::Compact);
    const QJsonObject envelope{
        {QStringLiteral("body"), QString::fromLatin1(bodyJson.toBase64())},
        {QStringLiteral("content-encoding"), QStringLiteral("utf-8")},
        {QStringLiteral("content-type"), QStringLiteral("application/json")},
        {QStringLiteral("headers"), QJsonObject{{QStringLiteral("clock"), 1}, {QStringLiteral("expires"), r.expires}}},
        {QStringLiteral("properties"),
         QJsonObject{
             {QStringLiteral("delivery_mode"), 2},
             {QStringLiteral("delivery_info"),
              QJsonObject{{QStringLiteral("exchange"), QString::fromUtf8(pidboxName(n))},
                          {QStringLiteral("routing_key"), QString()}}},
             {QStringLiteral("priority"), 0},
             // Required: without delivery_tag a kombu 5.5 worker exits; "utf-8" here kills 5.2.
             {QStringLiteral("body_encoding"), QStringLiteral("base64")},
             {QStringLiteral("delivery_tag"), r.deliveryTag},
         }},
    };
    return QJsonDocument(envelope).toJson(QJsonDocument::Compact);
}

std::optional<QList<PidboxProtocol::Reply>> PidboxProtocol::parseReply(const QByteArray& message, const QString& ticket)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(message, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject envelope = doc.object();
    if (envelope.value(QStringLiteral("headers")).toObject().value(QStringLiteral("ticket")).toString() != ticket)
        return std::nullopt;
    const QJsonObject properties = envelope.value(QStringLiteral("properties")).toObject();
    QByteArray body = envelope.value(QStringLiteral("body")).toString().toUtf8();
    if (properties.value(QStringLiteral("body_encoding")).toString() == QLatin1String("base64"))
        body = QByteArray::fromBase64(body);
    const QJsonDocument bodyDoc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !bodyDoc.isObject())
        return std::nullopt;
    QList<Reply> replies;
    const QJsonObject nodes = bodyDoc.object();
    for (auto it = nodes.begin(); it != nodes.end(); ++it) {
        const QJsonObject result = it.value().toObject();
        Reply reply{it.key(), false, {}};
        if (result.contains(QStringLiteral("ok"))) {
            reply.ok = true;
            reply.value = result.value(QStringLiteral("ok")).toVariant().toString();
        } else {
            reply.value = result.value(QStringLiteral("error")).toVariant().toString();
        }
        replies.append(reply);
    }
    return replies;
}

QString PidboxProtocol::nodeFromWorkerBinding(const Names& n, const QByteArray& member)
{
    const QByteArray suffix = '.' + pidboxName(n);
    const QList<QByteArray> fields = member.split('\x06');
    // "\x06\x16\x06\x16<node>.celery.pidbox" splits into "", "\x16", "\x16<node>.celery.pidbox"
    QByteArray queue = fields.isEmpty() ? QByteArray() : fields.last();
    if (queue.startsWith('\x16'))
        queue.remove(0, 1);
    if (!queue.endsWith(suffix))
        return {};
    return QString::fromUtf8(queue.chopped(suffix.size()));
}

QString PidboxProtocol::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace okh
