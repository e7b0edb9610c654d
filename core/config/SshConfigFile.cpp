#include "SshConfigFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSysInfo>
#include <arpa/inet.h>
#include <glob.h>
#include <netdb.h>
#include <pwd.h>
#include <unistd.h>

namespace okh {

namespace {

// OpenSSH's READCONF_MAX_DEPTH.
constexpr int maxIncludeDepth = 16;

// A file this large is not an ssh config.
constexpr qint64 maxFileSize = 4 * 1024 * 1024;

bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t';
}

// 1-based, in code points, like ConfigError's columns.
int columnOf(const QString& line, qsizetype index)
{
    int column = 1;
    for (qsizetype i = 0; i < index && i < line.size(); ++i) {
        if (!line.at(i).isLowSurrogate())
            ++column;
    }
    return column;
}

struct Word
{
    QString text;
    qsizetype start = 0; // index in the line
};

// ssh's argv_split(…, terminate_on_comment = 1) (misc.c): words separated by blanks; double
// or single quotes group (also in the middle of a word); \" \' \\ and, outside quotes, "\ "
// escape; an unquoted '#' at the start of a word ends the line. False: a quote is not closed.
bool splitWords(const QString& line, qsizetype from, QList<Word>& words)
{
    qsizetype i = from;
    while (i < line.size()) {
        if (isBlank(line.at(i))) {
            ++i;
            continue;
        }
        if (line.at(i) == u'#')
            break;
        Word word;
        word.start = i;
        QChar quote;
        for (; i < line.size(); ++i) {
            const QChar c = line.at(i);
            const QChar next = i + 1 < line.size() ? line.at(i + 1) : QChar();
            if (c == u'\\') {
                if (next == u'\'' || next == u'"' || next == u'\\' || (quote.isNull() && next == u' ')) {
                    ++i;
                    word.text += next;
                } else {
                    word.text += c;
                }
            } else if (quote.isNull() && isBlank(c)) {
                break;
            } else if (quote.isNull() && (c == u'"' || c == u'\'')) {
                quote = c;
            } else if (!quote.isNull() && c == quote) {
                quote = QChar();
            } else {
                word.text += c;
            }
        }
        if (!quote.isNull())
            return false;
        words.append(word);
    }
    return true;
}

bool isKeyword(const QString& keyword, std::initializer_list<const char*> names)
{
    for (const char* name : names) {
        if (keyword == QLatin1String(name))
            return true;
    }
    return false;
}

QString quoted(const QString& text)
{
    return u'"' + text + u'"';
}

} // namespace

// Reads a file and what it includes into SshConfigFile's documents.
class SshConfigReader
{
    Q_DECLARE_TR_FUNCTIONS(okh::SshConfigFile)
public:
    SshConfigReader(SshConfigFile& config, const QString& homeDirectory)
        : m_config(config)
        , m_home(homeDirectory)
    { }

    bool readFile(const QString& path, int depth, const QString& includedFrom, int includeLine)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            if (includedFrom.isEmpty())
                return fail({path, 0, 0, {}, tr("cannot read the file: %1").arg(file.errorString())});
            return fail({includedFrom,
                         includeLine,
                         0,
                         {},
                         tr("cannot read the included file %1: %2").arg(path, file.errorString())});
        }
        if (file.size() > maxFileSize)
            return fail({path, 0, 0, {}, tr("the file is larger than 4 MiB; is it an ssh config?")});
        // As OpenSSH ("Bad owner or permissions"): the file decides host names, known_hosts
        // files and jump hosts, so nobody else may be able to change it.
        const QFileInfo info(path);
        if ((info.ownerId() != 0 && info.ownerId() != ::getuid())
            || (info.permissions() & (QFileDevice::WriteGroup | QFileDevice::WriteOther))) {
            return fail({path,
                         0,
                         0,
                         {},
                         tr("bad owner or permissions: the file must belong to you or root and not be writable "
                            "by group or others (OpenSSH refuses it too); chmod go-w")});
        }
        return read(file.readAll(), path, depth);
    }

    bool read(const QByteArray& text, const QString& fileName, int depth)
    {
        const int index = int(m_config.m_documents.size());
        m_config.m_documents.append({fileName, {}});
        QList<SshConfigFile::Directive> directives;
        const QStringList lines = QString::fromUtf8(text).split(u'\n');
        for (qsizetype n = 0; n < lines.size(); ++n) {
            SshConfigFile::Directive directive;
            directive.line = int(n) + 1;
            bool empty = false;
            if (!readLine(lines.at(n), fileName, depth, directive, empty))
                return false;
            if (!empty)
                directives.append(directive);
        }
        m_config.m_documents[index].directives = directives;
        return true;
    }

private:
    bool fail(const ConfigError& error)
    {
        m_error = error;
        return false;
    }

    bool readLine(QString line, const QString& file, int depth, SshConfigFile::Directive& directive, bool& empty)
    {
        // readconf.c strips trailing whitespace (a CR of a CRLF file too) first.
        while (!line.isEmpty() && (line.back().isSpace()))
            line.chop(1);
        qsizetype i = 0;
        while (i < line.size() && isBlank(line.at(i)))
            ++i;
        if (i == line.size() || line.at(i) == u'#') {
            empty = true;
            return true;
        }
        const qsizetype keywordStart = i;
        while (i < line.size() && !isBlank(line.at(i)) && line.at(i) != u'=')
            ++i;
        const QString keyword = line.mid(keywordStart, i - keywordStart).toLower();
        // "Keyword value", "Keyword=value", "Keyword = value": one '=' may separate.
        while (i < line.size() && isBlank(line.at(i)))
            ++i;
        if (i < line.size() && line.at(i) == u'=') {
            ++i;
            while (i < line.size() && isBlank(line.at(i)))
                ++i;
        }
        const auto failAt = [&](qsizetype at, const QString& message) {
            return fail({file, directive.line, columnOf(line, at), {}, message});
        };
        const QString shownKeyword = line.mid(keywordStart, keyword.size());
        if (i == line.size())
            return failAt(keywordStart, tr("no argument after keyword %1").arg(quoted(shownKeyword)));
        QList<Word> words;
        if (!splitWords(line, i, words))
            return failAt(i, tr("invalid quotes: a quote is not closed"));
        if (words.isEmpty() || words.first().text.isEmpty())
            return failAt(i, tr("no argument after keyword %1").arg(quoted(shownKeyword)));
        directive.keyword = keyword;
        for (const Word& word : words)
            directive.arguments.append(word.text);

        // One value each; ssh refuses the rest of the line ("extra arguments at end of line").
        if (isKeyword(keyword, {"hostname", "port", "user", "identityfile", "proxyjump", "stricthostkeychecking"})
            && words.size() > 1) {
            return failAt(words.at(1).start, tr("%1 takes one value; quote a value with spaces").arg(shownKeyword));
        }
        const QString value = words.first().text;
        const qsizetype valueStart = words.first().start;
        if (keyword == QLatin1String("host")) {
            for (const Word& word : words) {
                if (word.text.isEmpty() || word.text == QLatin1String("!"))
                    return failAt(word.start, tr("Host: an empty pattern"));
            }
        } else if (keyword == QLatin1String("port")) {
            if (!SshConfigFile::portNumber(value)) {
                return failAt(valueStart,
                              tr("Port: expected a port from 1 to 65535 or a service name, got %1").arg(quoted(value)));
            }
        } else if (keyword == QLatin1String("stricthostkeychecking")) {
            static const QStringList values{QStringLiteral("yes"),        QStringLiteral("no"),  QStringLiteral("ask"),
                                            QStringLiteral("accept-new"), QStringLiteral("off"), QStringLiteral("true"),
                                            QStringLiteral("false")};
            if (!values.contains(value.toLower())) {
                return failAt(valueStart,
                              tr("StrictHostKeyChecking: unknown value %1 (ssh takes: %2)")
                                  .arg(quoted(value), values.join(QStringLiteral(", "))));
            }
        } else if (keyword == QLatin1String("proxyjump")) {
            QString why;
            if (!SshConfigFile::parseProxyJump(value, &why))
                return failAt(valueStart, tr("ProxyJump: %1").arg(why));
        } else if (keyword == QLatin1String("include")) {
            for (const Word& word : words) {
                if (!include(word.text, file, directive, depth))
                    return false;
            }
        }
        return true;
    }

    bool include(const QString& pattern, const QString& file, SshConfigFile::Directive& directive, int depth)
    {
        if (depth >= maxIncludeDepth) {
            return fail(
                {file,
                 directive.line,
                 0,
                 {},
                 tr("Include: nested more than %1 levels deep; does a file include itself?").arg(maxIncludeDepth)});
        }
        QString path = SshConfigFile::expandTilde(pattern, m_home);
        // ssh_config(5): "Files without absolute paths are assumed to be in ~/.ssh".
        if (!QDir::isAbsolutePath(path))
            path = QDir(m_home).filePath(QStringLiteral(".ssh/") + path);
        glob_t matches{};
        const int rc = ::glob(QFile::encodeName(path).constData(), 0, nullptr, &matches);
        QStringList files;
        if (rc == 0) {
            for (size_t k = 0; k < matches.gl_pathc; ++k)
                files.append(QFile::decodeName(matches.gl_pathv[k]));
        }
        globfree(&matches);
        if (rc != 0 && rc != GLOB_NOMATCH)
            return fail({file, directive.line, 0, {}, tr("Include: cannot expand %1").arg(quoted(pattern))});
        for (const QString& match : files) {
            if (QFileInfo(match).isDir())
                continue;
            directive.includes.append(int(m_config.m_documents.size()));
            if (!readFile(match, depth + 1, file, directive.line))
                return false;
        }
        return true;
    }

public:
    const std::optional<ConfigError>& error() const { return m_error; }

private:
    std::optional<ConfigError> m_error;
    SshConfigFile& m_config;
    QString m_home;
};

QString SshConfigFile::Setting::location() const
{
    return file + u':' + QString::number(line);
}

std::optional<quint16> SshConfigFile::portNumber(const QString& value)
{
    bool ok = false;
    const uint port = value.toUInt(&ok);
    if (ok)
        return port >= 1 && port <= 65535 ? std::optional<quint16>(quint16(port)) : std::nullopt;
    if (value.isEmpty() || value.at(0).isDigit())
        return std::nullopt;
    // getservbyname_r: the reentrant form, for a parser that may run on any thread.
    servent entry{};
    servent* found = nullptr;
    char buffer[1024];
    if (::getservbyname_r(value.toLocal8Bit().constData(), "tcp", &entry, buffer, sizeof buffer, &found) != 0 || !found)
        return std::nullopt;
    return quint16(ntohs(quint16(found->s_port)));
}

SshConfigFile::Result SshConfigFile::load(const QString& path, const QString& homeDirectory)
{
    SshConfigFile config;
    SshConfigReader reader(config, homeDirectory);
    if (!reader.readFile(path, 0, {}, 0))
        return *reader.error();
    return config;
}

SshConfigFile::Result SshConfigFile::parse(const QByteArray& text, const QString& fileName,
                                           const QString& homeDirectory)
{
    SshConfigFile config;
    SshConfigReader reader(config, homeDirectory);
    if (!reader.read(text, fileName, 0))
        return *reader.error();
    return config;
}

QStringList SshConfigFile::files() const
{
    QStringList out;
    for (const Document& document : m_documents)
        out.append(document.file);
    return out;
}

SshConfigFile::HostConfig SshConfigFile::lookup(const QString& host) const
{
    HostConfig out;
    if (!m_documents.isEmpty())
        apply(0, host, out);
    return out;
}

// readconf.c's process_config_line for one document: lines before the first Host apply to
// every host; a Host line turns the following lines on or off; an included file starts on
// and cannot change the including file's state.
void SshConfigFile::apply(int document, const QString& host, HostConfig& out) const
{
    bool active = true;
    for (const Directive& d : m_documents.at(document).directives) {
        if (d.keyword == QLatin1String("host")) {
            active = matchesHostPatterns(host, d.arguments);
            continue;
        }
        if (d.keyword == QLatin1String("match")) {
            active = false;
            continue;
        }
        if (!active)
            continue;
        if (d.keyword == QLatin1String("include")) {
            for (int child : d.includes)
                apply(child, host, out);
            continue;
        }
        const Setting setting{d.arguments, m_documents.at(document).file, d.line};
        const auto first = [&setting](std::optional<Setting>& slot) {
            if (!slot)
                slot = setting;
        };
        if (d.keyword == QLatin1String("hostname")) {
            first(out.hostName);
        } else if (d.keyword == QLatin1String("port")) {
            first(out.port);
        } else if (d.keyword == QLatin1String("user")) {
            first(out.user);
        } else if (d.keyword == QLatin1String("userknownhostsfile")) {
            first(out.userKnownHostsFile);
        } else if (d.keyword == QLatin1String("stricthostkeychecking")) {
            first(out.strictHostKeyChecking);
        } else if (d.keyword == QLatin1String("identityfile")) {
            const bool seen = std::any_of(out.identityFiles.begin(), out.identityFiles.end(),
                                          [&setting](const Setting& s) { return s.value() == setting.value(); });
            if (!seen)
                out.identityFiles.append(setting);
        } else if (d.keyword == QLatin1String("proxyjump") || d.keyword == QLatin1String("proxycommand")) {
            if (out.proxyJump || out.proxyCommand)
                continue;
            if (d.keyword == QLatin1String("proxyjump"))
                out.proxyJump = setting;
            else
                out.proxyCommand = setting;
        }
    }
}

bool SshConfigFile::matchesPattern(const QString& text, const QString& pattern)
{
    // Iterative glob match with one backtrack point for the last '*'.
    qsizetype t = 0;
    qsizetype p = 0;
    qsizetype starPattern = -1;
    qsizetype starText = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern.at(p) == u'?' || pattern.at(p) == text.at(t))) {
            ++t;
            ++p;
        } else if (p < pattern.size() && pattern.at(p) == u'*') {
            starPattern = p++;
            starText = t;
        } else if (starPattern >= 0) {
            p = starPattern + 1;
            t = ++starText;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern.at(p) == u'*')
        ++p;
    return p == pattern.size();
}

bool SshConfigFile::matchesHostPatterns(const QString& host, const QStringList& patterns)
{
    bool matched = false;
    for (const QString& pattern : patterns) {
        const bool negated = pattern.startsWith(u'!');
        if (!matchesPattern(host, negated ? pattern.mid(1) : pattern))
            continue;
        if (negated)
            return false;
        matched = true;
    }
    return matched;
}

QString SshConfigFile::expandTilde(const QString& path, const QString& homeDirectory)
{
    if (!path.startsWith(u'~'))
        return path;
    const qsizetype slash = path.indexOf(u'/');
    const QString name = path.mid(1, slash < 0 ? -1 : slash - 1);
    const QString rest = slash < 0 ? QString() : path.mid(slash);
    if (name.isEmpty())
        return QDir::cleanPath(homeDirectory + rest);
    const QByteArray encoded = name.toLocal8Bit();
    if (const passwd* entry = ::getpwnam(encoded.constData()))
        return QDir::cleanPath(QFile::decodeName(entry->pw_dir) + rest);
    return path;
}

std::optional<QString> SshConfigFile::expandPath(const QString& text, const TokenValues& values, QString* error)
{
    const QString tilde = expandTilde(text, values.homeDirectory);

    // ${NAME} (misc.c dollar_expand); a '$' not followed by '{' is itself.
    QString dollar;
    for (qsizetype i = 0; i < tilde.size(); ++i) {
        if (tilde.at(i) != u'$' || i + 1 >= tilde.size() || tilde.at(i + 1) != u'{') {
            dollar += tilde.at(i);
            continue;
        }
        const qsizetype end = tilde.indexOf(u'}', i + 2);
        if (end < 0) {
            *error = tr("an unterminated ${ in %1").arg(quoted(text));
            return std::nullopt;
        }
        const QString name = tilde.mid(i + 2, end - i - 2);
        if (name.isEmpty() || !values.environment.contains(name)) {
            *error = tr("environment variable %1 is not set").arg(name);
            return std::nullopt;
        }
        dollar += values.environment.value(name);
        i = end;
    }

    const QString localHost = QSysInfo::machineHostName();
    QString out;
    for (qsizetype i = 0; i < dollar.size(); ++i) {
        if (dollar.at(i) != u'%') {
            out += dollar.at(i);
            continue;
        }
        if (i + 1 >= dollar.size()) {
            *error = tr("a lone '%' at the end of %1; write %% for a percent sign").arg(quoted(text));
            return std::nullopt;
        }
        const QChar token = dollar.at(++i);
        switch (token.unicode()) {
        case u'%':
            out += u'%';
            break;
        case u'd':
            out += values.homeDirectory;
            break;
        case u'h':
            out += values.host;
            break;
        case u'i':
            out += QString::number(::getuid());
            break;
        case u'k':
        case u'n':
            out += values.originalHost;
            break;
        case u'L':
            out += localHost.section(u'.', 0, 0);
            break;
        case u'l':
            out += localHost;
            break;
        case u'p':
            out += QString::number(values.port);
            break;
        case u'r':
            out += values.remoteUser;
            break;
        case u'u':
            out += values.localUser;
            break;
        case u'j':
            out += values.proxyJump;
            break;
        default:
            *error = tr("unsupported token %1 in %2 (supported: %%, %d, %h, %i, %k, %L, %l, %n, %p, %r, %u, %j)")
                         .arg(QStringLiteral("%") + token, quoted(text));
            return std::nullopt;
        }
    }
    return out;
}

std::optional<QList<SshConfigFile::JumpHost>> SshConfigFile::parseProxyJump(const QString& text, QString* error)
{
    QList<JumpHost> hosts;
    if (text.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return hosts;
    const QStringList elements = text.split(u',');
    for (const QString& element : elements) {
        QString rest = element;
        if (rest.startsWith(QLatin1String("ssh://"))) {
            rest = rest.mid(6);
            if (rest.endsWith(u'/'))
                rest.chop(1);
        }
        JumpHost jump;
        // The last '@' ends the user, as ssh's parse_user_host_port.
        const qsizetype at = rest.lastIndexOf(u'@');
        if (at >= 0) {
            jump.user = rest.left(at);
            rest = rest.mid(at + 1);
            if (jump.user.isEmpty()) {
                *error = tr("an empty user name in %1").arg(quoted(element));
                return std::nullopt;
            }
        }
        QString port;
        if (rest.startsWith(u'[')) {
            const qsizetype close = rest.indexOf(u']');
            const QString after = close < 0 ? QString() : rest.mid(close + 1);
            if (close < 0 || (!after.isEmpty() && !after.startsWith(u':'))) {
                *error = tr("%1 is not [user@]host[:port]").arg(quoted(element));
                return std::nullopt;
            }
            jump.host = rest.mid(1, close - 1);
            port = after.mid(1);
            if (after == QLatin1String(":"))
                port = QStringLiteral(":"); // an empty port: invalid below
        } else if (rest.count(u':') == 1) {
            jump.host = rest.section(u':', 0, 0);
            port = rest.section(u':', 1);
            if (port.isEmpty())
                port = QStringLiteral(":");
        } else {
            jump.host = rest; // no port, or a bare IPv6 address
        }
        if (jump.host.isEmpty()) {
            *error = element.isEmpty() ? tr("an empty element in %1").arg(quoted(text))
                                       : tr("no host in %1").arg(quoted(element));
            return std::nullopt;
        }
        if (!port.isEmpty()) {
            bool ok = false;
            const uint number = port.toUInt(&ok);
            if (!ok || number < 1 || number > 65535) {
                *error = tr("bad port in %1").arg(quoted(element));
                return std::nullopt;
            }
            jump.port = quint16(number);
        }
        hosts.append(jump);
    }
    return hosts;
}

QString SshConfigFile::localUserName()
{
    if (const passwd* entry = ::getpwuid(::getuid()))
        return QFile::decodeName(entry->pw_name);
    return qEnvironmentVariable("USER");
}

} // namespace okh
