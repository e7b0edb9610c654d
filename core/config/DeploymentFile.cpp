#include "DeploymentFile.h"

#include "config/JsonSourceMap.h"
#include "config/OpenKlantProfile.h"
#include "config/RedisUrl.h"
#include "config/VariableExpansion.h"
#include "util/ClosestMatch.h"
#include "util/Durations.h"
#include "util/LogCategories.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace okh {

namespace {

using std::chrono::milliseconds;

// Errors unwind the whole parse: the caller gets the first one and nothing else, so a file
// is never half loaded. The exception never leaves DeploymentFile::parse.
struct ParseFailure
{
    ConfigError error;
};

enum class Anchor { Key, Value };
enum class Secret { No, Yes };

constexpr qint64 maxFileSize = 16 * 1024 * 1024;

QString quoted(const QString& text)
{
    return u'"' + text + u'"';
}

const QStringList& serviceKinds()
{
    static const QStringList kinds{
        QStringLiteral("web"),           QStringLiteral("nginx"),         QStringLiteral("redis"),
        QStringLiteral("postgresql"),    QStringLiteral("celery-worker"), QStringLiteral("celery-beat"),
        QStringLiteral("celery-flower"), QStringLiteral("other"),
    };
    return kinds;
}

const QStringList& checkTypes()
{
    static const QStringList types{QStringLiteral("http"), QStringLiteral("tcp"), QStringLiteral("redis"),
                                   QStringLiteral("postgres")};
    return types;
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

QStringList typeKeys(const QString& type)
{
    if (type == QLatin1String("http"))
        return {QStringLiteral("url"), QStringLiteral("hostHeader"), QStringLiteral("expect"),
                QStringLiteral("headers")};
    if (type == QLatin1String("tcp"))
        return {QStringLiteral("host"), QStringLiteral("port")};
    if (type == QLatin1String("redis"))
        return {QStringLiteral("url"),  QStringLiteral("host"),     QStringLiteral("port"),
                QStringLiteral("user"), QStringLiteral("password"), QStringLiteral("db")};
    if (type == QLatin1String("postgres"))
        return {QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("user"), QStringLiteral("database")};
    return {};
}

// `type` is one of checkTypes().
ProbeTarget defaultTarget(const QString& type)
{
    if (type == QLatin1String("http"))
        return HttpTarget{};
    if (type == QLatin1String("tcp"))
        return TcpTarget{};
    if (type == QLatin1String("redis"))
        return RedisTarget{};
    return PostgresTarget{};
}

bool isValidName(const QString& name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        if (!alnum && (i == 0 || (c != u'.' && c != u'_' && c != u'-')))
            return false;
    }
    return true;
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

// A JSON object together with its key path, for reading members with precise errors.
struct Node
{
    QJsonObject object;
    QString path;

    bool has(const QString& key) const { return object.contains(key); }
    QJsonValue value(const QString& key) const { return object.value(key); }
    QString pathOf(const QString& key) const { return JsonSourceMap::memberPath(path, key); }
};

class DeploymentParser
{
    Q_DECLARE_TR_FUNCTIONS(okh::DeploymentFile)

public:
    DeploymentParser(const QString& file, const JsonSourceMap& map, const QProcessEnvironment& environment)
        : m_file(file)
        , m_map(map)
        , m_environment(environment)
    { }

    DeploymentFile parseDocument(const QJsonDocument& document);

private:
    [[noreturn]] void fail(const QString& path, const QString& message, Anchor anchor = Anchor::Value) const;
    [[noreturn]] void expected(const QString& path, const QString& what, const QJsonValue& got,
                               Secret secret = Secret::No) const;
    [[noreturn]] void missing(const Node& node, const QString& key, const QString& hint = {}) const;

    QString describe(const QJsonValue& value, Secret secret = Secret::No) const;
    QString describeText(const QString& expanded, const QString& raw) const;
    void checkKeys(const Node& node, const QStringList& allowed) const;
    QStringList keysInFileOrder(const Node& node) const;

    QString expand(const QString& path, const QString& raw) const;
    Node object(const Node& parent, const QString& key) const;
    Node element(const QJsonArray& array, const QString& arrayPath, qsizetype index, const QString& what) const;
    QJsonArray array(const Node& parent, const QString& key) const;
    std::optional<QString> string(const Node& node, const QString& key, Secret secret = Secret::No) const;
    QString requiredString(const Node& node, const QString& key, const QString& hint = {}) const;
    QString name(const Node& node, const QString& key) const;
    QString oneOf(const Node& node, const QString& key, const QStringList& allowed, const QString& what) const;
    std::optional<qint64> integer(const Node& node, const QString& key, qint64 min, qint64 max) const;
    std::optional<milliseconds> duration(const Node& node, const QString& key, bool positive) const;
    std::optional<quint16> port(const Node& node, const QString& key) const;
    std::optional<QString> host(const Node& node, const QString& key) const;

    DeploymentSpec parseDeployment(const Node& node);
    ConnectionSpec parseConnection(const Node& node) const;
    OpenKlantProfile::Settings parseProfile(const Node& deployment) const;
    void parseHttpEndpoint(const Node& node, OpenKlantProfile::HttpEndpoint& endpoint) const;
    void parseRedisFields(const Node& node, RedisTarget& target) const;
    void parsePostgresFields(const Node& node, PostgresTarget& target) const;
    ServiceSpec parseService(const Node& node, const ServiceSpec* base) const;
    CheckSpec parseCheck(const Node& node, const CheckSpec* base) const;
    void parseHttpTarget(const Node& node, HttpTarget& target) const;
    void validateDependencies(const QList<ServiceSpec>& services, const QHash<QString, QString>& dependsOnPaths,
                              const QString& deploymentPath) const;

    QString m_file;
    const JsonSourceMap& m_map;
    QProcessEnvironment m_environment;
};

void DeploymentParser::fail(const QString& path, const QString& message, Anchor anchor) const
{
    ConfigError error{m_file, 0, 0, path, message};
    auto position = anchor == Anchor::Key ? m_map.keyPosition(path) : m_map.valuePosition(path);
    if (!position)
        position = m_map.valuePosition(path);
    if (position) {
        error.line = position->line;
        error.column = position->column;
    }
    throw ParseFailure{error};
}

void DeploymentParser::expected(const QString& path, const QString& what, const QJsonValue& got, Secret secret) const
{
    fail(path, tr("expected %1, got %2").arg(what, describe(got, secret)));
}

void DeploymentParser::missing(const Node& node, const QString& key, const QString& hint) const
{
    const QString message = tr("missing required key %1").arg(quoted(key));
    fail(node.path, hint.isEmpty() ? message : message + QStringLiteral(" (") + hint + u')');
}

QString DeploymentParser::describe(const QJsonValue& value, Secret secret) const
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return secret == Secret::Yes ? tr("a number") : QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::String:
        return secret == Secret::Yes ? tr("a string") : describeText(value.toString(), value.toString());
    case QJsonValue::Array:
        return tr("an array");
    case QJsonValue::Object:
        return tr("an object");
    case QJsonValue::Undefined:
        break;
    }
    return tr("nothing");
}

QString DeploymentParser::describeText(const QString& expanded, const QString& raw) const
{
    constexpr qsizetype maxShown = 60;
    const auto shorten = [](const QString& text) {
        return text.size() > maxShown ? quoted(text.left(maxShown) + QStringLiteral("…")) : quoted(text);
    };
    if (expanded == raw)
        return shorten(expanded);
    return tr("%1 (expanded from %2)").arg(shorten(expanded), shorten(raw));
}

QStringList DeploymentParser::keysInFileOrder(const Node& node) const
{
    QStringList keys = node.object.keys();
    std::stable_sort(keys.begin(), keys.end(), [this, &node](const QString& a, const QString& b) {
        const auto pa = m_map.keyPosition(node.pathOf(a));
        const auto pb = m_map.keyPosition(node.pathOf(b));
        if (!pa || !pb)
            return false;
        return std::pair(pa->line, pa->column) < std::pair(pb->line, pb->column);
    });
    return keys;
}

void DeploymentParser::checkKeys(const Node& node, const QStringList& allowed) const
{
    for (const QString& key : keysInFileOrder(node)) {
        if (allowed.contains(key))
            continue;
        const QString suggestion = closestMatch(key, allowed);
        if (!suggestion.isEmpty()) {
            fail(node.pathOf(key), tr("unknown key %1; did you mean %2?").arg(quoted(key), quoted(suggestion)),
                 Anchor::Key);
        }
        fail(node.pathOf(key),
             tr("unknown key %1; expected one of: %2").arg(quoted(key), allowed.join(QStringLiteral(", "))),
             Anchor::Key);
    }
}

QString DeploymentParser::expand(const QString& path, const QString& raw) const
{
    const VariableExpansion expansion = expandVariables(raw, m_environment);
    if (!expansion.ok())
        fail(path, expansion.error);
    return expansion.text;
}

Node DeploymentParser::object(const Node& parent, const QString& key) const
{
    const QJsonValue value = parent.value(key);
    if (!value.isObject())
        expected(parent.pathOf(key), tr("an object"), value);
    return Node{value.toObject(), parent.pathOf(key)};
}

Node DeploymentParser::element(const QJsonArray& array, const QString& arrayPath, qsizetype index,
                               const QString& what) const
{
    const QString path = JsonSourceMap::elementPath(arrayPath, index);
    const QJsonValue value = array.at(index);
    if (!value.isObject())
        expected(path, what, value);
    return Node{value.toObject(), path};
}

QJsonArray DeploymentParser::array(const Node& parent, const QString& key) const
{
    const QJsonValue value = parent.value(key);
    if (!value.isArray())
        expected(parent.pathOf(key), tr("an array"), value);
    return value.toArray();
}

std::optional<QString> DeploymentParser::string(const Node& node, const QString& key, Secret secret) const
{
    if (!node.has(key))
        return std::nullopt;
    const QJsonValue value = node.value(key);
    if (!value.isString())
        expected(node.pathOf(key), tr("a string"), value, secret);
    return expand(node.pathOf(key), value.toString());
}

QString DeploymentParser::requiredString(const Node& node, const QString& key, const QString& hint) const
{
    if (!node.has(key))
        missing(node, key, hint);
    return *string(node, key);
}

QString DeploymentParser::name(const Node& node, const QString& key) const
{
    const QString text = requiredString(node, key);
    if (!isValidName(text)) {
        fail(node.pathOf(key),
             tr("expected a name of letters, digits, '.', '_' and '-' that starts with a letter or digit, got %1")
                 .arg(describeText(text, node.value(key).toString())));
    }
    return text;
}

QString DeploymentParser::oneOf(const Node& node, const QString& key, const QStringList& allowed,
                                const QString& what) const
{
    const QString text = *string(node, key);
    if (allowed.contains(text))
        return text;
    const QString suggestion = closestMatch(text, allowed);
    const QString shown = describeText(text, node.value(key).toString());
    const QString list = allowed.join(QStringLiteral(", "));
    if (!suggestion.isEmpty()) {
        fail(node.pathOf(key),
             tr("unknown %1 %2; did you mean %3? (supported: %4)").arg(what, shown, quoted(suggestion), list));
    }
    fail(node.pathOf(key), tr("unknown %1 %2 (supported: %3)").arg(what, shown, list));
}

std::optional<qint64> DeploymentParser::integer(const Node& node, const QString& key, qint64 min, qint64 max) const
{
    if (!node.has(key))
        return std::nullopt;
    const QString path = node.pathOf(key);
    const QJsonValue value = node.value(key);
    const QString range = max == std::numeric_limits<int>::max() ? tr("a whole number of at least %1").arg(min)
                                                                 : tr("a whole number from %1 to %2").arg(min).arg(max);
    double number = 0;
    QString shown;
    if (value.isDouble()) {
        number = value.toDouble();
        shown = describe(value);
    } else if (value.isString()) {
        // Strings are accepted so that numbers can come from ${VAR} references.
        const QString text = expand(path, value.toString());
        shown = describeText(text, value.toString());
        bool ok = false;
        number = text.trimmed().toLongLong(&ok);
        if (!ok)
            fail(path, tr("expected %1, got %2").arg(range, shown));
    } else {
        expected(path, range, value);
    }
    if (!std::isfinite(number) || std::floor(number) != number || number < double(min) || number > double(max))
        fail(path, tr("expected %1, got %2").arg(range, shown));
    return qint64(number);
}

std::optional<milliseconds> DeploymentParser::duration(const Node& node, const QString& key, bool positive) const
{
    if (!node.has(key))
        return std::nullopt;
    const QString path = node.pathOf(key);
    const QJsonValue value = node.value(key);
    const QString what = tr("a duration like \"5s\" or a number of seconds");
    // A year is far beyond any sensible interval and keeps the milliseconds far from overflow.
    constexpr double maxSeconds = 366.0 * 24 * 3600;
    std::optional<milliseconds> parsed;
    QString shown;
    if (value.isDouble()) {
        const double seconds = value.toDouble();
        shown = describe(value);
        if (seconds >= 0 && seconds <= maxSeconds)
            parsed = milliseconds(qint64(std::llround(seconds * 1000.0)));
    } else if (value.isString()) {
        const QString text = expand(path, value.toString());
        shown = describeText(text, value.toString());
        parsed = parseDuration(text);
        if (parsed && double(parsed->count()) > maxSeconds * 1000.0)
            parsed.reset();
    } else {
        expected(path, what, value);
    }
    if (!parsed)
        fail(path, tr("expected %1, got %2").arg(what, shown));
    if (positive && parsed->count() <= 0)
        fail(path, tr("expected a duration greater than zero, got %1").arg(shown));
    return parsed;
}

std::optional<quint16> DeploymentParser::port(const Node& node, const QString& key) const
{
    const auto value = integer(node, key, 1, 65535);
    if (!value)
        return std::nullopt;
    return quint16(*value);
}

std::optional<QString> DeploymentParser::host(const Node& node, const QString& key) const
{
    auto text = string(node, key);
    if (!text)
        return std::nullopt;
    QString host = *text;
    // "[::1]" is how URLs write IPv6; targets keep the bare address.
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    QUrl check;
    check.setHost(host, QUrl::StrictMode);
    if (host.isEmpty() || !check.isValid() || check.host().isEmpty()) {
        fail(node.pathOf(key),
             tr("expected a host name or IP address, got %1").arg(describeText(*text, node.value(key).toString())));
    }
    return host;
}

DeploymentFile DeploymentParser::parseDocument(const QJsonDocument& document)
{
    const Node root{document.object(), QString()};
    if (!document.isObject())
        fail(QString(), tr("expected a JSON object at the top level, like {\"version\": 1, \"deployments\": []}"));

    // The version comes first: keys of another version's format are not typos.
    if (!root.has(QStringLiteral("version")))
        missing(root, QStringLiteral("version"),
                tr("this OK Health reads version %1").arg(DeploymentFile::formatVersion));
    const QJsonValue version = root.value(QStringLiteral("version"));
    if (!version.isDouble() || version.toDouble() != DeploymentFile::formatVersion) {
        fail(QStringLiteral("version"),
             tr("unsupported version %1; this OK Health reads version %2 files")
                 .arg(describe(version), QString::number(DeploymentFile::formatVersion)));
    }
    checkKeys(root, {QStringLiteral("version"), QStringLiteral("deployments")});

    if (!root.has(QStringLiteral("deployments")))
        missing(root, QStringLiteral("deployments"));
    const QJsonArray deployments = array(root, QStringLiteral("deployments"));
    const QString deploymentsPath = root.pathOf(QStringLiteral("deployments"));
    if (deployments.isEmpty())
        fail(deploymentsPath, tr("no deployments: add at least one"));

    DeploymentFile file;
    QHash<QString, QString> seen; // name → path of its first occurrence
    for (qsizetype i = 0; i < deployments.size(); ++i) {
        const Node node = element(deployments, deploymentsPath, i, tr("a deployment object"));
        DeploymentSpec deployment = parseDeployment(node);
        if (seen.contains(deployment.name)) {
            fail(node.pathOf(QStringLiteral("name")),
                 tr("duplicate deployment name %1 (also at %2)")
                     .arg(quoted(deployment.name), seen.value(deployment.name)));
        }
        seen.insert(deployment.name, node.pathOf(QStringLiteral("name")));
        file.deployments.append(std::move(deployment));
    }
    return file;
}

DeploymentSpec DeploymentParser::parseDeployment(const Node& node)
{
    checkKeys(
        node,
        {QStringLiteral("name"), QStringLiteral("connection"), QStringLiteral("profile"), QStringLiteral("services")});
    DeploymentSpec deployment;
    deployment.name = name(node, QStringLiteral("name"));
    if (!node.has(QStringLiteral("connection")))
        missing(node, QStringLiteral("connection"), tr("for example {\"type\": \"direct\"}"));
    deployment.connection = parseConnection(object(node, QStringLiteral("connection")));

    if (node.has(QStringLiteral("profile"))) {
        deployment.profile = OpenKlantProfile::name();
        deployment.services = OpenKlantProfile::expand(parseProfile(node));
    }

    // Explicit services add to the profile's or refine the profile service of the same name;
    // docs/deployment-file.md ("Merging with a profile").
    QHash<QString, QString> dependsOnPaths; // service → path of an explicit dependsOn
    if (node.has(QStringLiteral("services"))) {
        const QJsonArray services = array(node, QStringLiteral("services"));
        const QString servicesPath = node.pathOf(QStringLiteral("services"));
        QHash<QString, QString> seen;
        for (qsizetype i = 0; i < services.size(); ++i) {
            const Node serviceNode = element(services, servicesPath, i, tr("a service object"));
            const QString serviceName = name(serviceNode, QStringLiteral("name"));
            const QString namePath = serviceNode.pathOf(QStringLiteral("name"));
            if (seen.contains(serviceName)) {
                fail(namePath,
                     tr("duplicate service name %1 (also at %2)").arg(quoted(serviceName), seen.value(serviceName)));
            }
            seen.insert(serviceName, namePath);
            const auto existing = std::find_if(deployment.services.begin(), deployment.services.end(),
                                               [&serviceName](const ServiceSpec& s) { return s.name == serviceName; });
            if (existing != deployment.services.end())
                *existing = parseService(serviceNode, &*existing);
            else
                deployment.services.append(parseService(serviceNode, nullptr));
            if (serviceNode.has(QStringLiteral("dependsOn")))
                dependsOnPaths.insert(serviceName, serviceNode.pathOf(QStringLiteral("dependsOn")));
        }
    }

    if (deployment.services.isEmpty())
        fail(node.path, tr("no services: add a \"profile\" or a \"services\" list"));
    validateDependencies(deployment.services, dependsOnPaths, node.path);
    return deployment;
}

ConnectionSpec DeploymentParser::parseConnection(const Node& node) const
{
    // Each connection type has its own keys; "ssh" will add host, user, key file and so on.
    if (!node.has(QStringLiteral("type")))
        missing(node, QStringLiteral("type"), tr("supported: direct"));
    const QString type = *string(node, QStringLiteral("type"));
    if (type == QLatin1String("ssh")) {
        fail(node.pathOf(QStringLiteral("type")),
             tr("connection type \"ssh\" is not supported yet (supported: direct)"));
    }
    oneOf(node, QStringLiteral("type"), {QStringLiteral("direct")}, tr("connection type"));
    checkKeys(node, {QStringLiteral("type")});
    return ConnectionSpec{ConnectionSpec::Type::Direct};
}

OpenKlantProfile::Settings DeploymentParser::parseProfile(const Node& deployment) const
{
    const QString key = QStringLiteral("profile");
    const QStringList profiles{OpenKlantProfile::name()};
    OpenKlantProfile::Settings settings;
    // "profile": "openklant" is short for {"name": "openklant"}.
    if (deployment.value(key).isString()) {
        oneOf(deployment, key, profiles, tr("profile"));
        return settings;
    }
    if (!deployment.value(key).isObject())
        expected(deployment.pathOf(key), tr("\"openklant\" or a profile object"), deployment.value(key));
    const Node node = object(deployment, key);
    checkKeys(node, {QStringLiteral("name"), QStringLiteral("services"), QStringLiteral("exclude")});
    if (!node.has(QStringLiteral("name")))
        missing(node, QStringLiteral("name"), tr("supported: %1").arg(profiles.join(QStringLiteral(", "))));
    oneOf(node, QStringLiteral("name"), profiles, tr("profile"));

    const QStringList serviceNames = OpenKlantProfile::serviceNames();
    if (node.has(QStringLiteral("exclude"))) {
        const QJsonArray exclude = array(node, QStringLiteral("exclude"));
        const QString excludePath = node.pathOf(QStringLiteral("exclude"));
        for (qsizetype i = 0; i < exclude.size(); ++i) {
            const QString path = JsonSourceMap::elementPath(excludePath, i);
            if (!exclude.at(i).isString())
                expected(path, tr("a profile service name"), exclude.at(i));
            const QString service = expand(path, exclude.at(i).toString());
            if (!serviceNames.contains(service)) {
                const QString suggestion = closestMatch(service, serviceNames);
                const QString message = tr("%1 is not a service of the profile (services: %2)")
                                            .arg(quoted(service), serviceNames.join(QStringLiteral(", ")));
                fail(path,
                     suggestion.isEmpty() ? message : message + u' ' + tr("did you mean %1?").arg(quoted(suggestion)));
            }
            settings.exclude.append(service);
        }
    }

    if (node.has(QStringLiteral("services"))) {
        const Node services = object(node, QStringLiteral("services"));
        for (const QString& service : keysInFileOrder(services)) {
            if (service.startsWith(QLatin1String("celery")) || service == QLatin1String("flower")) {
                fail(services.pathOf(service),
                     tr("the profile has no Celery services yet; describe %1 under the deployment's "
                        "\"services\" instead")
                         .arg(quoted(service)),
                     Anchor::Key);
            }
        }
        checkKeys(services, serviceNames);
        for (const QString& service : keysInFileOrder(services)) {
            if (settings.exclude.contains(service)) {
                fail(services.pathOf(service),
                     tr("service %1 is configured here but excluded in \"exclude\"").arg(quoted(service)), Anchor::Key);
            }
        }
        if (services.has(QStringLiteral("web")))
            parseHttpEndpoint(object(services, QStringLiteral("web")), settings.web);
        if (services.has(QStringLiteral("nginx")))
            parseHttpEndpoint(object(services, QStringLiteral("nginx")), settings.nginx);
        if (services.has(QStringLiteral("redis")))
            parseRedisFields(object(services, QStringLiteral("redis")), settings.redis);
        if (services.has(QStringLiteral("db")))
            parsePostgresFields(object(services, QStringLiteral("db")), settings.db);
    }
    return settings;
}

void DeploymentParser::parseHttpEndpoint(const Node& node, OpenKlantProfile::HttpEndpoint& endpoint) const
{
    checkKeys(node, {QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("hostHeader")});
    if (auto value = host(node, QStringLiteral("host")))
        endpoint.host = *value;
    if (auto value = port(node, QStringLiteral("port")))
        endpoint.port = *value;
    if (auto value = string(node, QStringLiteral("hostHeader")))
        endpoint.hostHeader = *value;
}

void DeploymentParser::parseRedisFields(const Node& node, RedisTarget& target) const
{
    checkKeys(node, typeKeys(QStringLiteral("redis")));
    if (node.has(QStringLiteral("url"))) {
        for (const QString& field : {QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("user"),
                                     QStringLiteral("password"), QStringLiteral("db")}) {
            if (node.has(field)) {
                fail(node.pathOf(field), tr("give either \"url\" or host/port/user/password/db, not both"),
                     Anchor::Key);
            }
        }
        const QString path = node.pathOf(QStringLiteral("url"));
        const QString url = *string(node, QStringLiteral("url"), Secret::Yes);
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

void DeploymentParser::parsePostgresFields(const Node& node, PostgresTarget& target) const
{
    checkKeys(node, typeKeys(QStringLiteral("postgres")));
    if (auto value = host(node, QStringLiteral("host")))
        target.host = *value;
    if (auto value = port(node, QStringLiteral("port")))
        target.port = *value;
    if (auto value = string(node, QStringLiteral("user")))
        target.user = *value;
    if (auto value = string(node, QStringLiteral("database")))
        target.database = *value;
}

ServiceSpec DeploymentParser::parseService(const Node& node, const ServiceSpec* base) const
{
    checkKeys(node,
              {QStringLiteral("name"), QStringLiteral("kind"), QStringLiteral("dependsOn"), QStringLiteral("checks")});
    ServiceSpec service = base ? *base : ServiceSpec{};
    service.name = name(node, QStringLiteral("name"));
    if (!base)
        service.kind = QStringLiteral("other");
    if (node.has(QStringLiteral("kind")))
        service.kind = oneOf(node, QStringLiteral("kind"), serviceKinds(), tr("service kind"));

    if (node.has(QStringLiteral("dependsOn"))) {
        const QJsonArray dependsOn = array(node, QStringLiteral("dependsOn"));
        const QString dependsOnPath = node.pathOf(QStringLiteral("dependsOn"));
        service.dependsOn.clear();
        for (qsizetype i = 0; i < dependsOn.size(); ++i) {
            const QString path = JsonSourceMap::elementPath(dependsOnPath, i);
            if (!dependsOn.at(i).isString())
                expected(path, tr("a service name"), dependsOn.at(i));
            const QString dependency = expand(path, dependsOn.at(i).toString());
            if (dependency == service.name)
                fail(path, tr("a service cannot depend on itself"));
            if (service.dependsOn.contains(dependency))
                fail(path, tr("%1 is listed twice").arg(quoted(dependency)));
            service.dependsOn.append(dependency);
        }
    }

    if (node.has(QStringLiteral("checks"))) {
        const QJsonArray checks = array(node, QStringLiteral("checks"));
        const QString checksPath = node.pathOf(QStringLiteral("checks"));
        QHash<QString, QString> seen;
        for (qsizetype i = 0; i < checks.size(); ++i) {
            const Node checkNode = element(checks, checksPath, i, tr("a check object"));
            const QString checkName = name(checkNode, QStringLiteral("name"));
            const QString namePath = checkNode.pathOf(QStringLiteral("name"));
            if (seen.contains(checkName)) {
                fail(namePath,
                     tr("duplicate check name %1 (also at %2)").arg(quoted(checkName), seen.value(checkName)));
            }
            seen.insert(checkName, namePath);
            const auto existing = std::find_if(service.checks.begin(), service.checks.end(),
                                               [&checkName](const CheckSpec& c) { return c.name == checkName; });
            if (existing != service.checks.end())
                *existing = parseCheck(checkNode, &*existing);
            else
                service.checks.append(parseCheck(checkNode, nullptr));
        }
    }
    if (service.checks.isEmpty())
        fail(node.path, tr("service %1 has no checks; add at least one to \"checks\"").arg(quoted(service.name)));
    return service;
}

CheckSpec DeploymentParser::parseCheck(const Node& node, const CheckSpec* base) const
{
    // The type decides which keys are valid, so it is read before the keys are checked.
    QString type = base ? base->typeKey() : QString();
    if (node.has(QStringLiteral("type")))
        type = oneOf(node, QStringLiteral("type"), checkTypes(), tr("check type"));
    else if (!base)
        missing(node, QStringLiteral("type"), tr("one of %1").arg(checkTypes().join(QStringLiteral(", "))));

    const QStringList ownKeys = typeKeys(type);
    for (const QString& key : keysInFileOrder(node)) {
        if (commonCheckKeys().contains(key) || ownKeys.contains(key))
            continue;
        for (const QString& other : checkTypes()) {
            if (typeKeys(other).contains(key)) {
                fail(node.pathOf(key),
                     tr("key %1 does not apply to %2 checks; they take: %3")
                         .arg(quoted(key), type, ownKeys.join(QStringLiteral(", "))),
                     Anchor::Key);
            }
        }
    }
    checkKeys(node, commonCheckKeys() + ownKeys);

    CheckSpec check = base ? *base : CheckSpec{};
    check.name = name(node, QStringLiteral("name"));
    if (!base || base->typeKey() != type)
        check.target = defaultTarget(type);

    if (node.has(QStringLiteral("role"))) {
        QStringList roles;
        for (auto role : {CheckRole::Liveness, CheckRole::Readiness, CheckRole::Startup, CheckRole::Info})
            roles << roleKey(role);
        check.role = *roleFromKey(oneOf(node, QStringLiteral("role"), roles, tr("role")));
    } else if (!base) {
        missing(node, QStringLiteral("role"), tr("liveness, readiness, startup or info"));
    }

    if (auto value = duration(node, QStringLiteral("interval"), true))
        check.interval = *value;
    if (auto value = duration(node, QStringLiteral("timeout"), true))
        check.timeout = *value;
    if (auto value = duration(node, QStringLiteral("startPeriod"), false))
        check.startPeriod = *value;
    if (auto value = duration(node, QStringLiteral("initialDelay"), false))
        check.initialDelay = *value;
    constexpr qint64 maxThreshold = 1'000'000;
    if (auto value = integer(node, QStringLiteral("failureThreshold"), 1, maxThreshold))
        check.failureThreshold = int(*value);
    if (auto value = integer(node, QStringLiteral("successThreshold"), 1, maxThreshold))
        check.successThreshold = int(*value);
    // Kubernetes rejects other values: a liveness or startup probe succeeds on its first success.
    if (check.successThreshold != 1 && (check.role == CheckRole::Liveness || check.role == CheckRole::Startup)) {
        const QString key = node.has(QStringLiteral("successThreshold")) ? QStringLiteral("successThreshold")
                                                                         : QStringLiteral("role");
        fail(node.pathOf(key),
             tr("successThreshold must be 1 for %1 checks (a Kubernetes rule), got %2")
                 .arg(roleKey(check.role))
                 .arg(check.successThreshold));
    }

    if (type == QLatin1String("http")) {
        parseHttpTarget(node, std::get<HttpTarget>(check.target));
    } else if (type == QLatin1String("tcp")) {
        auto& tcp = std::get<TcpTarget>(check.target);
        if (auto value = host(node, QStringLiteral("host")))
            tcp.host = *value;
        if (auto value = port(node, QStringLiteral("port")))
            tcp.port = *value;
        if (tcp.host.isEmpty())
            missing(node, QStringLiteral("host"));
        if (tcp.port == 0)
            missing(node, QStringLiteral("port"));
    } else if (type == QLatin1String("redis")) {
        Node fields = node;
        for (const QString& key : commonCheckKeys())
            fields.object.remove(key);
        parseRedisFields(fields, std::get<RedisTarget>(check.target));
    } else if (type == QLatin1String("postgres")) {
        Node fields = node;
        for (const QString& key : commonCheckKeys())
            fields.object.remove(key);
        parsePostgresFields(fields, std::get<PostgresTarget>(check.target));
    }
    // Other targets (a future profile's Celery ping) can only be refined in their common keys.
    return check;
}

void DeploymentParser::parseHttpTarget(const Node& node, HttpTarget& target) const
{
    if (node.has(QStringLiteral("url"))) {
        const QString path = node.pathOf(QStringLiteral("url"));
        const QString text = *string(node, QStringLiteral("url"));
        const QUrl url(text, QUrl::StrictMode);
        const QString scheme = url.scheme();
        if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
            || url.host().isEmpty()) {
            fail(path,
                 tr("expected an absolute http:// or https:// URL, got %1")
                     .arg(describeText(redactUrlPassword(text),
                                       redactUrlPassword(node.value(QStringLiteral("url")).toString()))));
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
        const Node headers = object(node, QStringLiteral("headers"));
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
}

void DeploymentParser::validateDependencies(const QList<ServiceSpec>& services,
                                            const QHash<QString, QString>& dependsOnPaths,
                                            const QString& deploymentPath) const
{
    QStringList names;
    for (const ServiceSpec& service : services)
        names << service.name;
    for (const ServiceSpec& service : services) {
        for (qsizetype i = 0; i < service.dependsOn.size(); ++i) {
            const QString& dependency = service.dependsOn.at(i);
            if (names.contains(dependency))
                continue;
            const QString listPath = dependsOnPaths.value(service.name);
            const QString path = listPath.isEmpty() ? deploymentPath : JsonSourceMap::elementPath(listPath, i);
            const QString suggestion = closestMatch(dependency, names);
            const QString message
                = tr("service %1 depends on %2, which is not a service of this deployment "
                     "(services: %3)")
                      .arg(quoted(service.name), quoted(dependency), names.join(QStringLiteral(", ")));
            fail(path,
                 suggestion.isEmpty() ? message : message + u' ' + tr("did you mean %1?").arg(quoted(suggestion)));
        }
    }

    // A cycle would make "which service failed first" meaningless; report the first one found.
    enum class Mark { None, Visiting, Done };
    QHash<QString, Mark> marks;
    QStringList stack;
    const std::function<void(const QString&)> visit = [&](const QString& serviceName) {
        marks[serviceName] = Mark::Visiting;
        stack << serviceName;
        const auto service = std::find_if(services.begin(), services.end(),
                                          [&serviceName](const ServiceSpec& s) { return s.name == serviceName; });
        for (const QString& dependency : service->dependsOn) {
            if (marks.value(dependency) == Mark::Visiting) {
                const QStringList cycle = stack.mid(stack.indexOf(dependency)) << dependency;
                const QString listPath = dependsOnPaths.value(serviceName);
                fail(listPath.isEmpty() ? deploymentPath : listPath,
                     tr("dependency cycle: %1").arg(cycle.join(QStringLiteral(" → "))));
            }
            if (marks.value(dependency) == Mark::None)
                visit(dependency);
        }
        stack.removeLast();
        marks[serviceName] = Mark::Done;
    };
    for (const ServiceSpec& service : services) {
        if (marks.value(service.name) == Mark::None)
            visit(service.name);
    }
}

} // namespace

const DeploymentSpec* DeploymentFile::find(const QString& name) const
{
    for (const DeploymentSpec& deployment : deployments) {
        if (deployment.name == name)
            return &deployment;
    }
    return nullptr;
}

QStringList DeploymentFile::names() const
{
    QStringList out;
    for (const DeploymentSpec& deployment : deployments)
        out << deployment.name;
    return out;
}

DeploymentFile::Result DeploymentFile::load(const QString& path, const QProcessEnvironment& environment)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return ConfigError{
            path, 0, 0, QString(),
            QCoreApplication::translate("okh::DeploymentFile", "cannot read the file: %1").arg(file.errorString())};
    }
    if (file.size() > maxFileSize) {
        return ConfigError{path, 0, 0, QString(),
                           QCoreApplication::translate("okh::DeploymentFile",
                                                       "the file is larger than 16 MiB; is it a deployment file?")};
    }
    return parse(file.readAll(), path, environment);
}

DeploymentFile::Result DeploymentFile::parse(const QByteArray& json, const QString& fileNameForMessages,
                                             const QProcessEnvironment& environment)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const auto position = JsonSourceMap::position(json, parseError.offset);
        return ConfigError{
            fileNameForMessages, position.line, position.column, QString(),
            QCoreApplication::translate("okh::DeploymentFile", "invalid JSON: %1").arg(parseError.errorString())};
    }

    const JsonSourceMap map(json);
    if (const auto duplicate = map.duplicateKey()) {
        const auto position = map.keyPosition(*duplicate);
        return ConfigError{fileNameForMessages, position ? position->line : 0, position ? position->column : 0,
                           *duplicate,
                           QCoreApplication::translate("okh::DeploymentFile",
                                                       "duplicate key (JSON would silently keep only the last one)")};
    }

    try {
        DeploymentParser parser(fileNameForMessages, map, environment);
        DeploymentFile file = parser.parseDocument(document);
        qCDebug(lcConfig) << "loaded" << file.deployments.size() << "deployment(s) from" << fileNameForMessages;
        return file;
    } catch (const ParseFailure& failure) {
        return failure.error;
    }
}

} // namespace okh
