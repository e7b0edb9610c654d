#include "config/RedisUrl.h"

#include <QTest>

using okh::RedisTarget;
using okh::RedisTls;

namespace {

RedisTarget target(const QString& host, quint16 port, const QString& user, const QString& password, int db)
{
    return RedisTarget{host, port, user, password, db, {}};
}

RedisTarget tls(RedisTarget t, RedisTls::Verify verify, const QString& ca = {}, const QString& cert = {},
                const QString& key = {}, bool checkHostname = false)
{
    t.tls = RedisTls{true, verify, ca, cert, key, checkHostname};
    return t;
}

} // namespace

class TestRedisUrl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Every row of the kombu table (docs/deployment-file.md, celery-ping.md §5) plus the
    // urllib corners kombu inherits.
    void parse_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<RedisTarget>("expected");
        const QString localhost = QStringLiteral("127.0.0.1");
        const QString h = QStringLiteral("h");
        QTest::newRow("bare scheme") << QStringLiteral("redis://") << target(localhost, 6379, {}, {}, 0);
        QTest::newRow("percent-decoded password")
            << QStringLiteral("redis://:s3cr%40t@h:6380/3") << target(h, 6380, {}, QStringLiteral("s3cr@t"), 3);
        QTest::newRow("ACL user and password") << QStringLiteral("redis://user:pw@h/15")
                                               << target(h, 6379, QStringLiteral("user"), QStringLiteral("pw"), 15);
        QTest::newRow("slash path is db 0") << QStringLiteral("redis://h/") << target(h, 6379, {}, {}, 0);
        QTest::newRow("no path is db 0") << QStringLiteral("redis://h") << target(h, 6379, {}, {}, 0);
        QTest::newRow("double slash is db 0") << QStringLiteral("redis://h//") << target(h, 6379, {}, {}, 0);
        QTest::newRow("second slash stripped") << QStringLiteral("redis://h//4") << target(h, 6379, {}, {}, 4);
        QTest::newRow("IPv6") << QStringLiteral("redis://[::1]:6380/2")
                              << target(QStringLiteral("::1"), 6380, {}, {}, 2);
        QTest::newRow("IPv6 default port")
            << QStringLiteral("redis://[::1]") << target(QStringLiteral("::1"), 6379, {}, {}, 0);
        QTest::newRow("host lower-cased, scheme any case") << QStringLiteral("REDIS://Redis.Example:6380/1")
                                                           << target(QStringLiteral("redis.example"), 6380, {}, {}, 1);
        QTest::newRow("port 0 is the default (kombu's 'or')")
            << QStringLiteral("redis://h:0/1") << target(h, 6379, {}, {}, 1);
        QTest::newRow("empty port is the default") << QStringLiteral("redis://h:/1") << target(h, 6379, {}, {}, 1);
        QTest::newRow("unencoded @ in password, last @ splits")
            << QStringLiteral("redis://:p@ss@h/1") << target(h, 6379, {}, QStringLiteral("p@ss"), 1);
        QTest::newRow("user without password")
            << QStringLiteral("redis://user@h/2") << target(h, 6379, QStringLiteral("user"), {}, 2);
        QTest::newRow("percent-encoded user") << QStringLiteral("redis://us%3Aer:p%2Fw@h/2")
                                              << target(h, 6379, QStringLiteral("us:er"), QStringLiteral("p/w"), 2);
        QTest::newRow("empty password") << QStringLiteral("redis://:@h/2") << target(h, 6379, {}, {}, 2);
        QTest::newRow("no host") << QStringLiteral("redis://:pw@/3")
                                 << target(localhost, 6379, {}, QStringLiteral("pw"), 3);
        QTest::newRow("percent-encoded db") << QStringLiteral("redis://h/%31") << target(h, 6379, {}, {}, 1);
        QTest::newRow("surrounding whitespace") << QStringLiteral("  redis://h/2\n") << target(h, 6379, {}, {}, 2);
        QTest::newRow("blank query value dropped like parse_qsl")
            << QStringLiteral("redis://h/0?socket_timeout=") << target(h, 6379, {}, {}, 0);
        QTest::newRow("empty query") << QStringLiteral("redis://h/0?") << target(h, 6379, {}, {}, 0);
        QTest::newRow("fragment ignored") << QStringLiteral("redis://h/5#x") << target(h, 6379, {}, {}, 5);
        // kombu: rediss:// without ssl_* is TLS without verification (CERT_NONE); any ssl_*
        // key without ssl_cert_reqs gets redis-py's default, "required".
        QTest::newRow("rediss, no parameters: TLS, CERT_NONE")
            << QStringLiteral("rediss://h/1") << tls(target(h, 6379, {}, {}, 1), RedisTls::Verify::None);
        QTest::newRow("rediss, required with a CA")
            << QStringLiteral("rediss://:pw@h:6380/1?ssl_cert_reqs=required&ssl_ca_certs=/ca.pem")
            << tls(target(h, 6380, {}, QStringLiteral("pw"), 1), RedisTls::Verify::Required, QStringLiteral("/ca.pem"));
        QTest::newRow("rediss, CERT_OPTIONAL verifies like required")
            << QStringLiteral("rediss://h/0?ssl_cert_reqs=CERT_OPTIONAL")
            << tls(target(h, 6379, {}, {}, 0), RedisTls::Verify::Required);
        QTest::newRow("rediss, CERT_NONE spelled out")
            << QStringLiteral("rediss://h/0?ssl_cert_reqs=CERT_NONE&ssl_ca_certs=/ca.pem")
            << tls(target(h, 6379, {}, {}, 0), RedisTls::Verify::None, QStringLiteral("/ca.pem"));
        QTest::newRow("rediss, a CA alone means required")
            << QStringLiteral("rediss://h/0?ssl_ca_certs=%2Fetc%2Fca.pem")
            << tls(target(h, 6379, {}, {}, 0), RedisTls::Verify::Required, QStringLiteral("/etc/ca.pem"));
        QTest::newRow("rediss, client certificate and host name check")
            << QStringLiteral("REDISS://h/2?ssl_cert_reqs=required&ssl_certfile=/c.pem&ssl_keyfile=/k.pem"
                              "&ssl_check_hostname=true")
            << tls(target(h, 6379, {}, {}, 2), RedisTls::Verify::Required, {}, QStringLiteral("/c.pem"),
                   QStringLiteral("/k.pem"), true);
        // kombu 5.5: only "false" is false.
        QTest::newRow("rediss, ssl_check_hostname=0 is true")
            << QStringLiteral("rediss://h/0?ssl_cert_reqs=required&ssl_check_hostname=0")
            << tls(target(h, 6379, {}, {}, 0), RedisTls::Verify::Required, {}, {}, {}, true);
        QTest::newRow("rediss, ssl_check_hostname=False is false")
            << QStringLiteral("rediss://h/0?ssl_cert_reqs=required&ssl_check_hostname=False")
            << tls(target(h, 6379, {}, {}, 0), RedisTls::Verify::Required);
        QTest::newRow("Open Klant compose broker")
            << QStringLiteral("redis://redis:6379/0") << target(QStringLiteral("redis"), 6379, {}, {}, 0);
    }
    void parse()
    {
        QFETCH(QString, url);
        QFETCH(RedisTarget, expected);
        const okh::RedisUrlResult result = okh::parseRedisUrl(url);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(result.error.isEmpty());
        QCOMPARE(result.target->host, expected.host);
        QCOMPARE(result.target->port, expected.port);
        QCOMPARE(result.target->user, expected.user);
        QCOMPARE(result.target->password, expected.password);
        QCOMPARE(result.target->db, expected.db);
        QVERIFY(*result.target == expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("mentions"); // the message must contain this
        QTest::addColumn<QString>("secret"); // and must never contain this
        QTest::newRow("db not a number") << QStringLiteral("redis://:hunter2@h/abc") << QStringLiteral("not \"abc\"")
                                         << QStringLiteral("hunter2");
        QTest::newRow("db with trailing slash")
            << QStringLiteral("redis://h/0/") << QStringLiteral("not \"0/\"") << QString();
        QTest::newRow("negative db") << QStringLiteral("redis://h/-1") << QStringLiteral("not \"-1\"") << QString();
        QTest::newRow("db message like kombu's")
            << QStringLiteral("redis://h/x") << QStringLiteral("between 0 and the server's limit - 1") << QString();
        QTest::newRow("rediss, unknown ssl_cert_reqs")
            << QStringLiteral("rediss://:hunter2@h/1?ssl_cert_reqs=always")
            << QStringLiteral("ssl_cert_reqs must be required, optional or none") << QStringLiteral("hunter2");
        QTest::newRow("rediss, unsupported ssl key")
            << QStringLiteral("rediss://:hunter2@h/1?ssl_ciphers=HIGH")
            << QStringLiteral("\"ssl_ciphers\" is not supported") << QStringLiteral("hunter2");
        QTest::newRow("rediss, host name check without verification (redis-py's ValueError)")
            << QStringLiteral("rediss://h/1?ssl_cert_reqs=none&ssl_check_hostname=true")
            << QStringLiteral("ssl_check_hostname needs ssl_cert_reqs=required") << QString();
        QTest::newRow("sentinel") << QStringLiteral("sentinel://:hunter2@s1:26379;sentinel://s2")
                                  << QStringLiteral("sentinel:// (Redis Sentinel) is not supported yet")
                                  << QStringLiteral("hunter2");
        QTest::newRow("failover list") << QStringLiteral("redis://a/0;redis://b/0")
                                       << QStringLiteral("separated by ';'") << QString();
        QTest::newRow("other scheme") << QStringLiteral("amqp://guest:hunter2@h//")
                                      << QStringLiteral("amqp:// is not supported") << QStringLiteral("hunter2");
        QTest::newRow("no scheme") << QStringLiteral("localhost:6379") << QStringLiteral("not a Redis URL")
                                   << QString();
        QTest::newRow("empty") << QString() << QStringLiteral("not a Redis URL") << QString();
        QTest::newRow("unknown query key")
            << QStringLiteral("redis://h/0?socket_timeout=5") << QStringLiteral("\"socket_timeout\"") << QString();
        QTest::newRow("ssl key on redis://") << QStringLiteral("redis://h/0?ssl_cert_reqs=none")
                                             << QStringLiteral("\"ssl_cert_reqs\" needs a rediss:// URL") << QString();
        QTest::newRow("port out of range")
            << QStringLiteral("redis://h:65536/0") << QStringLiteral("between 1 and 65535") << QString();
        QTest::newRow("port not a number")
            << QStringLiteral("redis://h:63a/0") << QStringLiteral("between 1 and 65535") << QString();
        QTest::newRow("unterminated IPv6") << QStringLiteral("redis://[::1/0") << QStringLiteral("IPv6") << QString();
        QTest::newRow("brackets around a name")
            << QStringLiteral("redis://[redis]:6379/0") << QStringLiteral("not an IPv6 address") << QString();
        // The password's '/' ends the authority: the rest would otherwise be echoed as host,
        // port or db.
        QTest::newRow("unencoded slash in password") << QStringLiteral("redis://:sekr/etpart@h:6379/0")
                                                     << QStringLiteral("percent-encode") << QStringLiteral("etpart");
        QTest::newRow("unencoded slash in password, port echo")
            << QStringLiteral("redis://:sekretpart/x@h/0") << QStringLiteral("percent-encode")
            << QStringLiteral("sekretpart");
    }
    void errors()
    {
        QFETCH(QString, url);
        QFETCH(QString, mentions);
        QFETCH(QString, secret);
        const okh::RedisUrlResult result = okh::parseRedisUrl(url);
        QVERIFY(!result.ok());
        QVERIFY(!result.target.has_value());
        QVERIFY2(result.error.contains(mentions), qPrintable(result.error));
        if (!secret.isEmpty())
            QVERIFY2(!result.error.contains(secret), qPrintable(result.error));
    }

    void redactTarget_data()
    {
        QTest::addColumn<RedisTarget>("target");
        QTest::addColumn<QString>("expected");
        QTest::newRow("defaults") << RedisTarget{} << QStringLiteral("redis://127.0.0.1:6379/0");
        QTest::newRow("TLS") << tls(target(QStringLiteral("h"), 6380, {}, QStringLiteral("pw"), 1),
                                    RedisTls::Verify::Required, QStringLiteral("/ca.pem"))
                             << QStringLiteral("rediss://:****@h:6380/1");
        QTest::newRow("password only") << target(QStringLiteral("h"), 6380, {}, QStringLiteral("s3cr@t"), 3)
                                       << QStringLiteral("redis://:****@h:6380/3");
        QTest::newRow("user and password")
            << target(QStringLiteral("h"), 6379, QStringLiteral("user"), QStringLiteral("pw"), 15)
            << QStringLiteral("redis://user:****@h:6379/15");
        QTest::newRow("user only") << target(QStringLiteral("h"), 6379, QStringLiteral("us er"), {}, 0)
                                   << QStringLiteral("redis://us%20er@h:6379/0");
        QTest::newRow("IPv6") << target(QStringLiteral("::1"), 6380, {}, {}, 2)
                              << QStringLiteral("redis://[::1]:6380/2");
    }
    void redactTarget()
    {
        QFETCH(RedisTarget, target);
        QFETCH(QString, expected);
        const QString redacted = okh::redactedRedisUrl(target);
        QCOMPARE(redacted, expected);
        if (!target.password.isEmpty())
            QVERIFY(!redacted.contains(target.password));
        // Without a password the redacted form is a faithful URL: it parses back.
        if (target.password.isEmpty()) {
            const auto back = okh::parseRedisUrl(redacted);
            QVERIFY2(back.ok(), qPrintable(back.error));
            QCOMPARE(*back.target, target);
        }
    }

    void redactUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("password only") << QStringLiteral("redis://:s3cr%40t@h:6380/3")
                                       << QStringLiteral("redis://:****@h:6380/3");
        QTest::newRow("user and password")
            << QStringLiteral("redis://user:pw@h/15") << QStringLiteral("redis://user:****@h/15");
        QTest::newRow("unencoded @") << QStringLiteral("redis://:p@ss@h/1") << QStringLiteral("redis://:****@h/1");
        QTest::newRow("user only unchanged")
            << QStringLiteral("redis://user@h/1") << QStringLiteral("redis://user@h/1");
        QTest::newRow("no credentials") << QStringLiteral("redis://h:6379/1") << QStringLiteral("redis://h:6379/1");
        QTest::newRow("empty password") << QStringLiteral("redis://:@h/0") << QStringLiteral("redis://:@h/0");
        QTest::newRow("http") << QStringLiteral("https://u:p@example.org:8443/x?y=1")
                              << QStringLiteral("https://u:****@example.org:8443/x?y=1");
        // An '@' after the host may end a password with an unencoded '/': masked up to it (a
        // path over-masked is harmless, a secret shown is not).
        QTest::newRow("@ after the host: masked up to it")
            << QStringLiteral("http://h:8000/@me") << QStringLiteral("http://h:****@me");
        QTest::newRow("password with an unencoded slash")
            << QStringLiteral("http://admin:s3/cret@flower:5555/") << QStringLiteral("http://admin:****@flower:5555/");
        QTest::newRow("sentinel list") << QStringLiteral("sentinel://:a@s1:26379;sentinel://:b@s2")
                                       << QStringLiteral("sentinel://:****@s1:26379;sentinel://:****@s2");
        QTest::newRow("not a URL") << QStringLiteral("just text") << QStringLiteral("just text");
    }
    void redactUrl()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QCOMPARE(okh::redactUrlPassword(url), expected);
    }
};

QTEST_GUILESS_MAIN(TestRedisUrl)
#include "tst_redisurl.moc"
