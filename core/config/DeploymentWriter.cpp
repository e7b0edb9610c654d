#include "DeploymentWriter.h"

#include "config/RedisUrl.h"
#include "config/VariableExpansion.h"
#include "util/Durations.h"

namespace okh {

namespace {

// Every string value is read with ${VAR} expansion: a literal "${" is written "$${".
OrderedJson literal(const QString& text)
{
    QString escaped = text;
    return escaped.replace(QLatin1String("${"), QLatin1String("$${"));
}

OrderedJson literals(const QStringList& texts)
{
    OrderedJson out = OrderedJson::array();
    for (const QString& text : texts)
        out.append(literal(text));
    return out;
}

void addText(OrderedJson& object, const char* key, const QString& text)
{
    if (!text.isEmpty())
        object.add(QLatin1String(key), literal(text));
}

void addDuration(OrderedJson& object, const char* key, std::chrono::milliseconds value,
                 std::chrono::milliseconds byDefault)
{
    if (value != byDefault)
        object.add(QLatin1String(key), durationText(value));
}

void addEndpoint(OrderedJson& out, const SshEndpoint& e)
{
    out.add(QStringLiteral("host"), literal(e.host));
    if (e.port != SshEndpoint{}.port)
        out.add(QStringLiteral("port"), int(e.port));
    // Always written: without it the user would be whoever runs OK Health.
    out.add(QStringLiteral("user"), literal(e.user));
    if (!e.identityFiles.isEmpty())
        out.add(QStringLiteral("identityFiles"), literals(e.identityFiles));
    if (!e.useAgent)
        out.add(QStringLiteral("useAgent"), false);
    addText(out, "knownHostsFile", e.knownHostsFile);
    if (e.hostKeyPolicy == SshEndpoint::HostKeyPolicy::AcceptNew)
        out.add(QStringLiteral("hostKeyPolicy"), "accept-new");
}

// Header values that carry credentials (RFC 9110's Authorization, cookies, API keys and
// tokens): kept in the keychain like passwords.
bool isCredentialHeader(const QByteArray& name)
{
    const QByteArray lower = name.toLower();
    for (const char* word : {"authorization", "cookie", "token", "key", "secret", "auth", "password"}) {
        if (lower.contains(word))
            return true;
    }
    return false;
}

OrderedJson connectionJson(const ConnectionSpec& spec);
OrderedJson execContextJson(const ExecContext& context);

} // namespace

DeploymentWriter::Output DeploymentWriter::write(const DeploymentFile& file)
{
    DeploymentWriter writer;
    OrderedJson deployments = OrderedJson::array();
    for (const DeploymentSpec& spec : file.deployments)
        deployments.append(writer.deployment(spec));
    OrderedJson root = OrderedJson::object();
    root.add(QStringLiteral("version"), DeploymentFile::formatVersion);
    root.add(QStringLiteral("deployments"), deployments);
    return {root.toJson(), writer.m_secrets};
}

QString DeploymentWriter::secretReference(const QString& key, const QString& value)
{
    QString stored = m_keyOfValue.value(value);
    if (stored.isEmpty()) {
        stored = key;
        m_keyOfValue.insert(value, stored);
        m_secrets.append({stored, value});
    }
    return keychainReference(stored);
}

QString DeploymentWriter::brokerUrl(const QString& owner, const RedisTarget& broker)
{
    // redisUrl percent-encodes every part, so the URL holds no "${" of its own to escape.
    if (broker.password.isEmpty())
        return redisUrl(broker);
    return redisUrl(broker, secretReference(owner + QStringLiteral("/password"), broker.password));
}

void DeploymentWriter::addRedisFields(OrderedJson& out, const QString& owner, const RedisTarget& t)
{
    // TLS settings exist only as rediss:// parameters.
    if (t.tls.enabled) {
        out.add(QStringLiteral("url"), brokerUrl(owner, t));
        return;
    }
    out.add(QStringLiteral("host"), literal(t.host));
    out.add(QStringLiteral("port"), int(t.port));
    addText(out, "user", t.user);
    if (!t.password.isEmpty())
        out.add(QStringLiteral("password"), secretReference(owner + QStringLiteral("/password"), t.password));
    if (t.db != 0)
        out.add(QStringLiteral("db"), t.db);
}

void DeploymentWriter::addTargetFields(OrderedJson& out, const QString& owner, const ProbeTarget& target,
                                       const ExecContext& serviceExec)
{
    struct Visitor
    {
        DeploymentWriter& writer;
        OrderedJson& out;
        const QString& owner;
        const ExecContext& serviceExec;

        void operator()(const HttpTarget& t) const
        {
            out.add(QStringLiteral("url"), literal(t.url.toString(QUrl::FullyEncoded)));
            addText(out, "hostHeader", t.hostHeader);
            if (t.expect == HttpTarget::Expectation::Denied)
                out.add(QStringLiteral("expect"), "denied");
            if (!t.headers.isEmpty()) {
                OrderedJson headers = OrderedJson::object();
                for (const auto& [name, value] : t.headers) {
                    const QString text = QString::fromUtf8(value);
                    if (isCredentialHeader(name) && !text.isEmpty()) {
                        headers.add(QString::fromLatin1(name),
                                    writer.secretReference(owner + u'/' + QString::fromLatin1(name).toLower(), text));
                    } else {
                        headers.add(QString::fromLatin1(name), literal(text));
                    }
                }
                out.add(QStringLiteral("headers"), headers);
            }
            addText(out, "user", t.user);
            if (!t.password.isEmpty())
                out.add(QStringLiteral("password"),
                        writer.secretReference(owner + QStringLiteral("/password"), t.password));
        }
        void operator()(const TcpTarget& t) const
        {
            out.add(QStringLiteral("host"), literal(t.host));
            out.add(QStringLiteral("port"), int(t.port));
        }
        void operator()(const RedisTarget& t) const { writer.addRedisFields(out, owner, t); }
        void operator()(const PostgresTarget& t) const
        {
            out.add(QStringLiteral("host"), literal(t.host));
            out.add(QStringLiteral("port"), int(t.port));
            addText(out, "user", t.user);
            addText(out, "database", t.database);
        }
        void operator()(const CeleryPingTarget& t) const
        {
            const CeleryPingTarget defaults;
            out.add(QStringLiteral("broker"), writer.brokerUrl(owner, t.broker));
            out.add(QStringLiteral("workers"), literals(t.workers));
            addDuration(out, "pingTimeout", t.replyTimeout, defaults.replyTimeout);
            if (t.controlExchange != defaults.controlExchange)
                out.add(QStringLiteral("controlExchange"), literal(t.controlExchange));
            addText(out, "keyPrefix", t.keyPrefix);
        }
        void operator()(const HeartbeatTarget& t) const
        {
            const HeartbeatTarget defaults;
            out.add(QStringLiteral("broker"), writer.brokerUrl(owner, t.broker));
            out.add(QStringLiteral("workers"), literals(t.workers));
            addDuration(out, "listen", t.listen, defaults.listen);
            addText(out, "keyPrefix", t.keyPrefix);
            if (t.eventExchange != defaults.eventExchange)
                out.add(QStringLiteral("eventExchange"), literal(t.eventExchange));
        }
        void operator()(const FileTarget& t) const
        {
            out.add(QStringLiteral("path"), literal(t.path));
            if (t.maxAge)
                out.add(QStringLiteral("maxAge"), durationText(*t.maxAge));
            if (!(t.context == serviceExec))
                out.add(QStringLiteral("exec"), execContextJson(t.context));
        }
        void operator()(const ExecTarget& t) const
        {
            if (t.commandAsWritten.size() == t.command.size()) {
                OrderedJson command = OrderedJson::array();
                for (const QString& argument : t.commandAsWritten)
                    command.append(argument);
                out.add(QStringLiteral("command"), command);
            } else {
                out.add(QStringLiteral("command"), literals(t.command));
            }
            if (!(t.context == serviceExec))
                out.add(QStringLiteral("exec"), execContextJson(t.context));
        }
    };
    std::visit(Visitor{*this, out, owner, serviceExec}, target);
}

OrderedJson DeploymentWriter::deployment(const DeploymentSpec& spec)
{
    OrderedJson services = OrderedJson::array();
    for (const ServiceSpec& s : spec.services)
        services.append(service(spec.name, s));
    OrderedJson out = OrderedJson::object();
    out.add(QStringLiteral("name"), literal(spec.name));
    out.add(QStringLiteral("connection"), connectionJson(spec.connection));
    out.add(QStringLiteral("services"), services);
    return out;
}

namespace {

OrderedJson connectionJson(const ConnectionSpec& spec)
{
    OrderedJson out = OrderedJson::object();
    if (spec.type == ConnectionSpec::Type::Direct) {
        out.add(QStringLiteral("type"), "direct");
        return out;
    }
    // The target's keys sit next to "type" (docs/deployment-file.md, "ssh").
    out.add(QStringLiteral("type"), "ssh");
    addEndpoint(out, spec.ssh.target);
    if (!spec.ssh.jumps.isEmpty()) {
        OrderedJson jumps = OrderedJson::array();
        for (const SshEndpoint& jump : spec.ssh.jumps) {
            OrderedJson hop = OrderedJson::object();
            addEndpoint(hop, jump);
            jumps.append(hop);
        }
        out.add(QStringLiteral("jumps"), jumps);
    }
    const SshSpec defaults;
    if (spec.ssh.keepalive != defaults.keepalive)
        out.add(QStringLiteral("keepalive"), durationText(spec.ssh.keepalive));
    if (spec.ssh.connectTimeout != defaults.connectTimeout)
        out.add(QStringLiteral("connectTimeout"), durationText(spec.ssh.connectTimeout));
    // Everything the ssh config said is written in above: reading it again could only differ.
    out.add(QStringLiteral("sshConfig"), "none");
    return out;
}

} // namespace

OrderedJson DeploymentWriter::service(const QString& deployment, const ServiceSpec& spec)
{
    OrderedJson out = OrderedJson::object();
    out.add(QStringLiteral("name"), literal(spec.name));
    out.add(QStringLiteral("kind"), spec.kind);
    if (!spec.dependsOn.isEmpty())
        out.add(QStringLiteral("dependsOn"), literals(spec.dependsOn));
    if (!spec.components.isEmpty()) {
        QStringList names = spec.components.keys();
        names.sort(); // QHash has no order; sorted, a saved file does not change from run to run
        OrderedJson components = OrderedJson::object();
        for (const QString& name : names)
            components.add(name, literal(spec.components.value(name)));
        out.add(QStringLiteral("components"), components);
    }
    if (spec.exec.kind != ExecContext::Kind::Local)
        out.add(QStringLiteral("exec"), execContextJson(spec.exec));
    OrderedJson checks = OrderedJson::array();
    for (const CheckSpec& c : spec.checks)
        checks.append(check(deployment + u'/' + spec.name + u'/' + c.name, c, spec.exec));
    out.add(QStringLiteral("checks"), checks);
    return out;
}

OrderedJson DeploymentWriter::check(const QString& owner, const CheckSpec& spec, const ExecContext& serviceExec)
{
    const CheckSpec defaults;
    OrderedJson out = OrderedJson::object();
    out.add(QStringLiteral("name"), literal(spec.name));
    out.add(QStringLiteral("type"), spec.typeKey());
    out.add(QStringLiteral("role"), roleKey(spec.role));
    addDuration(out, "interval", spec.interval, defaults.interval);
    addDuration(out, "timeout", spec.timeout, defaults.timeout);
    if (spec.failureThreshold != defaults.failureThreshold)
        out.add(QStringLiteral("failureThreshold"), spec.failureThreshold);
    if (spec.successThreshold != defaults.successThreshold)
        out.add(QStringLiteral("successThreshold"), spec.successThreshold);
    addDuration(out, "startPeriod", spec.startPeriod, defaults.startPeriod);
    addDuration(out, "initialDelay", spec.initialDelay, defaults.initialDelay);
    addTargetFields(out, owner, spec.target, serviceExec);
    return out;
}

namespace {

OrderedJson execContextJson(const ExecContext& context)
{
    OrderedJson out = OrderedJson::object();
    switch (context.kind) {
    case ExecContext::Kind::Local:
        out.add(QStringLiteral("type"), "local");
        break;
    case ExecContext::Kind::Docker:
        out.add(QStringLiteral("type"), "docker");
        out.add(QStringLiteral("container"), literal(context.container));
        break;
    case ExecContext::Kind::Compose:
        out.add(QStringLiteral("type"), "compose");
        out.add(QStringLiteral("service"), literal(context.service));
        addText(out, "projectDirectory", context.projectDirectory);
        if (!context.composeFiles.isEmpty())
            out.add(QStringLiteral("files"), literals(context.composeFiles));
        break;
    case ExecContext::Kind::Kubectl:
        out.add(QStringLiteral("type"), "kubectl");
        out.add(QStringLiteral("pod"), literal(context.pod));
        addText(out, "namespace", context.kubeNamespace);
        addText(out, "context", context.kubeContext);
        addText(out, "container", context.container);
        break;
    }
    return out;
}

} // namespace

} // namespace okh
