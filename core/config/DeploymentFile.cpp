#include "DeploymentFile.h"

#include "config/JsonSourceMap.h"
#include "config/OpenKlantProfile.h"
#include "config/RedisUrl.h"
#include "config/SshConfigFile.h"
#include "config/VariableExpansion.h"
#include "util/ClosestMatch.h"
#include "util/Durations.h"
#include "util/LogCategories.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>
#include <algorithm>
#include <cmath>
#include <functional>
#include <initializer_list>
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
    static const QStringList types{
        QStringLiteral("http"),     QStringLiteral("tcp"),         QStringLiteral("redis"),
        QStringLiteral("postgres"), QStringLiteral("celery-ping"), QStringLiteral("celery-heartbeat"),
        QStringLiteral("file"),     QStringLiteral("exec"),
    };
    return types;
}

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

// The keys of one SSH server: the connection's own, and each jump host's.
const QStringList& sshEndpointKeys()
{
    static const QStringList keys{
        QStringLiteral("host"),          QStringLiteral("port"),     QStringLiteral("user"),
        QStringLiteral("identityFiles"), QStringLiteral("useAgent"), QStringLiteral("knownHostsFile"),
        QStringLiteral("hostKeyPolicy"),
    };
    return keys;
}

// The keys of an ssh connection: its server's, plus those of the whole connection.
const QStringList& sshConnectionOnlyKeys()
{
    static const QStringList keys{QStringLiteral("jump"), QStringLiteral("jumps"), QStringLiteral("keepalive"),
                                  QStringLiteral("connectTimeout"), QStringLiteral("sshConfig")};
    return keys;
}

QStringList sshConnectionKeys()
{
    return QStringList{QStringLiteral("type")} + sshEndpointKeys() + sshConnectionOnlyKeys();
}

// Spellings of "do not verify host keys", refused with an explanation rather than "unknown".
bool isInsecureHostKeyPolicy(const QString& value)
{
    static const QStringList values{
        QStringLiteral("no"),         QStringLiteral("off"),        QStringLiteral("false"),
        QStringLiteral("0"),          QStringLiteral("none"),       QStringLiteral("ignore"),
        QStringLiteral("skip"),       QStringLiteral("insecure"),   QStringLiteral("accept"),
        QStringLiteral("accept-all"), QStringLiteral("accept-any"), QStringLiteral("trust"),
        QStringLiteral("trust-all"),  QStringLiteral("disable"),    QStringLiteral("disabled"),
    };
    return values.contains(value.toLower());
}

// An SSH server as the deployment file and the ssh config describe it.
struct ResolvedEndpoint
{
    QString alias; // the name as given, looked up in the ssh config
    SshEndpoint endpoint;
    SshConfigFile::HostConfig config; // what the ssh config says for alias
};

// What the deployment file (or a ProxyJump element) gives explicitly for an SSH server;
// it wins over the ssh config.
struct SshEndpointKeys
{
    std::optional<quint16> port;
    std::optional<QString> user;
    std::optional<QStringList> identityFiles;
    std::optional<bool> useAgent;
    std::optional<QString> knownHostsFile;
    std::optional<SshEndpoint::HostKeyPolicy> hostKeyPolicy;
};

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
        return {QStringLiteral("url"),     QStringLiteral("hostHeader"), QStringLiteral("expect"),
                QStringLiteral("headers"), QStringLiteral("user"),       QStringLiteral("password")};
    if (type == QLatin1String("tcp"))
        return {QStringLiteral("host"), QStringLiteral("port")};
    if (type == QLatin1String("redis"))
        return {QStringLiteral("url"),  QStringLiteral("host"),     QStringLiteral("port"),
                QStringLiteral("user"), QStringLiteral("password"), QStringLiteral("db")};
    if (type == QLatin1String("postgres"))
        return {QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("user"), QStringLiteral("database")};
    if (type == QLatin1String("celery-ping"))
        return {QStringLiteral("broker"), QStringLiteral("workers"), QStringLiteral("pingTimeout"),
                QStringLiteral("controlExchange"), QStringLiteral("keyPrefix")};
    if (type == QLatin1String("celery-heartbeat"))
        return {QStringLiteral("broker"), QStringLiteral("workers"), QStringLiteral("listen"),
                QStringLiteral("keyPrefix"), QStringLiteral("eventExchange")};
    if (type == QLatin1String("file"))
        return {QStringLiteral("path"), QStringLiteral("maxAge"), QStringLiteral("exec")};
    if (type == QLatin1String("exec"))
        return {QStringLiteral("command"), QStringLiteral("exec")};
    return {};
}

// `type` is one of checkTypes(). File and exec checks start in their service's context.
ProbeTarget defaultTarget(const QString& type, const ExecContext& serviceExec)
{
    if (type == QLatin1String("http"))
        return HttpTarget{};
    if (type == QLatin1String("tcp"))
        return TcpTarget{};
    if (type == QLatin1String("redis"))
        return RedisTarget{};
    if (type == QLatin1String("celery-ping"))
        return CeleryPingTarget{};
    if (type == QLatin1String("celery-heartbeat"))
        return HeartbeatTarget{};
    if (type == QLatin1String("file"))
        return FileTarget{serviceExec, {}, std::nullopt};
    if (type == QLatin1String("exec"))
        return ExecTarget{serviceExec, {}};
    return PostgresTarget{};
}

// Typos, and the short names people use for Celery services ("flower" for "celery-flower").
QString profileServiceSuggestion(const QString& name, const QStringList& serviceNames)
{
    const QString close = closestMatch(name, serviceNames);
    if (!close.isEmpty())
        return close;
    const QString prefixed = QStringLiteral("celery-") + name;
    return serviceNames.contains(prefixed) ? prefixed : QString();
}

// A service-level "exec" moves the checks that follow the service's context.
void setExecContext(ProbeTarget& target, const ExecContext& context)
{
    if (auto* file = std::get_if<FileTarget>(&target))
        file->context = context;
    else if (auto* exec = std::get_if<ExecTarget>(&target))
        exec->context = context;
}

// The same test as ExecContext::validationError() applies to each name, to point at the key.
bool isUnsafeContextName(const QString& name)
{
    return name.isEmpty() || name.startsWith(u'-') || name.contains(QChar(0));
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
    RedisTarget brokerUrl(const Node& node, const QString& key) const;
    QStringList workerNames(const Node& node, const QString& key) const;
    void checkWorkerName(const QString& path, const QString& name, const QString& raw) const;
    QString absolutePath(const Node& node, const QString& key) const;
    std::optional<std::chrono::seconds> wholeSeconds(const Node& node, const QString& key) const;
    void parseBasicAuth(const Node& node, QString& user, QString& password) const;
    ExecContext parseExecContext(const Node& parent, const QString& key) const;

    DeploymentSpec parseDeployment(const Node& node);
    ConnectionSpec parseConnection(const Node& node) const;
    SshSpec parseSshConnection(const Node& node) const;
    std::optional<SshConfigFile> loadSshConfig(const Node& node) const;
    ResolvedEndpoint parseSshEndpoint(const Node& node, const SshConfigFile* config, bool isJump) const;
    SshEndpoint resolveSshEndpoint(const QString& alias, const SshEndpointKeys& given,
                                   const SshConfigFile::HostConfig& entry, const QString& anchor,
                                   const QString& label) const;
    QList<ResolvedEndpoint> proxyJumpChain(const SshConfigFile::Setting& proxyJump, const SshConfigFile* config,
                                           const QString& anchor) const;
    void followFirstHopProxyJump(QList<ResolvedEndpoint>& chain, const QString& target, const SshConfigFile* config,
                                 const QString& anchor) const;
    void refuseSshSecrets(const Node& node) const;
    QString sshAlias(const Node& node, const QString& key) const;
    SshEndpoint::HostKeyPolicy hostKeyPolicy(const Node& node, const QString& key) const;
    QStringList identityFiles(const Node& node, const QString& key) const;
    QString localPath(const Node& node, const QString& key) const;
    QString localPathAt(const QString& path, const QString& text, const QString& raw) const;
    QString knownHostsProblem(const QString& file) const;
    static bool hasAtAfterAuthority(const QString& url);
    std::optional<bool> boolean(const Node& node, const QString& key) const;
    std::optional<std::chrono::seconds> sshSeconds(const Node& node, const QString& key) const;
    QString homeDirectory() const;
    OpenKlantProfile::Settings parseProfile(const Node& deployment) const;
    void parseHttpEndpoint(const Node& node, OpenKlantProfile::HttpEndpoint& endpoint) const;
    void parseCelerySettings(const Node& node, OpenKlantProfile::CelerySettings& celery) const;
    void parseFlowerSettings(const Node& node, OpenKlantProfile::FlowerSettings& flower) const;
    void parseRedisFields(const Node& node, RedisTarget& target) const;
    void parsePostgresFields(const Node& node, PostgresTarget& target) const;
    ServiceSpec parseService(const Node& node, const ServiceSpec* base) const;
    template<typename Item, typename Parse, typename Visit>
    void mergeNamedList(const Node& node, const QString& key, const QString& elementText, const QString& duplicateText,
                        QList<Item>& items, Parse parse, Visit visit) const;
    CheckSpec parseCheck(const Node& node, const CheckSpec* base, const ExecContext& serviceExec) const;
    void parseHttpTarget(const Node& node, HttpTarget& target) const;
    void parseCeleryPingTarget(const Node& node, CeleryPingTarget& target, bool fresh) const;
    void parseHeartbeatTarget(const Node& node, HeartbeatTarget& target, bool fresh) const;
    void parseFileTarget(const Node& node, FileTarget& target) const;
    void parseExecTarget(const Node& node, ExecTarget& target) const;
    void checkCeleryTimeout(const Node& node, const CheckSpec& check, bool defaultTimeout) const;
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
    // Any value may be a URL with a password, written out or from a variable (DATABASE_URL in
    // the wrong field): never show it.
    const QString shownExpanded = shorten(redactUrlPassword(expanded));
    if (expanded == raw)
        return shownExpanded;
    return tr("%1 (expanded from %2)").arg(shownExpanded, shorten(redactUrlPassword(raw)));
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
        // Digits only (a '-' where negatives are allowed): not "+80", " 80 " or "-0".
        static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
        static const QRegularExpression signedDigits(QStringLiteral("^-?[0-9]+$"));
        bool ok = (min >= 0 ? digits : signedDigits).match(text).hasMatch();
        number = ok ? double(text.toLongLong(&ok)) : 0;
        if (!ok)
            fail(path, tr("expected %1, got %2").arg(range, shown));
    } else {
        expected(path, range, value);
    }
    if (number > double(max)) {
        // "at least 0, got 3000000000" would contradict itself: name the upper end too.
        fail(path, tr("expected %1, got %2").arg(tr("a whole number from %1 to %2").arg(min).arg(max), shown));
    }
    if (!std::isfinite(number) || std::floor(number) != number || number < double(min))
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

RedisTarget DeploymentParser::brokerUrl(const Node& node, const QString& key) const
{
    const QString path = node.pathOf(key);
    const QJsonValue value = node.value(key);
    if (!value.isString())
        expected(path, tr("a Redis URL like \"redis://redis:6379/0\""), value, Secret::Yes);
    // parseRedisUrl's messages never contain the URL, so a password in it stays out of errors.
    const RedisUrlResult parsed = parseRedisUrl(expand(path, value.toString()));
    if (!parsed.ok())
        fail(path, parsed.error);
    return *parsed.target;
}

QStringList DeploymentParser::workerNames(const Node& node, const QString& key) const
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

void DeploymentParser::checkWorkerName(const QString& path, const QString& name, const QString& raw) const
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

QString DeploymentParser::absolutePath(const Node& node, const QString& key) const
{
    const QString path = node.pathOf(key);
    const QString text = *string(node, key);
    if (!text.startsWith(u'/')) {
        fail(path,
             tr("expected an absolute path (starting with /) inside the execution context, got %1; a relative path "
                "would depend on the working directory of the container")
                 .arg(describeText(text, node.value(key).toString())));
    }
    if (text.contains(QChar(0)))
        fail(path, tr("a path cannot contain a NUL character"));
    return text;
}

std::optional<std::chrono::seconds> DeploymentParser::wholeSeconds(const Node& node, const QString& key) const
{
    const auto value = duration(node, key, true);
    if (!value)
        return std::nullopt;
    // maykin-common compares int(now - mtime) with an integer --max-age.
    if (value->count() % 1000 != 0) {
        fail(node.pathOf(key),
             tr("expected a whole number of seconds (file ages are compared in whole seconds), got %1")
                 .arg(formatDuration(*value)));
    }
    return std::chrono::duration_cast<std::chrono::seconds>(*value);
}

void DeploymentParser::parseBasicAuth(const Node& node, QString& user, QString& password) const
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

ExecContext DeploymentParser::parseExecContext(const Node& parent, const QString& key) const
{
    const Node node = object(parent, key);
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
        mergeNamedList(
            node, QStringLiteral("services"), tr("a service object"), tr("duplicate service name %1 (also at %2)"),
            deployment.services,
            [this](const Node& serviceNode, const ServiceSpec* base) { return parseService(serviceNode, base); },
            [&dependsOnPaths](const Node& serviceNode, const QString& serviceName) {
                if (serviceNode.has(QStringLiteral("dependsOn")))
                    dependsOnPaths.insert(serviceName, serviceNode.pathOf(QStringLiteral("dependsOn")));
            });
    }

    if (deployment.services.isEmpty())
        fail(node.path, tr("no services: add a \"profile\" or a \"services\" list"));
    validateDependencies(deployment.services, dependsOnPaths, node.path);
    return deployment;
}

ConnectionSpec DeploymentParser::parseConnection(const Node& node) const
{
    // The type decides which keys are valid, so it is read first.
    const QStringList types{QStringLiteral("direct"), QStringLiteral("ssh")};
    if (!node.has(QStringLiteral("type")))
        missing(node, QStringLiteral("type"), tr("supported: %1").arg(types.join(QStringLiteral(", "))));
    const QString type = oneOf(node, QStringLiteral("type"), types, tr("connection type"));
    ConnectionSpec connection;
    if (type == QLatin1String("ssh")) {
        connection.type = ConnectionSpec::Type::Ssh;
        connection.ssh = parseSshConnection(node);
        return connection;
    }
    for (const QString& key : keysInFileOrder(node)) {
        if (key != QLatin1String("type") && sshConnectionKeys().contains(key)) {
            fail(node.pathOf(key),
                 tr("key %1 applies to ssh connections (\"type\": \"ssh\"); a direct connection takes only \"type\"")
                     .arg(quoted(key)),
                 Anchor::Key);
        }
    }
    checkKeys(node, {QStringLiteral("type")});
    connection.type = ConnectionSpec::Type::Direct;
    return connection;
}

// docs/deployment-file.md, "ssh": the deployment file's keys win over the ssh config's, which
// win over ssh's defaults.
SshSpec DeploymentParser::parseSshConnection(const Node& node) const
{
    refuseSshSecrets(node);
    checkKeys(node, sshConnectionKeys());
    if (node.has(QStringLiteral("jump")) && node.has(QStringLiteral("jumps"))) {
        fail(node.pathOf(QStringLiteral("jumps")),
             tr("give either \"jump\" (one jump host) or \"jumps\" (a chain, the first reached directly), not both"),
             Anchor::Key);
    }
    const std::optional<SshConfigFile> loaded = loadSshConfig(node);
    const SshConfigFile* config = loaded ? &*loaded : nullptr;

    SshSpec spec;
    const ResolvedEndpoint target = parseSshEndpoint(node, config, false);
    spec.target = target.endpoint;

    QList<ResolvedEndpoint> chain;
    const QString hostPath = node.pathOf(QStringLiteral("host"));
    if (node.has(QStringLiteral("jump"))) {
        chain.append(parseSshEndpoint(object(node, QStringLiteral("jump")), config, true));
    } else if (node.has(QStringLiteral("jumps"))) {
        const QJsonArray jumps = array(node, QStringLiteral("jumps"));
        const QString jumpsPath = node.pathOf(QStringLiteral("jumps"));
        for (qsizetype i = 0; i < jumps.size(); ++i) {
            const Node jump = element(jumps, jumpsPath, i, tr("a jump host object like {\"host\": \"bastion\"}"));
            chain.append(parseSshEndpoint(jump, config, true));
        }
    } else if (target.config.proxyJump) {
        chain = proxyJumpChain(*target.config.proxyJump, config, hostPath);
    } else if (const auto& command = target.config.proxyCommand;
               command && command->value().compare(QLatin1String("none"), Qt::CaseInsensitive) != 0) {
        fail(hostPath,
             tr("the ssh config gives %1 a ProxyCommand (%2), which OK Health cannot run; use ProxyJump there, or "
                "give \"jump\" or \"jumps\" here")
                 .arg(quoted(target.alias), command->location()));
    }
    // ssh -J a,b reaches a with a's own ssh config, so a ProxyJump given there comes first.
    followFirstHopProxyJump(chain, target.alias, config, hostPath);
    for (const ResolvedEndpoint& hop : chain)
        spec.jumps.append(hop.endpoint);

    if (auto value = sshSeconds(node, QStringLiteral("keepalive")))
        spec.keepalive = *value;
    if (auto value = sshSeconds(node, QStringLiteral("connectTimeout")))
        spec.connectTimeout = *value;
    qCDebug(lcConfig) << "ssh connection" << node.path << "to" << spec.target.user << spec.target.host
                      << spec.target.port << "through" << spec.jumps.size() << "jump host(s)";
    return spec;
}

// Secrets never go into a deployment file: the agent or a key file logs in, and a key's
// passphrase is asked for when needed (core/transport/SshSession.h, PassphraseSource).
void DeploymentParser::refuseSshSecrets(const Node& node) const
{
    if (node.has(QStringLiteral("password"))) {
        fail(node.pathOf(QStringLiteral("password")),
             tr("SSH passwords are not supported: OK Health logs in with keys only (the agent, then "
                "\"identityFiles\"); install a public key on the server (ssh-copy-id) and, for a key with a "
                "passphrase, load it into ssh-agent"),
             Anchor::Key);
    }
    if (node.has(QStringLiteral("passphrase"))) {
        fail(node.pathOf(QStringLiteral("passphrase")),
             tr("key passphrases are never stored: OK Health asks for one when a key needs it; for unattended "
                "runs, load the key into ssh-agent (ssh-add) and keep \"useAgent\" on"),
             Anchor::Key);
    }
}

QString DeploymentParser::homeDirectory() const
{
    const QString home = m_environment.value(QStringLiteral("HOME"));
    return home.isEmpty() ? QDir::homePath() : QDir::cleanPath(home);
}

// "sshConfig": a file, or "none"; without the key ~/.ssh/config when it exists.
std::optional<SshConfigFile> DeploymentParser::loadSshConfig(const Node& node) const
{
    const QString key = QStringLiteral("sshConfig");
    QString path;
    QString anchor = node.path;
    if (node.has(key)) {
        if (*string(node, key) == QLatin1String("none"))
            return std::nullopt;
        path = localPath(node, key);
        anchor = node.pathOf(key);
    } else {
        path = QDir(homeDirectory()).filePath(QStringLiteral(".ssh/config"));
        if (!QFileInfo::exists(path))
            return std::nullopt;
    }
    auto loaded = SshConfigFile::load(path, homeDirectory());
    if (const auto* error = std::get_if<ConfigError>(&loaded))
        fail(anchor, tr("in the ssh config: %1").arg(error->toString()));
    return std::get<SshConfigFile>(std::move(loaded));
}

ResolvedEndpoint DeploymentParser::parseSshEndpoint(const Node& node, const SshConfigFile* config, bool isJump) const
{
    if (isJump) {
        refuseSshSecrets(node);
        for (const QString& key : keysInFileOrder(node)) {
            if (key == QLatin1String("type") || sshConnectionOnlyKeys().contains(key)) {
                fail(node.pathOf(key),
                     key == QLatin1String("jump") || key == QLatin1String("jumps")
                         ? tr("a jump host cannot have jump hosts of its own here; list the whole chain in the "
                              "connection's \"jumps\", the first reached directly")
                         : tr("key %1 applies to the whole connection; give it next to the connection's \"type\"")
                               .arg(quoted(key)),
                     Anchor::Key);
            }
        }
        checkKeys(node, sshEndpointKeys());
    }
    if (!node.has(QStringLiteral("host")))
        missing(node, QStringLiteral("host"),
                tr("the SSH server's name or address, or a Host alias of the ssh config"));

    ResolvedEndpoint resolved;
    resolved.alias = sshAlias(node, QStringLiteral("host"));
    if (config)
        resolved.config = config->lookup(resolved.alias);

    SshEndpointKeys given;
    given.port = port(node, QStringLiteral("port"));
    if (auto value = string(node, QStringLiteral("user"))) {
        const QString user = *value;
        const bool blank = std::any_of(user.begin(), user.end(), [](QChar c) { return c.isSpace() || c.isNull(); });
        if (user.isEmpty() || blank || user.startsWith(u'-')) {
            fail(node.pathOf(QStringLiteral("user")),
                 tr("expected a user name without spaces that does not start with '-', got %1")
                     .arg(describeText(user, node.value(QStringLiteral("user")).toString())));
        }
        given.user = user;
    }
    if (node.has(QStringLiteral("identityFiles")))
        given.identityFiles = identityFiles(node, QStringLiteral("identityFiles"));
    given.useAgent = boolean(node, QStringLiteral("useAgent"));
    if (node.has(QStringLiteral("knownHostsFile"))) {
        given.knownHostsFile = localPath(node, QStringLiteral("knownHostsFile"));
        if (const QString why = knownHostsProblem(*given.knownHostsFile); !why.isEmpty())
            fail(node.pathOf(QStringLiteral("knownHostsFile")), why);
    }
    if (node.has(QStringLiteral("hostKeyPolicy")))
        given.hostKeyPolicy = hostKeyPolicy(node, QStringLiteral("hostKeyPolicy"));

    resolved.endpoint
        = resolveSshEndpoint(resolved.alias, given, resolved.config, node.pathOf(QStringLiteral("host")), QString());
    return resolved;
}

// The name to look up in the ssh config: a host name, an address or an alias.
QString DeploymentParser::sshAlias(const Node& node, const QString& key) const
{
    const QString path = node.pathOf(key);
    QString alias = *string(node, key);
    const QString shown = describeText(alias, node.value(key).toString());
    // "[::1]" is how URLs write IPv6.
    if (alias.startsWith(u'[') && alias.endsWith(u']'))
        alias = alias.mid(1, alias.size() - 2);
    const bool blank = std::any_of(alias.begin(), alias.end(), [](QChar c) { return c.isSpace() || c.isNull(); });
    if (alias.isEmpty() || blank || alias.startsWith(u'-')) {
        fail(path, tr("expected a host name, an IP address or a Host alias of the ssh config, got %1").arg(shown));
    }
    if (alias.contains(u'@')) {
        fail(path,
             tr("expected a host name without a user, got %1; give the user as \"user\": %2")
                 .arg(shown, quoted(alias.section(u'@', 0, -2))));
    }
    if (alias.count(u':') == 1) {
        fail(path,
             tr("expected a host name without a port, got %1; give the port as \"port\": %2")
                 .arg(shown, alias.section(u':', 1)));
    }
    return alias;
}

// Fills in what `given` leaves open from the ssh config's entry, and ssh's defaults after that.
// Problems with values from the ssh config are reported at `anchor` (the "host" that named the
// alias); `label` says which server they concern when it is not that host.
SshEndpoint DeploymentParser::resolveSshEndpoint(const QString& alias, const SshEndpointKeys& given,
                                                 const SshConfigFile::HostConfig& entry, const QString& anchor,
                                                 const QString& label) const
{
    const auto failHere = [&](const QString& message) {
        fail(anchor, label.isEmpty() ? message : label + QStringLiteral(": ") + message);
    };
    SshEndpoint e;

    // HostName takes %h (the alias) and %% only, as in ssh.c.
    QString hostName = alias;
    if (entry.hostName) {
        hostName.clear();
        const QString text = entry.hostName->value();
        for (qsizetype i = 0; i < text.size(); ++i) {
            if (text.at(i) != u'%') {
                hostName += text.at(i);
                continue;
            }
            const QChar token = i + 1 < text.size() ? text.at(++i) : QChar();
            if (token == u'%')
                hostName += u'%';
            else if (token == u'h')
                hostName += alias;
            else
                failHere(tr("HostName %1 (ssh config %2): only %h and %% may be used there")
                             .arg(quoted(text), entry.hostName->location()));
        }
    }
    // ssh connects to, and looks known_hosts up for, the lower-case name.
    hostName = hostName.toLower();
    if (hostName.startsWith(u'[') && hostName.endsWith(u']'))
        hostName = hostName.mid(1, hostName.size() - 2);
    QUrl check;
    check.setHost(hostName, QUrl::StrictMode);
    if (hostName.isEmpty() || !check.isValid() || check.host().isEmpty()) {
        if (entry.hostName) {
            failHere(tr("HostName %1 (ssh config %2) is not a host name or IP address")
                         .arg(quoted(hostName), entry.hostName->location()));
        }
        failHere(tr("%1 is neither a host name or IP address nor a Host alias of the ssh config").arg(quoted(alias)));
    }
    e.host = hostName;

    if (given.port)
        e.port = *given.port;
    else if (entry.port)
        e.port = SshConfigFile::portNumber(entry.port->value()).value_or(22); // validated while reading it
    e.user = given.user ? *given.user : entry.user ? entry.user->value() : SshConfigFile::localUserName();
    e.useAgent = given.useAgent.value_or(true);

    SshConfigFile::TokenValues tokens;
    tokens.host = e.host;
    tokens.originalHost = alias;
    tokens.port = e.port;
    tokens.remoteUser = e.user;
    tokens.localUser = SshConfigFile::localUserName();
    tokens.homeDirectory = homeDirectory();
    tokens.proxyJump = entry.proxyJump ? entry.proxyJump->value() : QString();
    tokens.environment = m_environment;
    const auto expandSetting = [&](const SshConfigFile::Setting& setting, const char* keyword) {
        QString why;
        const std::optional<QString> path = SshConfigFile::expandPath(setting.value(), tokens, &why);
        if (!path)
            failHere(tr("%1 (ssh config %2): %3").arg(QLatin1String(keyword), setting.location(), why));
        return *path;
    };

    if (given.identityFiles) {
        e.identityFiles = *given.identityFiles;
    } else {
        for (const SshConfigFile::Setting& file : entry.identityFiles)
            e.identityFiles.append(expandSetting(file, "IdentityFile"));
    }
    // ssh reads every file of UserKnownHostsFile; libssh2 reads one, so the first it is.
    if (given.knownHostsFile) {
        e.knownHostsFile = *given.knownHostsFile;
    } else if (entry.userKnownHostsFile) {
        const SshConfigFile::Setting& setting = *entry.userKnownHostsFile;
        if (setting.value().compare(QLatin1String("none"), Qt::CaseInsensitive) == 0) {
            failHere(tr("UserKnownHostsFile none (ssh config %1) is refused: OK Health always checks host keys "
                        "against a known_hosts file; give one with \"knownHostsFile\"")
                         .arg(setting.location()));
        }
        e.knownHostsFile = expandSetting(setting, "UserKnownHostsFile");
        if (const QString why = knownHostsProblem(e.knownHostsFile); !why.isEmpty())
            failHere(tr("UserKnownHostsFile %1 (ssh config %2): %3").arg(setting.value(), setting.location(), why));
    }

    if (given.hostKeyPolicy) {
        e.hostKeyPolicy = *given.hostKeyPolicy;
    } else if (entry.strictHostKeyChecking) {
        // "ask" cannot be honoured without a terminal: an unknown key is refused and its
        // fingerprint shown, as with "yes".
        const QString value = entry.strictHostKeyChecking->value().toLower();
        if (value == QLatin1String("accept-new")) {
            e.hostKeyPolicy = SshEndpoint::HostKeyPolicy::AcceptNew;
        } else if (value == QLatin1String("no") || value == QLatin1String("off") || value == QLatin1String("false")) {
            failHere(tr("StrictHostKeyChecking %1 (ssh config %2) is refused: OK Health always verifies host keys, "
                        "so that a changed key (a reinstalled server, or someone in between) is never accepted; "
                        "set \"hostKeyPolicy\": \"accept-new\" to add unknown keys on first contact, or \"strict\"")
                         .arg(entry.strictHostKeyChecking->value(), entry.strictHostKeyChecking->location()));
        } else {
            e.hostKeyPolicy = SshEndpoint::HostKeyPolicy::Strict;
        }
    }
    return e;
}

// A ProxyJump list from the ssh config, each element looked up in the ssh config again; its
// own user and port win.
QList<ResolvedEndpoint> DeploymentParser::proxyJumpChain(const SshConfigFile::Setting& proxyJump,
                                                         const SshConfigFile* config, const QString& anchor) const
{
    QString why;
    const auto hosts = SshConfigFile::parseProxyJump(proxyJump.value(), &why);
    if (!hosts) // checked while reading the ssh config
        fail(anchor, tr("ProxyJump (ssh config %1): %2").arg(proxyJump.location(), why));
    QList<ResolvedEndpoint> chain;
    for (const SshConfigFile::JumpHost& jump : *hosts) {
        SshEndpointKeys given;
        if (!jump.user.isEmpty())
            given.user = jump.user;
        if (jump.port != 0)
            given.port = jump.port;
        ResolvedEndpoint hop;
        hop.alias = jump.host;
        if (config)
            hop.config = config->lookup(jump.host);
        hop.endpoint = resolveSshEndpoint(
            jump.host, given, hop.config, anchor,
            tr("jump host %1 (ProxyJump in ssh config %2)").arg(quoted(jump.host), proxyJump.location()));
        chain.append(hop);
    }
    return chain;
}

void DeploymentParser::followFirstHopProxyJump(QList<ResolvedEndpoint>& chain, const QString& target,
                                               const SshConfigFile* config, const QString& anchor) const
{
    while (!chain.isEmpty()) {
        const ResolvedEndpoint& first = chain.first();
        if (const auto& command = first.config.proxyCommand;
            command && command->value().compare(QLatin1String("none"), Qt::CaseInsensitive) != 0) {
            fail(anchor,
                 tr("the ssh config gives jump host %1 a ProxyCommand (%2), which OK Health cannot run; use "
                    "ProxyJump there")
                     .arg(quoted(first.alias), command->location()));
        }
        if (!first.config.proxyJump)
            return;
        const QList<ResolvedEndpoint> before = proxyJumpChain(*first.config.proxyJump, config, anchor);
        if (before.isEmpty()) // ProxyJump none
            return;
        // The route in connection order, the deployment's host last.
        QStringList route;
        for (const ResolvedEndpoint& hop : chain)
            route.append(hop.alias);
        route.append(target);
        for (const ResolvedEndpoint& hop : before) {
            if (route.contains(hop.alias) || route.size() > 16) {
                fail(anchor,
                     tr("the ssh config's ProxyJump lines form a loop: %1")
                         .arg((QStringList{hop.alias} + route).join(QStringLiteral(" → "))));
            }
        }
        chain = before + chain;
    }
}

SshEndpoint::HostKeyPolicy DeploymentParser::hostKeyPolicy(const Node& node, const QString& key) const
{
    const QString path = node.pathOf(key);
    const QString value = *string(node, key);
    const QString shown = describeText(value, node.value(key).toString());
    if (value == QLatin1String("strict"))
        return SshEndpoint::HostKeyPolicy::Strict;
    if (value == QLatin1String("accept-new"))
        return SshEndpoint::HostKeyPolicy::AcceptNew;
    if (isInsecureHostKeyPolicy(value)) {
        fail(path,
             tr("host key policy %1 is refused: OK Health always verifies host keys, so that a changed key (a "
                "reinstalled server, or someone in between) is never accepted; use \"strict\" (the key must be in "
                "known_hosts) or \"accept-new\" (an unknown key is added on first contact, a changed one is still "
                "refused)")
                 .arg(shown));
    }
    const QString lower = value.toLower();
    if (lower == QLatin1String("yes") || lower == QLatin1String("true") || lower == QLatin1String("ask")) {
        fail(path,
             tr("unknown host key policy %1; OpenSSH's StrictHostKeyChecking %2 is \"strict\" here (supported: "
                "strict, accept-new)")
                 .arg(shown, lower));
    }
    const QStringList policies{QStringLiteral("strict"), QStringLiteral("accept-new")};
    const QString suggestion = closestMatch(value, policies);
    if (!suggestion.isEmpty()) {
        fail(path,
             tr("unknown host key policy %1; did you mean %2? (supported: strict, accept-new)")
                 .arg(shown, quoted(suggestion)));
    }
    fail(path,
         tr("unknown host key policy %1 (supported: strict, accept-new; host keys are always verified)").arg(shown));
}

QStringList DeploymentParser::identityFiles(const Node& node, const QString& key) const
{
    const QString path = node.pathOf(key);
    const QJsonValue value = node.value(key);
    if (!value.isArray())
        expected(path, tr("an array of private key files like [\"~/.ssh/id_ed25519\"]"), value);
    const QJsonArray list = value.toArray();
    if (list.isEmpty()) {
        fail(path,
             tr("no key files: give at least one, or leave \"%1\" out for ssh's defaults (~/.ssh/id_ed25519, "
                "id_ecdsa, id_rsa)")
                 .arg(key));
    }
    QStringList out;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString elementPath = JsonSourceMap::elementPath(path, i);
        if (!list.at(i).isString())
            expected(elementPath, tr("a private key file"), list.at(i));
        const QString raw = list.at(i).toString();
        const QString file = localPathAt(elementPath, expand(elementPath, raw), raw);
        const QFileInfo info(file);
        if (!info.isFile()) {
            fail(elementPath,
                 info.exists() ? tr("%1 is not a file").arg(file) : tr("no such private key file: %1").arg(file));
        }
        if (out.contains(file))
            fail(elementPath, tr("%1 is listed twice").arg(quoted(file)));
        out.append(file);
    }
    return out;
}

// A known_hosts file that can hold no key (/dev/null, a directory) makes every host key unknown,
// and with accept-new every key accepted: host keys would never be checked.
QString DeploymentParser::knownHostsProblem(const QString& file) const
{
    const QFileInfo info(file);
    if (!QDir::isAbsolutePath(file)) {
        return tr("a relative known_hosts path would depend on the directory OK Health is started in; give an "
                  "absolute one");
    }
    if (file == QLatin1String("/dev/null") || (info.exists() && !info.isFile())) {
        return tr("%1 is not a regular file: no host key could ever be found in it, and with accept-new every key "
                  "would be accepted; give a real known_hosts file")
            .arg(file);
    }
    return {};
}

QString DeploymentParser::localPath(const Node& node, const QString& key) const
{
    const QString text = *string(node, key);
    return localPathAt(node.pathOf(key), text, node.value(key).toString());
}

// A file on this machine: `text` (expanded from `raw`) with a leading ~ expanded; it must then be
// absolute, since a relative path would depend on the directory OK Health was started in.
QString DeploymentParser::localPathAt(const QString& path, const QString& text, const QString& raw) const
{
    if (text.contains(QChar(0)))
        fail(path, tr("a path cannot contain a NUL character"));
    const QString expanded = SshConfigFile::expandTilde(text, homeDirectory());
    if (!QDir::isAbsolutePath(expanded)) {
        fail(path,
             tr("expected an absolute path or one starting with ~/, got %1; a relative path would depend on the "
                "directory OK Health is started in")
                 .arg(describeText(text, raw)));
    }
    return QDir::cleanPath(expanded);
}

std::optional<bool> DeploymentParser::boolean(const Node& node, const QString& key) const
{
    if (!node.has(key))
        return std::nullopt;
    const QJsonValue value = node.value(key);
    if (value.isBool())
        return value.toBool();
    // Strings are accepted so that the value can come from a ${VAR} reference.
    if (value.isString()) {
        const QString text = *string(node, key);
        if (text == QLatin1String("true"))
            return true;
        if (text == QLatin1String("false"))
            return false;
        fail(node.pathOf(key), tr("expected true or false, got %1").arg(describeText(text, value.toString())));
    }
    expected(node.pathOf(key), tr("true or false"), value);
}

// libssh2 counts keepalive intervals and core/transport counts connect timeouts in seconds.
std::optional<std::chrono::seconds> DeploymentParser::sshSeconds(const Node& node, const QString& key) const
{
    const auto value = duration(node, key, true);
    if (!value)
        return std::nullopt;
    if (value->count() % 1000 != 0) {
        fail(node.pathOf(key),
             tr("expected a whole number of seconds (SSH keepalives and connect timeouts are set in seconds), got %1")
                 .arg(formatDuration(*value)));
    }
    return std::chrono::duration_cast<std::chrono::seconds>(*value);
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
                const QString suggestion = profileServiceSuggestion(service, serviceNames);
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
            const QString suggestion = profileServiceSuggestion(service, serviceNames);
            if (!serviceNames.contains(service) && !suggestion.isEmpty()) {
                fail(services.pathOf(service),
                     tr("unknown key %1; did you mean %2?").arg(quoted(service), quoted(suggestion)), Anchor::Key);
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
        if (services.has(QStringLiteral("celery")))
            parseCelerySettings(object(services, QStringLiteral("celery")), settings.celery);
        if (services.has(QStringLiteral("celery-flower")))
            parseFlowerSettings(object(services, QStringLiteral("celery-flower")), settings.flower);
    }
    return settings;
}

void DeploymentParser::parseCelerySettings(const Node& node, OpenKlantProfile::CelerySettings& celery) const
{
    checkKeys(node,
              {QStringLiteral("workerName"), QStringLiteral("workers"), QStringLiteral("broker"),
               QStringLiteral("exec"), QStringLiteral("livenessFile"), QStringLiteral("readinessFile"),
               QStringLiteral("maxAge")});
    if (node.has(QStringLiteral("workerName")) && node.has(QStringLiteral("workers"))) {
        fail(node.pathOf(QStringLiteral("workers")), tr("give either \"workerName\" or \"workers\", not both"),
             Anchor::Key);
    }
    if (auto value = string(node, QStringLiteral("workerName"))) {
        checkWorkerName(node.pathOf(QStringLiteral("workerName")), *value,
                        node.value(QStringLiteral("workerName")).toString());
        celery.workers = QStringList{*value};
    }
    if (node.has(QStringLiteral("workers")))
        celery.workers = workerNames(node, QStringLiteral("workers"));
    if (node.has(QStringLiteral("broker")))
        celery.broker = brokerUrl(node, QStringLiteral("broker"));
    if (node.has(QStringLiteral("exec")))
        celery.exec = parseExecContext(node, QStringLiteral("exec"));
    if (node.has(QStringLiteral("livenessFile")))
        celery.livenessFile = absolutePath(node, QStringLiteral("livenessFile"));
    if (node.has(QStringLiteral("readinessFile")))
        celery.readinessFile = absolutePath(node, QStringLiteral("readinessFile"));
    if (auto value = wholeSeconds(node, QStringLiteral("maxAge")))
        celery.maxAge = *value;
}

void DeploymentParser::parseFlowerSettings(const Node& node, OpenKlantProfile::FlowerSettings& flower) const
{
    checkKeys(node,
              {QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("user"), QStringLiteral("password")});
    if (auto value = host(node, QStringLiteral("host")))
        flower.host = *value;
    if (auto value = port(node, QStringLiteral("port")))
        flower.port = *value;
    parseBasicAuth(node, flower.user, flower.password);
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

// A list of named objects (services, checks): each refines the item of the same name already in
// `items` (from a profile) or is added; a name used twice in the list fails at its second use.
// `visit` sees every element after it was merged.
template<typename Item, typename Parse, typename Visit>
void DeploymentParser::mergeNamedList(const Node& node, const QString& key, const QString& elementText,
                                      const QString& duplicateText, QList<Item>& items, Parse parse, Visit visit) const
{
    const QJsonArray list = array(node, key);
    const QString listPath = node.pathOf(key);
    QHash<QString, QString> seen; // name → path of its first use
    for (qsizetype i = 0; i < list.size(); ++i) {
        const Node itemNode = element(list, listPath, i, elementText);
        const QString itemName = name(itemNode, QStringLiteral("name"));
        const QString namePath = itemNode.pathOf(QStringLiteral("name"));
        if (seen.contains(itemName))
            fail(namePath, duplicateText.arg(quoted(itemName), seen.value(itemName)));
        seen.insert(itemName, namePath);
        const auto existing
            = std::find_if(items.begin(), items.end(), [&itemName](const Item& x) { return x.name == itemName; });
        if (existing != items.end())
            *existing = parse(itemNode, &*existing);
        else
            items.append(parse(itemNode, nullptr));
        visit(itemNode, itemName);
    }
}

ServiceSpec DeploymentParser::parseService(const Node& node, const ServiceSpec* base) const
{
    checkKeys(node,
              {QStringLiteral("name"), QStringLiteral("kind"), QStringLiteral("dependsOn"), QStringLiteral("exec"),
               QStringLiteral("checks")});
    ServiceSpec service = base ? *base : ServiceSpec{};
    service.name = name(node, QStringLiteral("name"));
    if (!base)
        service.kind = QStringLiteral("other");
    if (node.has(QStringLiteral("kind")))
        service.kind = oneOf(node, QStringLiteral("kind"), serviceKinds(), tr("service kind"));
    if (node.has(QStringLiteral("exec"))) {
        service.exec = parseExecContext(node, QStringLiteral("exec"));
        // A profile never gives a check a context of its own: its file and exec checks follow
        // the service. Checks below may still name their own.
        for (CheckSpec& check : service.checks)
            setExecContext(check.target, service.exec);
    }

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
        mergeNamedList(
            node, QStringLiteral("checks"), tr("a check object"), tr("duplicate check name %1 (also at %2)"),
            service.checks,
            [this, &service](const Node& checkNode, const CheckSpec* base) {
                return parseCheck(checkNode, base, service.exec);
            },
            [](const Node&, const QString&) {});
    }
    if (service.checks.isEmpty())
        fail(node.path, tr("service %1 has no checks; add at least one to \"checks\"").arg(quoted(service.name)));
    return service;
}

CheckSpec DeploymentParser::parseCheck(const Node& node, const CheckSpec* base, const ExecContext& serviceExec) const
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
    // A fresh target starts from its type's defaults; otherwise the keys refine the base's.
    const bool fresh = !base || base->typeKey() != type;
    if (fresh)
        check.target = defaultTarget(type, serviceExec);

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
    } else if (type == QLatin1String("celery-ping")) {
        parseCeleryPingTarget(node, std::get<CeleryPingTarget>(check.target), fresh);
    } else if (type == QLatin1String("celery-heartbeat")) {
        parseHeartbeatTarget(node, std::get<HeartbeatTarget>(check.target), fresh);
    } else if (type == QLatin1String("file")) {
        parseFileTarget(node, std::get<FileTarget>(check.target));
    } else if (type == QLatin1String("exec")) {
        parseExecTarget(node, std::get<ExecTarget>(check.target));
    }
    checkCeleryTimeout(node, check, !base && !node.has(QStringLiteral("timeout")));
    return check;
}

void DeploymentParser::parseCeleryPingTarget(const Node& node, CeleryPingTarget& target, bool fresh) const
{
    if (node.has(QStringLiteral("broker")))
        target.broker = brokerUrl(node, QStringLiteral("broker"));
    else if (fresh)
        missing(node, QStringLiteral("broker"),
                tr("a Redis URL like \"redis://redis:6379/0\", the workers' CELERY_BROKER_URL"));
    if (node.has(QStringLiteral("workers")))
        target.workers = workerNames(node, QStringLiteral("workers"));
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

void DeploymentParser::parseHeartbeatTarget(const Node& node, HeartbeatTarget& target, bool fresh) const
{
    if (node.has(QStringLiteral("broker")))
        target.broker = brokerUrl(node, QStringLiteral("broker"));
    else if (fresh)
        missing(node, QStringLiteral("broker"),
                tr("a Redis URL like \"redis://redis:6379/0\", the workers' CELERY_BROKER_URL"));
    if (node.has(QStringLiteral("workers")))
        target.workers = workerNames(node, QStringLiteral("workers"));
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

void DeploymentParser::parseFileTarget(const Node& node, FileTarget& target) const
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

void DeploymentParser::parseExecTarget(const Node& node, ExecTarget& target) const
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
        }
        target.command = command;
    }
    if (target.command.isEmpty())
        missing(node, QStringLiteral("command"), tr("an array like [\"redis-cli\", \"ping\"]"));
}

// Timing rules that depend on the target: the probe must be able to finish within the check's
// timeout (core/probes/CeleryPingProbe.cpp, HeartbeatProbe.cpp).
void DeploymentParser::checkCeleryTimeout(const Node& node, const CheckSpec& check, bool defaultTimeout) const
{
    using namespace std::chrono_literals;
    // The key the message points at: the first of these the check gives, else the check.
    const auto anchor = [&node](std::initializer_list<const char*> keys) {
        for (const char* key : keys) {
            if (node.has(QLatin1String(key)))
                return node.pathOf(QLatin1String(key));
        }
        return node.path;
    };
    const QString defaultNote = defaultTimeout
        ? tr("; set \"timeout\" (the default is %1)").arg(formatDuration(CheckSpec{}.timeout))
        : QString();
    if (const auto* ping = std::get_if<CeleryPingTarget>(&check.target)) {
        const milliseconds needed = ping->replyTimeout + 1s;
        if (check.timeout >= needed)
            return;
        const QString why = ping->workers.isEmpty()
            ? tr("a broadcast ping collects replies until none has come for pingTimeout (%1), then removes its reply "
                 "queue")
                  .arg(formatDuration(ping->replyTimeout))
            : tr("when a named worker stays silent for pingTimeout (%1), the check broadcasts a ping for 1 s more to "
                 "name the workers that do answer, then removes its reply queue")
                  .arg(formatDuration(ping->replyTimeout));
        fail(anchor({"timeout", "pingTimeout"}),
             tr("the check's timeout (%1) must be at least pingTimeout + 1 s (%2): %3%4")
                 .arg(formatDuration(check.timeout), formatDuration(needed), why, defaultNote));
    }
    if (const auto* heartbeat = std::get_if<HeartbeatTarget>(&check.target)) {
        if (heartbeat->listen < check.timeout)
            return;
        fail(anchor({"listen", "timeout"}),
             tr("listen (%1) must be shorter than the check's timeout (%2): the check listens that long and must "
                "still finish in time%3")
                 .arg(formatDuration(heartbeat->listen), formatDuration(check.timeout), defaultNote));
    }
}

// user:pass@ written with a '/', '?' or '#' in the password: the authority (urlsplit's rule:
// up to the first of them) then reads "user:pa" — a port that is not a number — and the '@'
// comes later. An '@' further on after a real port (Flower's ?workername=celery@docker) is fine.
bool DeploymentParser::hasAtAfterAuthority(const QString& url)
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

void DeploymentParser::parseHttpTarget(const Node& node, HttpTarget& target) const
{
    if (node.has(QStringLiteral("url"))) {
        const QString path = node.pathOf(QStringLiteral("url"));
        const QString text = *string(node, QStringLiteral("url"));
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
    // Basic authentication, e.g. for Flower started with --basic-auth=user:password.
    parseBasicAuth(node, target.user, target.password);
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
