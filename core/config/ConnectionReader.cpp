#include "ConnectionReader.h"

#include "util/ClosestMatch.h"
#include "util/Durations.h"
#include "util/LogCategories.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

namespace okh {

namespace {

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

} // namespace

ConnectionSpec ConnectionReader::parseConnection(const ConfigNode& node) const
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
SshSpec ConnectionReader::parseSshConnection(const ConfigNode& node) const
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
            const ConfigNode jump = element(jumps, jumpsPath, i, tr("a jump host object like {\"host\": \"bastion\"}"));
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
void ConnectionReader::refuseSshSecrets(const ConfigNode& node) const
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

// "sshConfig": a file, or "none"; without the key ~/.ssh/config when it exists.
std::optional<SshConfigFile> ConnectionReader::loadSshConfig(const ConfigNode& node) const
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

ConnectionReader::ResolvedEndpoint ConnectionReader::parseSshEndpoint(const ConfigNode& node,
                                                                      const SshConfigFile* config, bool isJump) const
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
QString ConnectionReader::sshAlias(const ConfigNode& node, const QString& key) const
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
SshEndpoint ConnectionReader::resolveSshEndpoint(const QString& alias, const SshEndpointKeys& given,
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
    tokens.environment = environment();
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
QList<ConnectionReader::ResolvedEndpoint> ConnectionReader::proxyJumpChain(const SshConfigFile::Setting& proxyJump,
                                                                           const SshConfigFile* config,
                                                                           const QString& anchor) const
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

void ConnectionReader::followFirstHopProxyJump(QList<ResolvedEndpoint>& chain, const QString& target,
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

SshEndpoint::HostKeyPolicy ConnectionReader::hostKeyPolicy(const ConfigNode& node, const QString& key) const
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

QStringList ConnectionReader::identityFiles(const ConfigNode& node, const QString& key) const
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
QString ConnectionReader::knownHostsProblem(const QString& file) const
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

// libssh2 counts keepalive intervals and core/transport counts connect timeouts in seconds.
std::optional<std::chrono::seconds> ConnectionReader::sshSeconds(const ConfigNode& node, const QString& key) const
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

} // namespace okh
