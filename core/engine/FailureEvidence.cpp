#include "FailureEvidence.h"

#include "util/HostPort.h"

namespace okh {

namespace {

struct Endpoint
{
    QString host;
    QString text; // host:port, or where an exec or file check runs
    bool broker = false; // the check talks to the service's broker, not to the service
};

Endpoint endpointOf(const CheckSpec& check)
{
    struct Visitor
    {
        Endpoint operator()(const HttpTarget& t) const
        {
            const quint16 port = quint16(t.url.port(t.url.scheme() == u"https" ? 443 : 80));
            return {t.url.host(), formatHostPort(t.url.host(), port), false};
        }
        Endpoint operator()(const TcpTarget& t) const { return {t.host, formatHostPort(t.host, t.port), false}; }
        Endpoint operator()(const RedisTarget& t) const { return {t.host, formatHostPort(t.host, t.port), false}; }
        Endpoint operator()(const PostgresTarget& t) const { return {t.host, formatHostPort(t.host, t.port), false}; }
        Endpoint operator()(const CeleryPingTarget& t) const
        {
            return {t.broker.host, formatHostPort(t.broker.host, t.broker.port), true};
        }
        Endpoint operator()(const HeartbeatTarget& t) const
        {
            return {t.broker.host, formatHostPort(t.broker.host, t.broker.port), true};
        }
        Endpoint operator()(const ExecTarget& t) const { return {{}, t.context.describe(), false}; }
        Endpoint operator()(const FileTarget& t) const { return {{}, t.context.describe(), false}; }
    };
    return std::visit(Visitor{}, check.target);
}

QStringList failingComponents(const ProbeResult& result)
{
    static const QString prefix = QStringLiteral("component: ");
    QStringList names;
    for (const auto& d : result.details) {
        if (d.key.startsWith(prefix) && d.value != QLatin1String("working"))
            names.append(d.key.mid(prefix.size()));
    }
    return names;
}

QString notAnsweringReason(FailureKind kind, const QString& where)
{
    switch (kind) {
    case FailureKind::Refused:
        return FailureEvidence::tr("not answering on %1").arg(where);
    case FailureKind::Unresolved:
        return FailureEvidence::tr("its host name does not resolve (%1)").arg(where);
    case FailureKind::NoConnection:
        return FailureEvidence::tr("no connection to %1 in time").arg(where);
    case FailureKind::ClosedEarly:
        return FailureEvidence::tr("%1 closes connections without answering").arg(where);
    case FailureKind::NotRunning:
        return FailureEvidence::tr("its container is not running (%1)").arg(where);
    default:
        break;
    }
    return where;
}

} // namespace

bool FailureEvidence::notAnswering(FailureKind kind)
{
    return kind == FailureKind::Refused || kind == FailureKind::Unresolved || kind == FailureKind::NoConnection
        || kind == FailureKind::ClosedEarly || kind == FailureKind::NotRunning;
}

QString FailureEvidence::serviceOf(const QString& component, const QHash<QString, QString>& components)
{
    if (const auto it = components.constFind(component); it != components.constEnd())
        return it.value();
    if (const qsizetype colon = component.indexOf(u':'); colon > 0)
        return components.value(component.left(colon));
    return {};
}

FailureEvidence FailureEvidence::of(const CheckSpec& check, const ProbeResult& result,
                                    const QHash<QString, QString>& components)
{
    FailureEvidence e;
    e.check = check.name;
    const Endpoint endpoint = endpointOf(check);
    const FailureKind kind = result.failure;
    const QString broker = components.value(QStringLiteral("broker"));

    if (endpoint.broker && (notAnswering(kind) || kind == FailureKind::NoAnswer)) {
        // A ping or heartbeat that cannot reach the broker says nothing about the worker.
        e.points = broker.isEmpty() ? Points::Dependencies : Points::Components;
        if (!broker.isEmpty())
            e.named = {broker};
        e.reason = tr("%1 cannot reach the broker at %2").arg(check.name, endpoint.text);
        return e;
    }
    if (notAnswering(kind)) {
        e.points = Points::NotAnswering;
        e.host = endpoint.host;
        e.endpoint = endpoint.text;
        e.reason = notAnsweringReason(kind, endpoint.text);
        return e;
    }
    if (kind == FailureKind::NoAnswer) {
        // Accepted but silent: a Django whose database or cache hangs answers late too.
        e.points = Points::Dependencies;
        e.reason = tr("%1: %2 accepts connections but does not answer in time").arg(check.name, endpoint.text);
        return e;
    }
    if (kind == FailureKind::Answered && std::holds_alternative<HttpTarget>(check.target)) {
        const int status = result.detail(QStringLiteral("status")).toInt();
        const QStringList failing = failingComponents(result);
        if (!failing.isEmpty()) {
            QStringList unmapped;
            for (const QString& c : failing) {
                const QString service = serviceOf(c, components);
                if (service.isEmpty())
                    unmapped.append(c);
                else if (!e.named.contains(service))
                    e.named.append(service);
            }
            e.components = failing;
            if (unmapped.isEmpty()) {
                e.points = Points::Components;
                e.reason = tr("%1 names %2").arg(check.name, failing.join(QStringLiteral(", ")));
            } else {
                // A component that stands for no other service (storage, a custom check): its own.
                e.points = Points::Itself;
                e.named.clear();
                e.reason = tr("%1 reports %2 failing").arg(check.name, unmapped.join(QStringLiteral(", ")));
            }
            return e;
        }
        if (status == 502 || status == 503 || status == 504) {
            e.points = Points::Dependencies;
            e.reason = tr("%1: HTTP %2 from the proxy").arg(check.name).arg(status);
            return e;
        }
        if (status >= 500) {
            e.points = Points::Dependencies;
            e.reason = tr("%1: HTTP %2").arg(check.name).arg(status);
            return e;
        }
    }
    e.points = Points::Itself;
    e.reason = tr("%1: %2").arg(check.name, result.summary);
    return e;
}

} // namespace okh
