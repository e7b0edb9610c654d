#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace okh {

// Celery's remote-control ("pidbox") exchange over kombu's Redis transport, as observed on the
// wire for kombu 5.2.4 and 5.5.2 (docs/celery-ping.md; upstream kombu/pidbox.py,
// kombu/transport/redis.py). Pure: names, the request envelope and reply parsing.
class PidboxProtocol
{
public:
    struct Names
    {
        int db = 0;
        QString keyPrefix; // transport option global_keyprefix
        QString controlExchange = QStringLiteral("celery"); // the control_exchange setting
        QString eventExchange = QStringLiteral("celeryev");
    };

    static QByteArray requestChannel(const Names& n); // "/0.celery.pidbox"
    static QByteArray replyBindingSet(const Names& n); // "_kombu.binding.reply.celery.pidbox"
    static QByteArray replyQueue(const Names& n, const QString& oid); // "<oid>.reply.celery.pidbox", unprefixed
    static QByteArray replyBindingMember(const Names& n, const QString& oid);
    static QList<QByteArray> replyListKeys(const Names& n, const QString& oid); // BRPOP order, prefixed
    static QByteArray workerBindingSet(const Names& n); // "_kombu.binding.celery.pidbox"
    static QByteArray heartbeatPattern(const Names& n); // "/0.celeryev/worker.*"

    struct Request
    {
        QString method = QStringLiteral("ping");
        QStringList destination; // empty: every worker (broadcast)
        QString ticket;
        QString oid;
        QString deliveryTag;
        double expires = 0.0; // unix time; workers never check it, but Celery sends it
    };
    // Exactly the envelope Celery's control.ping sends; a malformed one can make every worker exit.
    static QByteArray requestEnvelope(const Names& n, const Request& request);

    struct Reply
    {
        QString node;
        bool ok = false;
        QString value; // "pong", or the worker's error repr
    };
    // Replies of one LPUSHed message for `ticket`; nullopt when the message is for another ticket
    // or not a pidbox reply at all.
    static std::optional<QList<Reply>> parseReply(const QByteArray& message, const QString& ticket);

    // A worker's node name from a member of the worker binding set ("\x06\x16\x06\x16<node>.celery.pidbox").
    static QString nodeFromWorkerBinding(const Names& n, const QByteArray& member);

    static QString newId(); // uuid4 text
};

} // namespace okh
