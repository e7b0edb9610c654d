#include "TargetReader.h"

#include "config/CheckTypes.h"
#include "config/RedisUrl.h"

#include <QUrl>
#include <limits>

namespace okh {

namespace {

const QStringList& execContextTypes()
{
    static const QStringList types{QStringLiteral("local"), QStringLiteral("docker"), QStringLiteral("compose"),
                                   QStringLiteral("kubectl")};
    return types;
}

// The keys next to "type" in an execution context object.
QStringList execContextKeys(const QString& type)
{
    if (type == QLatin1String("docker"))
        return {QStringLiteral("container")};
    if (type == QLatin1String("compose"))
        return {QStringLiteral("service"), QStringLiteral("projectDirectory"), QStringLiteral("files")};
    if (type == QLatin1String("kubectl"))
        return {QStringLiteral("pod"), QStringLiteral("namespace"), QStringLiteral("context"),
                QStringLiteral("container")};
    return {};
}

// The same test as ExecContext::validationError() applies to each name, to point at the key.
bool isUnsafeContextName(const QString& name)
{
    return name.isEmpty() || name.startsWith(u'-') || name.contains(QChar(0));
}

// RFC 9110 token characters, the only ones allowed in a header name.
bool isHeaderToken(const QString& name)
{
    if (name.isEmpty())
        return false;
    static const QString extra = QStringLiteral("!#$%&'*+-.^_`|~");
    for (QChar c : name) {
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        if (!alnum && !extra.contains(c))
            return false;
    }
    return true;
}

} // namespace

void TargetReader::readTarget(const ConfigNode& node, ProbeTarget& target, bool fresh) const
{
    // Redis and PostgreSQL fields are also read from profile objects, which have only those.
    ConfigNode fields = node;
    for (const QString& key : commonCheckKeys())
        fields.object.remove(key);
    struct Visitor
    {
        const TargetReader& r;
        const ConfigNode& node;
        const ConfigNode& fields;
        bool fresh;
        void operator()(HttpTarget& t) const { r.parseHttpTarget(node, t); }
        void operator()(TcpTarget& t) const { r.parseTcpTarget(node, t); }
        void operator()(RedisTarget& t) const { r.parseRedisFields(fields, t); }
        void operator()(PostgresTarget& t) const { r.parsePostgresFields(fields, t); }
        void operator()(CeleryPingTarget& t) const { r.parseCeleryPingTarget(node, t, fresh); }
        void operator()(ExecTarget& t) const { r.parseExecTarget(node, t); }
        void operator()(FileTarget& t) const { r.parseFileTarget(node, t); }
        void operator()(HeartbeatTarget& t) const { r.parseHeartbeatTarget(node, t, fresh); }
    };
    std::visit(Visitor{*this, node, fields, fresh}, target);
}

void TargetReader::parseTcpTarget(const ConfigNode& node, TcpTarget& target) const
{
    if (auto value = host(node, QStringLiteral("host")))
        target.host = *value;
    if (auto value = port(node, QStringLiteral("port")))
        target.port = *value;
    if (target.host.isEmpty())
        missing(node, QStringLiteral("host"));
    if (target.port == 0)
        missing(node, QStringLiteral("port"));
}

RedisTarget TargetReader::brokerUrl(const ConfigNode& node, const QString& key) const
{
    const QString path = node.pathOf(key);
    const QJsonValue value = node.value(key);
    if (!value.isString())
        expected(path, tr("a Redis URL like \"redis://redis:6379/0\""), value, Secret::Yes);
    // parseRedisUrl's messages never contain the URL, so a password in it stays out of errors.
    const RedisUrlResult parsed = parseRedisUrl(expand(path, value.toString(), ExpansionTarget::Url));
    if (!parsed.ok())
        fail(path, parsed.error);
    return *parsed.target;
}

QStringList TargetReader::workerNames(const ConfigNode& node, const QString& key) const
{
    const QString path = node.pathOf(key);
    const QJsonValue value = node.value(key);
    if (!value.isArray())
        expected(path, tr("an array of worker names like [\"celery@docker\"] ([] for any worker)"), value);
    const QJsonArray list = value.toArray();
    QStringList names;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString elementPath = JsonSourceMap::elementPath(path, i);
        if (!list.at(i).isString())
            expected(elementPath, tr("a worker name"), list.at(i));
        const QString raw = list.at(i).toString();
        const QString name = expand(elementPath, raw);
        checkWorkerName(elementPath, name, raw);
        if (names.contains(name))
            fail(elementPath, tr("%1 is listed twice").arg(quoted(name)));
        names.append(name);
    }
    return names;
}

void TargetReader::checkWorkerName(const QString& path, const QString& name, const QString& raw) const
{
    if (name.trimmed().isEmpty())
        fail(path, tr("a worker name cannot be empty; use [] to accept any worker"));
    // Workers compare a ping's destination with their full node name, exactly; a worker always
    // has name@host (celery/utils/nodenames.py), so a bare name never answers.
    if (!name.contains(u'@')) {
        fail(path,
             tr("%1 is not a full Celery node name (name@host); did you mean %2? A worker started with -n %3 "
                "is called %2")
                 .arg(describeText(name, raw), quoted(QStringLiteral("celery@") + name), name));
    }
}

void TargetReader::parseBasicAuth(const ConfigNode& node, QString& user, QString& password) const
{
    if (auto value = string(node, QStringLiteral("user"))) {
        // RFC 7617: the user-id of Basic authentication cannot contain a colon. "user:password"
        // (Flower's --basic-auth form) is the likely mistake, so the value is not echoed.
        if (value->contains(u':')) {
            fail(node.pathOf(QStringLiteral("user")),
                 tr("a basic-auth user name cannot contain ':'; give the part after ':' as \"password\" "
                    "(Flower's --basic-auth=user:password)"));
        }
        user = *value;
    }
    if (auto value = string(node, QStringLiteral("password"), Secret::Yes))
        password = *value;
    if (user.isEmpty() && !password.isEmpty()) {
        const QString key = node.has(QStringLiteral("password")) ? QStringLiteral("password") : QStringLiteral("user");
        fail(node.pathOf(key), tr("a password needs a \"user\": HTTP basic authentication sends both"));
    }
}

ExecContext TargetReader::parseExecContext(const ConfigNode& parent, const QString& key) const
{
    const ConfigNode node = object(parent, key);
    if (!node.has(QStringLiteral("type"))) {
        missing(node, QStringLiteral("type"), tr("one of %1").arg(execContextTypes().join(QStringLiteral(", "))));
    }
    const QString type = oneOf(node, QStringLiteral("type"), execContextTypes(), tr("execution context type"));
    const QStringList ownKeys = execContextKeys(type);
    for (const QString& member : keysInFileOrder(node)) {
        if (member == QLatin1String("type") || ownKeys.contains(member))
            continue;
        for (const QString& other : execContextTypes()) {
            if (!execContextKeys(other).contains(member))
                continue;
            fail(node.pathOf(member),
                 ownKeys.isEmpty()
                     ? tr("key %1 does not apply to %2 contexts, which take only \"type\"").arg(quoted(member), type)
                     : tr("key %1 does not apply to %2 contexts; they take: %3")
                           .arg(quoted(member), type, ownKeys.join(QStringLiteral(", "))),
                 Anchor::Key);
        }
    }
    checkKeys(node, QStringList{QStringLiteral("type")} + ownKeys);

    ExecContext context;
    // Each name with its path and text as written, to point an unsafe one out.
    struct Field
    {
        QString path;
        QString text;
        QString raw;
        bool optional; // may be empty
    };
    QList<Field> fields;
    const auto field = [&](const QString& member, QString& target, bool optional) {
        if (auto value = string(node, member)) {
            target = *value;
            fields.append({node.pathOf(member), *value, node.value(member).toString(), optional});
        }
    };
    const auto required = [&](const QString& member, const QString& hint) {
        if (!node.has(member))
            missing(node, member, hint);
    };
    if (type == QLatin1String("docker")) {
        context.kind = ExecContext::Kind::Docker;
        required(QStringLiteral("container"), tr("the container's name or ID, as docker ps shows it"));
        field(QStringLiteral("container"), context.container, false);
    } else if (type == QLatin1String("compose")) {
        context.kind = ExecContext::Kind::Compose;
        required(QStringLiteral("service"), tr("the service name in the compose file, e.g. \"celery\""));
        field(QStringLiteral("service"), context.service, false);
        field(QStringLiteral("projectDirectory"), context.projectDirectory, true);
        if (node.has(QStringLiteral("files"))) {
            const QJsonArray files = array(node, QStringLiteral("files"));
            const QString filesPath = node.pathOf(QStringLiteral("files"));
            for (qsizetype i = 0; i < files.size(); ++i) {
                const QString path = JsonSourceMap::elementPath(filesPath, i);
                if (!files.at(i).isString())
                    expected(path, tr("a compose file name"), files.at(i));
                const QString file = expand(path, files.at(i).toString());
                context.composeFiles.append(file);
                fields.append({path, file, files.at(i).toString(), false});
            }
        }
    } else if (type == QLatin1String("kubectl")) {
        context.kind = ExecContext::Kind::Kubectl;
        required(QStringLiteral("pod"), tr("the pod's name, or a resource such as \"deploy/openklant-worker\""));
        field(QStringLiteral("pod"), context.pod, false);
        field(QStringLiteral("namespace"), context.kubeNamespace, true);
        field(QStringLiteral("context"), context.kubeContext, true);
        field(QStringLiteral("container"), context.container, true);
    }

    // The names become argv entries of docker or kubectl: one starting with '-' would be read
    // as an option. ExecContext::wrap() refuses such a context; say so while loading.
    const QString error = context.validationError();
    if (!error.isEmpty()) {
        for (const Field& f : fields) {
            if (isUnsafeContextName(f.text) && !(f.optional && f.text.isEmpty()))
                fail(f.path, tr("%1, got %2").arg(error, describeText(f.text, f.raw)));
        }
        fail(node.path, error);
    }
    return context;
}

void TargetReader::parseRedisFields(const ConfigNode& node, RedisTarget& target) const
{
    checkKeys(node, findCheckType(QStringLiteral("redis"))->keys);
    if (node.has(QStringLiteral("url"))) {
        for (const QString& field : {QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("user"),
                                     QStringLiteral("password"), QStringLiteral("db")}) {
            if (node.has(field)) {
                fail(node.pathOf(field), tr("give either \"url\" or host/port/user/password/db, not both"),
                     Anchor::Key);
            }
        }
        const QString path = node.pathOf(QStringLiteral("url"));
        const QString url = *string(node, QStringLiteral("url"), Secret::Yes, ExpansionTarget::Url);
        const RedisUrlResult parsed = parseRedisUrl(url);
        if (!parsed.ok())
            fail(path, parsed.error);
        target = *parsed.target;
        return;
    }
    if (auto value = host(node, QStringLiteral("host")))
        target.host = *value;
    if (auto value = port(node, QStringLiteral("port")))
        target.port = *value;
    if (auto value = string(node, QStringLiteral("user")))
        target.user = *value;
    if (auto value = string(node, QStringLiteral("password"), Secret::Yes))
        target.password = *value;
    if (auto value = integer(node, QStringLiteral("db"), 0, std::numeric_limits<int>::max()))
        target.db = int(*value);
}

void TargetReader::parsePostgresFields(const ConfigNode& node, PostgresTarget& target) const
{
    checkKeys(node, findCheckType(QStringLiteral("postgres"))->keys);
    if (auto value = host(node, QStringLiteral("host")))
        target.host = *value;
    if (auto value = port(node, QStringLiteral("port")))
        target.port = *value;
    if (auto value = string(node, QStringLiteral("user")))
        target.user = *value;
    if (auto value = string(node, QStringLiteral("database")))
        target.database = *value;
}

// user:pass@ written with a '/', '?' or '#' in the password: the authority (urlsplit's rule:
// up to the first of them) then reads "user:pa" — a port that is not a number — and the '@'
// comes later. An '@' further on after a real port (Flower's ?workername=celery@docker) is fine.
bool TargetReader::hasAtAfterAuthority(const QString& url)
{
    const qsizetype schemeEnd = url.indexOf(QLatin1String("://"));
    if (schemeEnd < 0)
        return false;
    const qsizetype start = schemeEnd + 3;
    qsizetype end = start;
    while (end < url.size() && url.at(end) != u'/' && url.at(end) != u'?' && url.at(end) != u'#')
        ++end;
    const QStringView authority = QStringView(url).mid(start, end - start);
    if (authority.contains(u'@') || url.indexOf(u'@', end) < 0)
        return false;
    const qsizetype colon = authority.lastIndexOf(u':');
    if (colon < 0 || authority.startsWith(u'['))
        return false;
    for (const QChar c : authority.mid(colon + 1)) {
        if (!c.isDigit())
            return true;
    }
    return false;
}

void TargetReader::parseHttpTarget(const ConfigNode& node, HttpTarget& target) const
{
    if (node.has(QStringLiteral("url"))) {
        const QString path = node.pathOf(QStringLiteral("url"));
        const QString text = *string(node, QStringLiteral("url"), Secret::No, ExpansionTarget::Url);
        if (hasAtAfterAuthority(text)) {
            // A password with an unencoded '/', '?' or '#' ends the host part early; say so
            // without showing any part of the URL (it would show part of the secret).
            fail(path,
                 tr("the URL has an '@' after the host; if the password contains '/', '?' or '#', "
                    "percent-encode them (%2F, %3F, %23)"));
        }
        const QUrl url(text, QUrl::StrictMode);
        const QString scheme = url.scheme();
        if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
            || url.host().isEmpty()) {
            fail(path,
                 tr("expected an absolute http:// or https:// URL, got %1")
                     .arg(describeText(text, node.value(QStringLiteral("url")).toString())));
        }
        target.url = url;
    }
    if (target.url.isEmpty())
        missing(node, QStringLiteral("url"), tr("an absolute http:// or https:// URL"));

    if (auto value = string(node, QStringLiteral("hostHeader"))) {
        if (value->contains(u' ') || value->contains(u'\r') || value->contains(u'\n') || value->contains(u'/'))
            fail(node.pathOf(QStringLiteral("hostHeader")),
                 tr("expected a host name, optionally with :port, got %1")
                     .arg(describeText(*value, node.value(QStringLiteral("hostHeader")).toString())));
        target.hostHeader = *value;
    }
    if (node.has(QStringLiteral("expect"))) {
        const QString expect = oneOf(node, QStringLiteral("expect"),
                                     {QStringLiteral("success"), QStringLiteral("denied")}, tr("expectation"));
        target.expect
            = expect == QLatin1String("denied") ? HttpTarget::Expectation::Denied : HttpTarget::Expectation::Success;
    }
    if (node.has(QStringLiteral("headers"))) {
        const ConfigNode headers = object(node, QStringLiteral("headers"));
        target.headers.clear();
        for (const QString& header : keysInFileOrder(headers)) {
            const QString path = headers.pathOf(header);
            if (!isHeaderToken(header))
                fail(path, tr("%1 is not a valid HTTP header name").arg(quoted(header)), Anchor::Key);
            if (header.compare(QLatin1String("Host"), Qt::CaseInsensitive) == 0)
                fail(path, tr("set the Host header with \"hostHeader\""), Anchor::Key);
            // Header values often carry tokens: never echo them.
            const QString value = *string(headers, header, Secret::Yes);
            if (value.contains(u'\r') || value.contains(u'\n'))
                fail(path, tr("a header value cannot contain line breaks"));
            target.headers.append({header.toLatin1(), value.toUtf8()});
        }
    }
    // Basic authentication, e.g. for Flower started with --basic-auth=user:password.
    parseBasicAuth(node, target.user, target.password);
}

// The broker (required for a fresh target) and the worker names, as both Celery checks take them.
void TargetReader::parseBrokerAndWorkers(const ConfigNode& node, RedisTarget& broker, QStringList& workers,
                                         bool fresh) const
{
    if (node.has(QStringLiteral("broker")))
        broker = brokerUrl(node, QStringLiteral("broker"));
    else if (fresh)
        missing(node, QStringLiteral("broker"),
                tr("a Redis URL like \"redis://redis:6379/0\", the workers' CELERY_BROKER_URL"));
    if (node.has(QStringLiteral("workers")))
        workers = workerNames(node, QStringLiteral("workers"));
}

void TargetReader::parseCeleryPingTarget(const ConfigNode& node, CeleryPingTarget& target, bool fresh) const
{
    parseBrokerAndWorkers(node, target.broker, target.workers, fresh);
    if (auto value = duration(node, QStringLiteral("pingTimeout"), true))
        target.replyTimeout = *value;
    if (auto value = string(node, QStringLiteral("controlExchange"))) {
        if (value->isEmpty())
            fail(node.pathOf(QStringLiteral("controlExchange")),
                 tr("the control exchange cannot be empty; Celery's default is \"celery\""));
        target.controlExchange = *value;
    }
    if (auto value = string(node, QStringLiteral("keyPrefix")))
        target.keyPrefix = *value;
}

void TargetReader::parseHeartbeatTarget(const ConfigNode& node, HeartbeatTarget& target, bool fresh) const
{
    parseBrokerAndWorkers(node, target.broker, target.workers, fresh);
    if (auto value = duration(node, QStringLiteral("listen"), true))
        target.listen = *value;
    if (auto value = string(node, QStringLiteral("keyPrefix")))
        target.keyPrefix = *value;
    if (auto value = string(node, QStringLiteral("eventExchange"))) {
        if (value->isEmpty())
            fail(node.pathOf(QStringLiteral("eventExchange")),
                 tr("the event exchange cannot be empty; Celery's default is \"celeryev\""));
        target.eventExchange = *value;
    }
}

void TargetReader::parseFileTarget(const ConfigNode& node, FileTarget& target) const
{
    if (node.has(QStringLiteral("exec")))
        target.context = parseExecContext(node, QStringLiteral("exec"));
    if (node.has(QStringLiteral("path")))
        target.path = absolutePath(node, QStringLiteral("path"));
    if (target.path.isEmpty())
        missing(node, QStringLiteral("path"), tr("an absolute path like \"/app/tmp/celery_worker.ready\""));
    if (auto value = wholeSeconds(node, QStringLiteral("maxAge")))
        target.maxAge = *value;
}

void TargetReader::parseExecTarget(const ConfigNode& node, ExecTarget& target) const
{
    if (node.has(QStringLiteral("exec")))
        target.context = parseExecContext(node, QStringLiteral("exec"));
    if (node.has(QStringLiteral("command"))) {
        const QString path = node.pathOf(QStringLiteral("command"));
        const QJsonValue value = node.value(QStringLiteral("command"));
        // The command may carry a password (redis-cli -a …): its text is never echoed.
        if (value.isString()) {
            fail(path,
                 tr("expected an array of strings, got a string: the command runs without a shell, so give "
                    "the program and each argument as separate strings, e.g. [\"redis-cli\", \"ping\"] for "
                    "redis-cli ping (for shell syntax, run [\"sh\", \"-c\", \"…\"])"));
        }
        if (!value.isArray())
            expected(path, tr("an array of strings (the program and its arguments)"), value);
        const QJsonArray argv = value.toArray();
        if (argv.isEmpty())
            fail(path, tr("the command is empty; give at least the program to run"));
        QStringList command;
        QStringList written;
        for (qsizetype i = 0; i < argv.size(); ++i) {
            const QString elementPath = JsonSourceMap::elementPath(path, i);
            if (!argv.at(i).isString())
                expected(elementPath, tr("a string"), argv.at(i), Secret::Yes);
            const QString argument = expand(elementPath, argv.at(i).toString());
            if (argument.contains(QChar(0)))
                fail(elementPath, tr("a command argument cannot contain a NUL character"));
            if (i == 0 && argument.isEmpty())
                fail(elementPath, tr("the program name cannot be empty"));
            // docker exec and kubectl exec would take it for one of their own options.
            if (i == 0 && argument.startsWith(u'-'))
                fail(elementPath, tr("the program name cannot start with '-'"));
            command.append(argument);
            written.append(argv.at(i).toString());
        }
        target.command = command;
        target.commandAsWritten = written;
    }
    if (target.command.isEmpty())
        missing(node, QStringLiteral("command"), tr("an array like [\"redis-cli\", \"ping\"]"));
}

} // namespace okh
