#include "TargetDescription.h"

#include "config/RedisUrl.h"
#include "util/HostPort.h"

namespace okh {

QString describeTarget(const ProbeTarget& target)
{
    struct Visitor
    {
        QString operator()(const HttpTarget& t) const
        {
            QString text = t.url.toDisplayString(QUrl::RemovePassword);
            if (!t.hostHeader.isEmpty())
                text += QStringLiteral(" (Host: ") + t.hostHeader + u')';
            return text;
        }
        QString operator()(const TcpTarget& t) const
        {
            return QStringLiteral("tcp://") + formatHostPort(t.host, t.port);
        }
        QString operator()(const RedisTarget& t) const { return redactedRedisUrl(t); }
        QString operator()(const CeleryPingTarget& t) const
        {
            const QString workers = t.workers.isEmpty() ? QStringLiteral("*") : t.workers.join(u',');
            return QStringLiteral("celery ping %1 via %2").arg(workers, redactedRedisUrl(t.broker));
        }
        QString operator()(const ExecTarget& t) const
        {
            // Arguments may carry secrets expanded from ${VAR} (redis-cli -a …): name the program.
            return t.context.describe() + QStringLiteral(": ") + t.command.value(0)
                + (t.command.size() > 1 ? QStringLiteral(" …") : QString());
        }
        QString operator()(const FileTarget& t) const { return t.context.describe() + QStringLiteral(": ") + t.path; }
        QString operator()(const HeartbeatTarget& t) const
        {
            return QStringLiteral("celery heartbeats via ") + redactedRedisUrl(t.broker);
        }
        QString operator()(const PostgresTarget& t) const
        {
            QString text = QStringLiteral("postgresql://");
            if (!t.user.isEmpty())
                text += t.user + u'@';
            text += formatHostPort(t.host, t.port);
            if (!t.database.isEmpty())
                text += u'/' + t.database;
            return text;
        }
    };
    return std::visit(Visitor{}, target);
}

} // namespace okh
