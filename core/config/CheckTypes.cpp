#include "CheckTypes.h"

#include <array>
#include <variant>

namespace okh {

namespace {

QList<CheckType> makeTable()
{
    const auto keys = [](std::initializer_list<const char*> names) {
        QStringList out;
        for (const char* name : names)
            out << QLatin1String(name);
        return out;
    };
    return {
        {QStringLiteral("http"), keys({"url", "hostHeader", "expect", "headers", "user", "password"}),
         [](const ExecContext&) -> ProbeTarget { return HttpTarget{}; }},
        {QStringLiteral("tcp"), keys({"host", "port"}), [](const ExecContext&) -> ProbeTarget { return TcpTarget{}; }},
        {QStringLiteral("redis"), keys({"url", "host", "port", "user", "password", "db"}),
         [](const ExecContext&) -> ProbeTarget { return RedisTarget{}; }},
        {QStringLiteral("postgres"), keys({"host", "port", "user", "database"}),
         [](const ExecContext&) -> ProbeTarget { return PostgresTarget{}; }},
        {QStringLiteral("celery-ping"), keys({"broker", "workers", "pingTimeout", "controlExchange", "keyPrefix"}),
         [](const ExecContext&) -> ProbeTarget { return CeleryPingTarget{}; }},
        {QStringLiteral("celery-heartbeat"), keys({"broker", "workers", "listen", "keyPrefix", "eventExchange"}),
         [](const ExecContext&) -> ProbeTarget { return HeartbeatTarget{}; }},
        {QStringLiteral("file"), keys({"path", "maxAge", "exec"}),
         [](const ExecContext& exec) -> ProbeTarget {
             return FileTarget{exec, {}, std::nullopt};
         }},
        {QStringLiteral("exec"), keys({"command", "exec"}),
         [](const ExecContext& exec) -> ProbeTarget {
             return ExecTarget{exec, {}, {}};
         }},
    };
}

// The table entry of each ProbeTarget alternative, found once from the default targets.
const std::array<const CheckType*, std::variant_size_v<ProbeTarget>>& byAlternative()
{
    static const auto table = [] {
        std::array<const CheckType*, std::variant_size_v<ProbeTarget>> out{};
        for (const CheckType& type : checkTypes())
            out.at(type.defaultTarget(ExecContext{}).index()) = &type;
        for (const CheckType* type : out)
            Q_ASSERT_X(type, "checkTypes", "every ProbeTarget alternative needs a check type");
        return out;
    }();
    return table;
}

} // namespace

const QList<CheckType>& checkTypes()
{
    static const QList<CheckType> table = makeTable();
    return table;
}

QStringList checkTypeKeys()
{
    QStringList out;
    for (const CheckType& type : checkTypes())
        out << type.key;
    return out;
}

const CheckType* findCheckType(const QString& key)
{
    for (const CheckType& type : checkTypes()) {
        if (type.key == key)
            return &type;
    }
    return nullptr;
}

const CheckType& checkTypeOf(const ProbeTarget& target)
{
    return *byAlternative().at(target.index());
}

const QStringList& commonCheckKeys()
{
    static const QStringList keys{
        QStringLiteral("name"),
        QStringLiteral("type"),
        QStringLiteral("role"),
        QStringLiteral("interval"),
        QStringLiteral("timeout"),
        QStringLiteral("failureThreshold"),
        QStringLiteral("successThreshold"),
        QStringLiteral("startPeriod"),
        QStringLiteral("initialDelay"),
    };
    return keys;
}

} // namespace okh
