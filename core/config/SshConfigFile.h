#pragma once

#include "config/ConfigError.h"

#include <QCoreApplication>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <optional>
#include <variant>

namespace okh {

// An OpenSSH client configuration file (ssh_config(5), usually ~/.ssh/config), read the way
// OpenSSH 9's ssh reads it (readconf.c), for the keywords a deployment's SSH connection takes
// from it (docs/deployment-file.md, "Host aliases from the ssh config"):
// - keywords are case-insensitive; "Keyword value", "Keyword=value" and "Keyword = value";
//   values are split into words as ssh's argv_split does (double or single quotes, backslash
//   escapes, '#' at the start of a word starts a comment);
// - the first value obtained for a keyword wins; IdentityFile accumulates (duplicates once);
//   ProxyJump and ProxyCommand compete: whichever comes first hides the other;
// - a Host line holds whitespace-separated patterns with '*' and '?' wildcards, matched
//   case-sensitively against the name as given; a matching "!pattern" turns the block off;
// - Match blocks are skipped: their lines never apply (ssh would evaluate the criteria);
// - Include is followed: globs, relative paths are under ~/.ssh, an Include inside a block
//   applies only when the block does, at most 16 levels deep.
// As with ssh, a malformed line (no argument, bad quotes, a bad Port, StrictHostKeyChecking or
// ProxyJump) makes the whole file unusable, whichever host it is read for. Other keywords are
// not interpreted.
class SshConfigFile
{
    Q_DECLARE_TR_FUNCTIONS(okh::SshConfigFile)
public:
    using Result = std::variant<SshConfigFile, ConfigError>;

    // One keyword's value as written (quotes removed, tokens not yet expanded), and where.
    struct Setting
    {
        QStringList arguments; // at least one
        QString file;
        int line = 0;

        QString value() const { return arguments.value(0); }
        QString location() const; // "file:line"
    };

    // What the file says for one host name; unset when no applicable line gives the keyword.
    struct HostConfig
    {
        std::optional<Setting> hostName;
        std::optional<Setting> port; // validated: 1–65535
        std::optional<Setting> user;
        QList<Setting> identityFiles; // in file order
        std::optional<Setting> userKnownHostsFile; // one or more files
        std::optional<Setting> proxyJump; // validated by parseProxyJump
        std::optional<Setting> proxyCommand;
        std::optional<Setting> strictHostKeyChecking; // validated: yes, no, ask, accept-new, off, true, false
    };

    // One element of a ProxyJump list: [user@]host[:port] or ssh://[user@]host[:port].
    struct JumpHost
    {
        QString user; // empty: not given
        QString host; // IPv6 without brackets
        quint16 port = 0; // 0: not given
        friend bool operator==(const JumpHost&, const JumpHost&) = default;
    };

    // The values the %-tokens of IdentityFile and UserKnownHostsFile stand for.
    struct TokenValues
    {
        QString host; // %h: the host name to connect to (after HostName)
        QString originalHost; // %n and %k: the name as given
        quint16 port = 22; // %p
        QString remoteUser; // %r
        QString localUser; // %u
        QString homeDirectory; // %d, and ~
        QString proxyJump; // %j: the ProxyJump list as written, or empty
        QProcessEnvironment environment; // ${NAME}
    };

    // `homeDirectory` stands for ~ and holds the .ssh directory relative Include paths are in.
    static Result load(const QString& path, const QString& homeDirectory);
    // `fileName` only labels errors; Include lines still read files.
    static Result parse(const QByteArray& text, const QString& fileName, const QString& homeDirectory);

    HostConfig lookup(const QString& host) const;

    // Every file read, the loaded one first, then included ones in the order they were read.
    QStringList files() const;

    // A Port value as ssh's a2port reads it: 1–65535, or a service name (/etc/services, tcp).
    static std::optional<quint16> portNumber(const QString& value);
    // ssh's match_pattern: '*' any run of characters, '?' one character, case-sensitive.
    static bool matchesPattern(const QString& text, const QString& pattern);
    // A Host line: some pattern matches and no "!pattern" does.
    static bool matchesHostPatterns(const QString& host, const QStringList& patterns);
    // "~" and "~/…" become the home directory, "~user/…" that user's; anything else is returned
    // as it is.
    static QString expandTilde(const QString& path, const QString& homeDirectory);
    // As ssh expands IdentityFile and UserKnownHostsFile: a leading ~, then ${NAME}, then the
    // tokens %%, %d, %h, %i, %k, %L, %l, %n, %p, %r, %u and %j. nullopt with *error (translated)
    // for an unknown token, a lone '%' or an unset variable.
    static std::optional<QString> expandPath(const QString& text, const TokenValues& values, QString* error);
    // "none" is the empty list. nullopt with *error for a malformed element.
    static std::optional<QList<JumpHost>> parseProxyJump(const QString& text, QString* error);
    // The account ssh logs in as when nothing names a user (getpwuid, as ssh does).
    static QString localUserName();

private:
    friend class SshConfigReader;

    struct Directive
    {
        QString keyword; // lower case
        QStringList arguments;
        int line = 0;
        QList<int> includes; // documents read by an Include line
    };
    struct Document
    {
        QString file;
        QList<Directive> directives;
    };

    void apply(int document, const QString& host, HostConfig& out) const;

    QList<Document> m_documents; // [0] is the file itself
};

} // namespace okh
