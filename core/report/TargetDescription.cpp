#include "TargetDescription.h"

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
        QString operator()(const RedisTarget& t) const
        {
            QString auth;
            if (!t.password.isEmpty())
                auth = t.user + QStringLiteral(":****@");
            return QStringLiteral("redis://") + auth + formatHostPort(t.host, t.port) + u'/' + QString::number(t.db);
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
