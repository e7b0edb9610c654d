#include "CheckTypes.h"

#include "config/DeploymentSpec.h"

#include <array>
#include <variant>

namespace okh {

namespace {

using Kind = CheckField::Kind;

CheckField field(const char* key, Kind kind = Kind::Text, QStringList choices = {})
{
    return {QLatin1String(key), kind, choices};
}

CheckType type(const char* key, QList<CheckField> fields, ProbeTarget (*defaultTarget)(const ExecContext&))
{
    QStringList keys;
    for (const CheckField& f : fields)
        keys << f.key;
    return {QLatin1String(key), fields, keys, defaultTarget};
}

QList<CheckType> makeTable()
{
    return {
        type("http",
             {field("url", Kind::Url), field("hostHeader"),
              field("expect", Kind::Choice, {QStringLiteral("success"), QStringLiteral("denied")}),
              field("headers", Kind::Json), field("user"), field("password", Kind::Secret)},
             [](const ExecContext&) -> ProbeTarget { return HttpTarget{}; }),
        type("tcp", {field("host"), field("port", Kind::Integer)},
             [](const ExecContext&) -> ProbeTarget { return TcpTarget{}; }),
        type("redis",
             {field("url", Kind::Url), field("host"), field("port", Kind::Integer), field("user"),
              field("password", Kind::Secret), field("db", Kind::Integer)},
             [](const ExecContext&) -> ProbeTarget { return RedisTarget{}; }),
        type("postgres", {field("host"), field("port", Kind::Integer), field("user"), field("database")},
             [](const ExecContext&) -> ProbeTarget { return PostgresTarget{}; }),
        type("celery-ping",
             {field("broker", Kind::Url), field("workers", Kind::List), field("pingTimeout", Kind::Duration),
              field("controlExchange"), field("keyPrefix")},
             [](const ExecContext&) -> ProbeTarget { return CeleryPingTarget{}; }),
        type("celery-heartbeat",
             {field("broker", Kind::Url), field("workers", Kind::List), field("listen", Kind::Duration),
              field("keyPrefix"), field("eventExchange")},
             [](const ExecContext&) -> ProbeTarget { return HeartbeatTarget{}; }),
        type("file", {field("path"), field("maxAge", Kind::Duration), field("exec", Kind::Json)},
             [](const ExecContext& exec) -> ProbeTarget {
                 return FileTarget{exec, {}, std::nullopt};
             }),
        type("exec", {field("command", Kind::List), field("exec", Kind::Json)},
             [](const ExecContext& exec) -> ProbeTarget {
                 return ExecTarget{exec, {}, {}};
             }),
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

const QList<CheckField>& commonCheckFields()
{
    static const QList<CheckField> fields{
        field("name"),
        field("type", Kind::Choice, checkTypeKeys()),
        field("role", Kind::Choice, roleKeys()),
        field("interval", Kind::Duration),
        field("timeout", Kind::Duration),
        field("failureThreshold", Kind::Integer),
        field("successThreshold", Kind::Integer),
        field("startPeriod", Kind::Duration),
        field("initialDelay", Kind::Duration),
    };
    return fields;
}

const QStringList& commonCheckKeys()
{
    static const QStringList keys = [] {
        QStringList out;
        for (const CheckField& f : commonCheckFields())
            out << f.key;
        return out;
    }();
    return keys;
}

} // namespace okh
