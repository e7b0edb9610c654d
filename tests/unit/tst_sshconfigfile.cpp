#include "TestSupport.h"
#include "config/SshConfigFile.h"

#include <QDir>
#include <QFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using okh::ConfigError;
using okh::SshConfigFile;

namespace {

// What lookup() found, one "keyword=arguments" line per setting, in a fixed order.
QStringList render(const SshConfigFile::HostConfig& config)
{
    QStringList out;
    const auto add = [&out](const char* keyword, const std::optional<SshConfigFile::Setting>& setting) {
        if (setting)
            out << QLatin1String(keyword) + u'=' + setting->arguments.join(u' ');
    };
    add("hostname", config.hostName);
    add("port", config.port);
    add("user", config.user);
    for (const auto& file : config.identityFiles)
        out << QStringLiteral("identityfile=") + file.value();
    add("userknownhostsfile", config.userKnownHostsFile);
    add("proxyjump", config.proxyJump);
    add("proxycommand", config.proxyCommand);
    add("stricthostkeychecking", config.strictHostKeyChecking);
    return out;
}

QString describe(const SshConfigFile::Result& result)
{
    if (const auto* error = std::get_if<ConfigError>(&result))
        return error->toString();
    return QStringLiteral("(read without error)");
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

// Shared by the lookup rows and the comparison with the real ssh: every rule of the format
// that ssh -G can show. Paths are absolute, so ssh reads nothing of the account it runs as.
QByteArray referenceConfig()
{
    return QByteArrayLiteral("# lines before the first Host apply to every host\n"
                             "UserKnownHostsFile /kh/global\n"
                             "Host web-* !web-internal\n"
                             "    HostName %h.example.org\n"
                             "    Port 2201\n"
                             "Host web-?\n"
                             "    Port 2202\n"
                             "    IdentityFile /keys/web\n"
                             "Host = db   cache\n"
                             "    HOSTNAME=10.0.0.5\n"
                             "    user \"db admin\"\n"
                             "    IdentityFile \"/keys/with space\"\n"
                             "    IdentityFile /keys/db # a comment\n"
                             "Host bastion\n"
                             "\thostname Bastion.Example.ORG\n"
                             "\tStrictHostKeyChecking accept-new\n"
                             "\tProxyJump ssh://jump@outer:2022,[::1]:23\n"
                             "Match host never-matches-anything\n"
                             "    Port 9999\n"
                             "Host web-internal\n"
                             "    ProxyCommand nc %h %p\n"
                             "    ProxyJump bastion\n"
                             "Host *\n"
                             "    IdentityFile /keys/default\n"
                             "    IdentityFile /keys/web\n"
                             "    UserKnownHostsFile /kh/one /kh/two\n"
                             "    StrictHostKeyChecking yes\n"
                             "    Port 22\n");
}

} // namespace

// ssh_config(5) as OpenSSH 9 reads it, for the keywords an ssh connection takes from it
// (docs/deployment-file.md, "Host aliases from the ssh config").
class TestSshConfigFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void lookup_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QStringList>("expected");

        const QByteArray reference = referenceConfig();
        QTest::newRow("pattern with *, a later ? block adds, first value wins")
            << reference << QStringLiteral("web-1")
            << QStringList{
                   QStringLiteral("hostname=%h.example.org"),       QStringLiteral("port=2201"),
                   QStringLiteral("identityfile=/keys/web"),        QStringLiteral("identityfile=/keys/default"),
                   QStringLiteral("userknownhostsfile=/kh/global"), QStringLiteral("stricthostkeychecking=yes")};
        QTest::newRow("? matches one character only")
            << reference << QStringLiteral("web-12")
            << QStringList{
                   QStringLiteral("hostname=%h.example.org"),       QStringLiteral("port=2201"),
                   QStringLiteral("identityfile=/keys/default"),    QStringLiteral("identityfile=/keys/web"),
                   QStringLiteral("userknownhostsfile=/kh/global"), QStringLiteral("stricthostkeychecking=yes")};
        QTest::newRow("negated pattern turns the block off; ProxyCommand first hides ProxyJump")
            << reference << QStringLiteral("web-internal")
            << QStringList{QStringLiteral("port=22"),
                           QStringLiteral("identityfile=/keys/default"),
                           QStringLiteral("identityfile=/keys/web"),
                           QStringLiteral("userknownhostsfile=/kh/global"),
                           QStringLiteral("proxycommand=nc %h %p"),
                           QStringLiteral("stricthostkeychecking=yes")};
        QTest::newRow("Host=, several patterns, keyword case, key=value, quotes, comment")
            << reference << QStringLiteral("cache")
            << QStringList{QStringLiteral("hostname=10.0.0.5"),
                           QStringLiteral("port=22"),
                           QStringLiteral("user=db admin"),
                           QStringLiteral("identityfile=/keys/with space"),
                           QStringLiteral("identityfile=/keys/db"),
                           QStringLiteral("identityfile=/keys/default"),
                           QStringLiteral("identityfile=/keys/web"),
                           QStringLiteral("userknownhostsfile=/kh/global"),
                           QStringLiteral("stricthostkeychecking=yes")};
        QTest::newRow("host names match case-sensitively")
            << reference << QStringLiteral("DB")
            << QStringList{QStringLiteral("port=22"), QStringLiteral("identityfile=/keys/default"),
                           QStringLiteral("identityfile=/keys/web"), QStringLiteral("userknownhostsfile=/kh/global"),
                           QStringLiteral("stricthostkeychecking=yes")};
        QTest::newRow("tabs; the Match block is skipped")
            << reference << QStringLiteral("bastion")
            << QStringList{QStringLiteral("hostname=Bastion.Example.ORG"),
                           QStringLiteral("port=22"),
                           QStringLiteral("identityfile=/keys/default"),
                           QStringLiteral("identityfile=/keys/web"),
                           QStringLiteral("userknownhostsfile=/kh/global"),
                           QStringLiteral("proxyjump=ssh://jump@outer:2022,[::1]:23"),
                           QStringLiteral("stricthostkeychecking=accept-new")};
        QTest::newRow("a Match block's lines never apply")
            << QByteArrayLiteral("Match all\n  Port 2022\nHost *\n  Port 2023\n") << QStringLiteral("x")
            << QStringList{QStringLiteral("port=2023")};
        QTest::newRow("a negation alone matches nothing")
            << QByteArrayLiteral("Host !other\n  Port 2022\n") << QStringLiteral("x") << QStringList{};
        QTest::newRow("a negation wins over an earlier match")
            << QByteArrayLiteral("Host * !x\n  Port 2022\n") << QStringLiteral("x") << QStringList{};
        QTest::newRow("a negation wins over a later match")
            << QByteArrayLiteral("Host !x *\n  Port 2022\n") << QStringLiteral("x") << QStringList{};
        QTest::newRow("no Host line: every line applies")
            << QByteArrayLiteral("Port 2022\nUser deploy\n") << QStringLiteral("anything")
            << QStringList{QStringLiteral("port=2022"), QStringLiteral("user=deploy")};
        QTest::newRow("forms: Key=value, Key = value, Key =value, Key= value")
            << QByteArrayLiteral("HostName=a\nPort = 2022\nUser =u\nIdentityFile= k\n") << QStringLiteral("x")
            << QStringList{QStringLiteral("hostname=a"), QStringLiteral("port=2022"), QStringLiteral("user=u"),
                           QStringLiteral("identityfile=k")};
        QTest::newRow("keywords in any case")
            << QByteArrayLiteral("HOSTNAME a\nuSeR u\nidentityFILE k\nstrictHostKeyChecking Accept-New\n")
            << QStringLiteral("x")
            << QStringList{QStringLiteral("hostname=a"), QStringLiteral("user=u"), QStringLiteral("identityfile=k"),
                           QStringLiteral("stricthostkeychecking=Accept-New")};
        QTest::newRow("quotes: double, single, in the middle of a word; escapes")
            << QByteArrayLiteral("IdentityFile \"/a b\"\nIdentityFile '/c d'\nIdentityFile /e\" f\"g\n"
                                 "IdentityFile /h\\ i\nIdentityFile \"/j\\\"k\"\n")
            << QStringLiteral("x")
            << QStringList{QStringLiteral("identityfile=/a b"), QStringLiteral("identityfile=/c d"),
                           QStringLiteral("identityfile=/e fg"), QStringLiteral("identityfile=/h i"),
                           QStringLiteral("identityfile=/j\"k")};
        QTest::newRow("comments: whole lines, indented, after a value; '#' inside a word stays")
            << QByteArrayLiteral("# a comment\n   # indented\nHostName a#b # comment\nUser u #\n")
            << QStringLiteral("x") << QStringList{QStringLiteral("hostname=a#b"), QStringLiteral("user=u")};
        QTest::newRow("CRLF line endings and trailing blanks")
            << QByteArrayLiteral("Host x \r\n  Port 2022\t\r\n  User u \r\n") << QStringLiteral("x")
            << QStringList{QStringLiteral("port=2022"), QStringLiteral("user=u")};
        QTest::newRow("IdentityFile accumulates, each file once")
            << QByteArrayLiteral("IdentityFile a\nHost x\n IdentityFile b\n IdentityFile a\nHost *\n IdentityFile c\n")
            << QStringLiteral("x")
            << QStringList{QStringLiteral("identityfile=a"), QStringLiteral("identityfile=b"),
                           QStringLiteral("identityfile=c")};
        QTest::newRow("ProxyJump first hides a later ProxyCommand")
            << QByteArrayLiteral("Host x\n ProxyJump j\nHost *\n ProxyCommand nc %h %p\n") << QStringLiteral("x")
            << QStringList{QStringLiteral("proxyjump=j")};
        QTest::newRow("UserKnownHostsFile keeps all its files")
            << QByteArrayLiteral("UserKnownHostsFile ~/a \"/b c\"\n") << QStringLiteral("x")
            << QStringList{QStringLiteral("userknownhostsfile=~/a /b c")};
        QTest::newRow("other keywords are not interpreted")
            << QByteArrayLiteral("Compression yes\nForwardAgent no\nHost x\n  LocalForward 8080 localhost:80\n")
            << QStringLiteral("x") << QStringList{};
        QTest::newRow("an empty file") << QByteArray() << QStringLiteral("x") << QStringList{};
    }
    void lookup()
    {
        QFETCH(QByteArray, config);
        QFETCH(QString, host);
        QFETCH(QStringList, expected);
        const auto result = SshConfigFile::parse(config, QStringLiteral("config"), m_dir.path());
        const auto* file = std::get_if<SshConfigFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        QCOMPARE(render(file->lookup(host)), expected);
    }

    void locations()
    {
        const auto result = SshConfigFile::parse(referenceConfig(), QStringLiteral("/x/config"), m_dir.path());
        const auto* file = std::get_if<SshConfigFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        const auto db = file->lookup(QStringLiteral("db"));
        QVERIFY(db.hostName);
        QCOMPARE(db.hostName->location(), QStringLiteral("/x/config:10"));
        QCOMPARE(db.identityFiles.at(3).location(), QStringLiteral("/x/config:25"));
    }

    // The same file through the real ssh (`ssh -G` prints the configuration it would use): our
    // reading of every keyword we take equals OpenSSH's.
    void agreesWithOpenSsh_data()
    {
        QTest::addColumn<QString>("host");
        for (const char* host : {"web-1", "web-12", "web-internal", "db", "cache", "bastion", "other", "DB"})
            QTest::newRow(host) << QString::fromLatin1(host);
    }
    void agreesWithOpenSsh()
    {
        QFETCH(QString, host);
        const QString path = m_dir.filePath(QStringLiteral("reference_config"));
        QVERIFY(writeFile(path, referenceConfig()));
        const auto ssh
            = okh::test::runCommand(QStringLiteral("ssh"), {QStringLiteral("-G"), QStringLiteral("-F"), path, host});
        if (!ssh.started)
            QSKIP("the OpenSSH client (ssh) is not installed");
        QVERIFY2(ssh.succeeded(), qPrintable(ssh.describe()));
        QStringList theirs;
        for (const QString& line : QString::fromUtf8(ssh.standardOutput).split(u'\n')) {
            const QString keyword = line.section(u' ', 0, 0).toLower();
            if (keyword == QLatin1String("hostname") || keyword == QLatin1String("port")
                || keyword == QLatin1String("user") || keyword == QLatin1String("identityfile")
                || keyword == QLatin1String("userknownhostsfile") || keyword == QLatin1String("proxyjump")
                || keyword == QLatin1String("proxycommand") || keyword == QLatin1String("stricthostkeychecking"))
                theirs << keyword + u'=' + line.section(u' ', 1);
        }

        const auto result = SshConfigFile::load(path, m_dir.path());
        QVERIFY2(std::holds_alternative<SshConfigFile>(result), qPrintable(describe(result)));
        const auto c = std::get<SshConfigFile>(result).lookup(host);
        // ssh -G shows the values after its defaults and HostName's %h, lower-cased.
        QStringList ours;
        ours << QStringLiteral("user=") + (c.user ? c.user->value() : SshConfigFile::localUserName());
        QString hostName = c.hostName ? c.hostName->value() : host;
        hostName.replace(QLatin1String("%h"), host);
        ours << QStringLiteral("hostname=") + hostName.toLower();
        ours << QStringLiteral("port=") + (c.port ? c.port->value() : QStringLiteral("22"));
        const QString strict
            = c.strictHostKeyChecking ? c.strictHostKeyChecking->value().toLower() : QStringLiteral("ask");
        ours << QStringLiteral("stricthostkeychecking=")
                + (strict == QLatin1String("yes")      ? QStringLiteral("true")
                       : strict == QLatin1String("no") ? QStringLiteral("false")
                                                       : strict);
        for (const auto& file : c.identityFiles)
            ours << QStringLiteral("identityfile=") + file.value();
        if (c.userKnownHostsFile)
            ours << QStringLiteral("userknownhostsfile=") + c.userKnownHostsFile->arguments.join(u' ');
        if (c.proxyJump)
            ours << QStringLiteral("proxyjump=") + c.proxyJump->value();
        if (c.proxyCommand)
            ours << QStringLiteral("proxycommand=") + c.proxyCommand->arguments.join(u' ');
        theirs.sort();
        ours.sort();
        QCOMPARE(ours, theirs);
    }

    // Include: relative paths are under ~/.ssh, globs in name order, an Include in a block only
    // when the block applies, and the included file's Host lines do not leak out.
    void include_data()
    {
        QTest::addColumn<QStringList>("files"); // "path|content"; path relative to HOME; ".ssh/config" is read
        QTest::addColumn<QString>("host");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("relative to ~/.ssh")
            << QStringList{QStringLiteral(".ssh/config|Include extra\nPort 2000\n"),
                           QStringLiteral(".ssh/extra|Port 2022\nUser from-extra\n")}
            << QStringLiteral("x") << QStringList{QStringLiteral("port=2022"), QStringLiteral("user=from-extra")};
        QTest::newRow("~ and a glob, in name order")
            << QStringList{QStringLiteral(".ssh/config|Include ~/.ssh/conf.d/*.conf\n"),
                           QStringLiteral(".ssh/conf.d/20-b.conf|Port 2020\nUser b\n"),
                           QStringLiteral(".ssh/conf.d/10-a.conf|Port 2010\n"),
                           QStringLiteral(".ssh/conf.d/ignored.txt|User ignored\n")}
            << QStringLiteral("x") << QStringList{QStringLiteral("port=2010"), QStringLiteral("user=b")};
        QTest::newRow("several files on one line, a missing one ignored")
            << QStringList{QStringLiteral(".ssh/config|Include none-such a b\n"), QStringLiteral(".ssh/a|Port 1\n"),
                           QStringLiteral(".ssh/b|Port 2\nUser b\n")}
            << QStringLiteral("x") << QStringList{QStringLiteral("port=1"), QStringLiteral("user=b")};
        QTest::newRow("inside a matching Host block")
            << QStringList{QStringLiteral(".ssh/config|Host x\n  Include inner\nHost *\n  Port 2000\n"),
                           QStringLiteral(".ssh/inner|Port 2022\n")}
            << QStringLiteral("x") << QStringList{QStringLiteral("port=2022")};
        QTest::newRow("inside a Host block that does not apply")
            << QStringList{QStringLiteral(".ssh/config|Host other\n  Include inner\nHost *\n  Port 2000\n"),
                           QStringLiteral(".ssh/inner|Host *\n  Port 2022\n")}
            << QStringLiteral("x") << QStringList{QStringLiteral("port=2000")};
        QTest::newRow("the included file's Host lines stay inside it")
            << QStringList{QStringLiteral(".ssh/config|Host x\n  Include inner\n  User after\n"),
                           QStringLiteral(".ssh/inner|Host nothing\n  Port 1\n")}
            << QStringLiteral("x") << QStringList{QStringLiteral("user=after")};
        QTest::newRow("absolute path") << QStringList{QStringLiteral(".ssh/config|Include {home}/elsewhere/file\n"),
                                                      QStringLiteral("elsewhere/file|User abs\n")}
                                       << QStringLiteral("x") << QStringList{QStringLiteral("user=abs")};
    }
    void include()
    {
        QFETCH(QStringList, files);
        QFETCH(QString, host);
        QFETCH(QStringList, expected);
        QTemporaryDir home;
        QVERIFY(home.isValid());
        for (const QString& entry : files) {
            QString content = entry.section(u'|', 1);
            content.replace(QLatin1String("{home}"), home.path());
            QVERIFY(writeFile(home.filePath(entry.section(u'|', 0, 0)), content.toUtf8()));
        }
        const auto result = SshConfigFile::load(home.filePath(QStringLiteral(".ssh/config")), home.path());
        const auto* file = std::get_if<SshConfigFile>(&result);
        QVERIFY2(file, qPrintable(describe(result)));
        QCOMPARE(render(file->lookup(host)), expected);
        QCOMPARE(file->files().first(), home.filePath(QStringLiteral(".ssh/config")));
    }

    void includeLoop()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QVERIFY(writeFile(home.filePath(QStringLiteral(".ssh/config")), "Include config\n"));
        const auto result = SshConfigFile::load(home.filePath(QStringLiteral(".ssh/config")), home.path());
        QCOMPARE(describe(result),
                 home.filePath(QStringLiteral(".ssh/config"))
                     + QStringLiteral(":1:1: Include: nested more than 16 levels deep; does a file include itself?"));
    }

    void unreadableFile()
    {
        const QString absent = m_dir.filePath(QStringLiteral("absent"));
        const auto result = SshConfigFile::load(absent, m_dir.path());
        QCOMPARE(describe(result), absent + QStringLiteral(": cannot read the file: No such file or directory"));
    }

    // ssh's a2port: a number, or a service name looked up in /etc/services.
    void portNumber_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("port"); // 0: refused
        QTest::newRow("number") << QStringLiteral("2222") << 2222;
        QTest::newRow("service name") << QStringLiteral("ssh") << 22;
        QTest::newRow("another service") << QStringLiteral("https") << 443;
        QTest::newRow("zero") << QStringLiteral("0") << 0;
        QTest::newRow("too large") << QStringLiteral("65536") << 0;
        QTest::newRow("unknown service") << QStringLiteral("no-such-service") << 0;
        QTest::newRow("empty") << QString() << 0;
    }
    void portNumber()
    {
        QFETCH(QString, value);
        QFETCH(int, port);
        if (!QFile::exists(QStringLiteral("/etc/services")) && !value.isEmpty() && !value.at(0).isDigit())
            QSKIP("no /etc/services (Debian package netbase)");
        QCOMPARE(int(SshConfigFile::portNumber(value).value_or(0)), port);
    }

    // As ssh ("Bad owner or permissions"): a file another user could change is refused.
    void permissions_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("owner"); // -1: the current user
        QTest::addColumn<bool>("accepted");
        QTest::newRow("0600") << 0600 << -1 << true;
        QTest::newRow("0644") << 0644 << -1 << true;
        QTest::newRow("group-writable") << 0664 << -1 << false;
        QTest::newRow("world-writable") << 0646 << -1 << false;
        QTest::newRow("another user's") << 0644 << 65534 << false;
    }
    void permissions()
    {
        QFETCH(int, mode);
        QFETCH(int, owner);
        QFETCH(bool, accepted);
        const QString path = m_dir.filePath(QStringLiteral("perm-%1-%2").arg(mode, 0, 8).arg(owner));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Host x\n  HostName example.org\n");
        file.close();
        QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode_t(mode)), 0);
        if (owner >= 0 && ::chown(QFile::encodeName(path).constData(), uid_t(owner), gid_t(-1)) != 0)
            QSKIP("only root can give a file to another user");
        const auto result = SshConfigFile::load(path, m_dir.path());
        QCOMPARE(std::holds_alternative<SshConfigFile>(result), accepted);
        if (!accepted)
            QVERIFY2(describe(result).contains(QLatin1String("bad owner or permissions")),
                     qPrintable(describe(result)));
    }

    // As ssh: a malformed line spoils the file, whichever host it is read for.
    void errors_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no argument") << QByteArrayLiteral("Host x\n  HostName\n")
                                     << QStringLiteral("c:2:3: no argument after keyword \"HostName\"");
        QTest::newRow("only a comment after the keyword")
            << QByteArrayLiteral("User # nobody\n") << QStringLiteral("c:1:6: no argument after keyword \"User\"");
        QTest::newRow("empty quoted argument")
            << QByteArrayLiteral("User \"\"\n") << QStringLiteral("c:1:6: no argument after keyword \"User\"");
        QTest::newRow("unclosed quote") << QByteArrayLiteral("Host x\nIdentityFile \"/a b\n")
                                        << QStringLiteral("c:2:14: invalid quotes: a quote is not closed");
        QTest::newRow("unclosed single quote in an unknown keyword")
            << QByteArrayLiteral("SetEnv A='b\n") << QStringLiteral("c:1:8: invalid quotes: a quote is not closed");
        QTest::newRow("port not a number, in a block that does not apply")
            << QByteArrayLiteral("Host other\n  Port abc\n")
            << QStringLiteral("c:2:8: Port: expected a port from 1 to 65535 or a service name, got \"abc\"");
        QTest::newRow("port 0") << QByteArrayLiteral(
            "Port 0\n") << QStringLiteral("c:1:6: Port: expected a port from 1 to 65535 or a service name, got \"0\"");
        QTest::newRow("port 65536")
            << QByteArrayLiteral("Port=65536\n")
            << QStringLiteral("c:1:6: Port: expected a port from 1 to 65535 or a service name, got \"65536\"");
        QTest::newRow("two host names") << QByteArrayLiteral("HostName a b\n")
                                        << QStringLiteral("c:1:12: HostName takes one value; quote a value "
                                                          "with spaces");
        QTest::newRow("unknown StrictHostKeyChecking")
            << QByteArrayLiteral("StrictHostKeyChecking maybe\n")
            << QStringLiteral("c:1:23: StrictHostKeyChecking: unknown value \"maybe\" (ssh takes: yes, no, ask, "
                              "accept-new, off, true, false)");
        QTest::newRow("ProxyJump without a host")
            << QByteArrayLiteral("ProxyJump user@\n") << QStringLiteral("c:1:11: ProxyJump: no host in \"user@\"");
        QTest::newRow("ProxyJump with an empty element")
            << QByteArrayLiteral("ProxyJump a,,b\n")
            << QStringLiteral("c:1:11: ProxyJump: an empty element in \"a,,b\"");
        QTest::newRow("ProxyJump with a bad port")
            << QByteArrayLiteral("ProxyJump a:99999\n") << QStringLiteral("c:1:11: ProxyJump: bad port in \"a:99999\"");
        QTest::newRow("Host with an empty pattern")
            << QByteArrayLiteral("Host x \"\"\n") << QStringLiteral("c:1:8: Host: an empty pattern");
        QTest::newRow("Host with a lone !")
            << QByteArrayLiteral("Host x !\n") << QStringLiteral("c:1:8: Host: an empty pattern");
    }
    void errors()
    {
        QFETCH(QByteArray, config);
        QFETCH(QString, expected);
        QCOMPARE(describe(SshConfigFile::parse(config, QStringLiteral("c"), m_dir.path())), expected);
    }

    void matchesPattern_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("matches");
        const auto row = [](const char* text, const char* pattern, bool matches) {
            QTest::addRow("%s ~ %s", text, pattern)
                << QString::fromLatin1(text) << QString::fromLatin1(pattern) << matches;
        };
        row("prod", "prod", true);
        row("prod", "pro", false);
        row("prod", "prod1", false);
        row("Prod", "prod", false);
        row("prod", "*", true);
        row("", "*", true);
        row("", "?", false);
        row("prod", "p*", true);
        row("prod", "*d", true);
        row("prod", "*o*", true);
        row("prod", "p?od", true);
        row("prod", "p??d", true);
        row("prod", "p?d", false);
        row("web-1.internal", "*.internal", true);
        row("internal", "*.internal", false);
        row("a.b.c", "*.*", true);
        row("aaab", "*a*b", true);
        row("aaac", "*a*b", false);
        row("10.0.0.5", "10.0.0.?", true);
        row("10.0.0.15", "10.0.0.?", false);
    }
    void matchesPattern()
    {
        QFETCH(QString, text);
        QFETCH(QString, pattern);
        QFETCH(bool, matches);
        QCOMPARE(SshConfigFile::matchesPattern(text, pattern), matches);
    }

    void matchesHostPatterns_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QStringList>("patterns");
        QTest::addColumn<bool>("matches");
        QTest::newRow("one of several") << QStringLiteral("b") << QStringList{QStringLiteral("a"), QStringLiteral("b")}
                                        << true;
        QTest::newRow("none of several") << QStringLiteral("c") << QStringList{QStringLiteral("a"), QStringLiteral("b")}
                                         << false;
        QTest::newRow("negation excludes")
            << QStringLiteral("bastion.example.org")
            << QStringList{QStringLiteral("*.example.org"), QStringLiteral("!bastion.*")} << false;
        QTest::newRow("negation of another host")
            << QStringLiteral("web.example.org")
            << QStringList{QStringLiteral("*.example.org"), QStringLiteral("!bastion.*")} << true;
        QTest::newRow("negation only") << QStringLiteral("x") << QStringList{QStringLiteral("!y")} << false;
    }
    void matchesHostPatterns()
    {
        QFETCH(QString, host);
        QFETCH(QStringList, patterns);
        QFETCH(bool, matches);
        QCOMPARE(SshConfigFile::matchesHostPatterns(host, patterns), matches);
    }

    void expandPath_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expanded"); // when error is empty
        QTest::addColumn<QString>("error");
        const QString local = QSysInfo::machineHostName();
        QTest::newRow("plain") << QStringLiteral("/keys/id") << QStringLiteral("/keys/id") << QString();
        QTest::newRow("~") << QStringLiteral("~/.ssh/id_ed25519") << QStringLiteral("/home/op/.ssh/id_ed25519")
                           << QString();
        QTest::newRow("~ alone") << QStringLiteral("~") << QStringLiteral("/home/op") << QString();
        QTest::newRow("~ not at the start") << QStringLiteral("/a/~/b") << QStringLiteral("/a/~/b") << QString();
        QTest::newRow("~root") << QStringLiteral("~root/k") << QStringLiteral("/root/k") << QString();
        QTest::newRow("host, port, users")
            << QStringLiteral("~/.ssh/%h-%p-%r-%u") << QStringLiteral("/home/op/.ssh/web.example.org-2222-deploy-op")
            << QString();
        QTest::newRow("alias, home, percent")
            << QStringLiteral("%d/%n/%k/100%%") << QStringLiteral("/home/op/web/web/100%") << QString();
        QTest::newRow("uid, local host, jump")
            << QStringLiteral("%i %l %L %j")
            << QStringLiteral("%1 %2 %3 bastion").arg(::getuid()).arg(local, local.section(u'.', 0, 0)) << QString();
        QTest::newRow("environment") << QStringLiteral("${KEYS}/id") << QStringLiteral("/srv/keys/id") << QString();
        QTest::newRow("a $ without braces stays") << QStringLiteral("/a$b") << QStringLiteral("/a$b") << QString();
        QTest::newRow("unset variable") << QStringLiteral("${NOPE}/id") << QString()
                                        << QStringLiteral("environment variable NOPE is not set");
        QTest::newRow("unterminated variable")
            << QStringLiteral("${KEYS/id") << QString() << QStringLiteral("an unterminated ${ in \"${KEYS/id\"");
        QTest::newRow("unknown token")
            << QStringLiteral("~/.ssh/%C") << QString()
            << QStringLiteral("unsupported token %C in \"~/.ssh/%C\" (supported: %%, %d, %h, %i, %k, %L, %l, %n, "
                              "%p, %r, %u, %j)");
        QTest::newRow("lone percent") << QStringLiteral("/a%") << QString()
                                      << QStringLiteral("a lone '%' at the end of \"/a%\"; write %% for a percent "
                                                        "sign");
    }
    void expandPath()
    {
        QFETCH(QString, text);
        QFETCH(QString, expanded);
        QFETCH(QString, error);
        SshConfigFile::TokenValues values;
        values.host = QStringLiteral("web.example.org");
        values.originalHost = QStringLiteral("web");
        values.port = 2222;
        values.remoteUser = QStringLiteral("deploy");
        values.localUser = QStringLiteral("op");
        values.homeDirectory = QStringLiteral("/home/op");
        values.proxyJump = QStringLiteral("bastion");
        values.environment.insert(QStringLiteral("KEYS"), QStringLiteral("/srv/keys"));
        QString why;
        const auto result = SshConfigFile::expandPath(text, values, &why);
        QCOMPARE(why, error);
        QCOMPARE(result.value_or(QString()), expanded);
    }

    void parseProxyJump_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected"); // "user|host|port" per jump host
        QTest::addColumn<QString>("error");
        QTest::newRow("host") << QStringLiteral("bastion") << QStringList{QStringLiteral("|bastion|0")} << QString();
        QTest::newRow("user, host, port")
            << QStringLiteral("ops@bastion:2222") << QStringList{QStringLiteral("ops|bastion|2222")} << QString();
        QTest::newRow("a chain") << QStringLiteral(
            "a,u@b,c:23") << QStringList{QStringLiteral("|a|0"), QStringLiteral("u|b|0"), QStringLiteral("|c|23")}
                                 << QString();
        QTest::newRow("ssh:// URI") << QStringLiteral("ssh://ops@bastion:2222")
                                    << QStringList{QStringLiteral("ops|bastion|2222")} << QString();
        QTest::newRow("IPv6 in brackets")
            << QStringLiteral("[::1]:23,[fe80::1]")
            << QStringList{QStringLiteral("|::1|23"), QStringLiteral("|fe80::1|0")} << QString();
        QTest::newRow("bare IPv6") << QStringLiteral("::1") << QStringList{QStringLiteral("|::1|0")} << QString();
        QTest::newRow("the last @ ends the user")
            << QStringLiteral("me@corp@bastion") << QStringList{QStringLiteral("me@corp|bastion|0")} << QString();
        QTest::newRow("none") << QStringLiteral("none") << QStringList{} << QString();
        QTest::newRow("NONE") << QStringLiteral("NONE") << QStringList{} << QString();
        QTest::newRow("empty user") << QStringLiteral("@b") << QStringList{}
                                    << QStringLiteral("an empty user name in \"@b\"");
        QTest::newRow("empty port") << QStringLiteral("b:") << QStringList{} << QStringLiteral("bad port in \"b:\"");
        QTest::newRow("port 0") << QStringLiteral("b:0") << QStringList{} << QStringLiteral("bad port in \"b:0\"");
        QTest::newRow("unclosed bracket")
            << QStringLiteral("[::1:22") << QStringList{} << QStringLiteral("\"[::1:22\" is not [user@]host[:port]");
        QTest::newRow("trailing comma") << QStringLiteral("a,") << QStringList{}
                                        << QStringLiteral("an empty element in \"a,\"");
    }
    void parseProxyJump()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        QFETCH(QString, error);
        QString why;
        const auto hosts = SshConfigFile::parseProxyJump(text, &why);
        QCOMPARE(why, error);
        QCOMPARE(hosts.has_value(), error.isEmpty());
        QStringList rendered;
        for (const auto& jump : hosts.value_or(QList<SshConfigFile::JumpHost>{}))
            rendered << jump.user + u'|' + jump.host + u'|' + QString::number(jump.port);
        QCOMPARE(rendered, expected);
    }

    void localUserNameIsTheAccount()
    {
        const auto id = okh::test::runCommand(QStringLiteral("id"), {QStringLiteral("-un")});
        if (!id.succeeded())
            QSKIP("id -un is not available");
        QCOMPARE(SshConfigFile::localUserName(), QString::fromUtf8(id.standardOutput).trimmed());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestSshConfigFile)
#include "tst_sshconfigfile.moc"
