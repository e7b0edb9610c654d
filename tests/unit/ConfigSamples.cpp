#include "ConfigSamples.h"

#include <QStringList>
#include <QTest>

namespace okh::test {

QByteArray inCheck(const char* check)
{
    return QByteArrayLiteral(
               R"json({"version": 1, "deployments": [{"name": "local", "connection": {"type": "direct"}, "services": [{"name": "web", "checks": [
)json") + check
        + QByteArrayLiteral("\n]}]}]}\n");
}

QByteArray inService(const char* service)
{
    return QByteArrayLiteral(
               R"json({"version": 1, "deployments": [{"name": "local", "connection": {"type": "direct"}, "services": [
)json") + service
        + QByteArrayLiteral("\n]}]}\n");
}

QByteArray inDeployment(const char* deployment)
{
    return QByteArrayLiteral("{\"version\": 1, \"deployments\": [\n") + deployment + QByteArrayLiteral("\n]}\n");
}

QByteArray completeDeploymentFile()
{
    return QByteArray(R"json({
    "version": 1,
    "deployments": [
        {
            "name": "staging",
            "connection": {"type": "direct"},
            "services": [
                {
                    "name": "web",
                    "kind": "web",
                    "dependsOn": ["db", "cache"],
                    "checks": [
                        {
                            "name": "livez",
                            "type": "http",
                            "role": "liveness",
                            "url": "https://ok.example.org/_healthz/livez/",
                            "hostHeader": "localhost",
                            "interval": "10s",
                            "timeout": 2.5,
                            "failureThreshold": 4,
                            "successThreshold": 1,
                            "startPeriod": "1m30s",
                            "initialDelay": "500ms",
                            "headers": {"X-Probe": "okhealth", "Authorization": "Bearer t0ken"}
                        },
                        {
                            "name": "admin-exposed",
                            "type": "http",
                            "role": "info",
                            "url": "https://ok.example.org/admin/",
                            "expect": "denied"
                        }
                    ]
                },
                {
                    "name": "cache",
                    "kind": "redis",
                    "checks": [
                        {
                            "name": "ping",
                            "type": "redis",
                            "role": "readiness",
                            "url": "redis://:s3cr%40t@cache.internal:6380/2",
                            "successThreshold": 2
                        }
                    ]
                },
                {
                    "name": "cache2",
                    "kind": "redis",
                    "checks": [
                        {
                            "name": "ping",
                            "type": "redis",
                            "role": "readiness",
                            "host": "10.0.0.5",
                            "port": 6381,
                            "user": "monitor",
                            "password": "pw",
                            "db": 1
                        }
                    ]
                },
                {
                    "name": "db",
                    "kind": "postgresql",
                    "checks": [
                        {
                            "name": "pg_isready",
                            "type": "postgres",
                            "role": "readiness",
                            "host": "::1",
                            "port": "5433",
                            "user": "openklant",
                            "database": "ok"
                        }
                    ]
                },
                {
                    "name": "ssh-port",
                    "checks": [
                        {"name": "open", "type": "tcp", "role": "startup", "host": "[fe80::1]", "port": 22}
                    ]
                }
            ]
        },
        {"name": "second", "connection": {"type": "direct"}, "profile": "openklant"}
    ]
})json");
}

QByteArray environmentDeploymentFile()
{
    return QByteArray(
        R"json({"version": 1, "deployments": [{"name": "${OKH_DEPLOYMENT}", "connection": {"type": "direct"}, "services": [
    {"name": "cache", "checks": [
        {"name": "url", "type": "redis", "role": "readiness", "timeout": "${OKH_TIMEOUT:-3s}",
         "url": "redis://:${OKH_REDIS_PASSWORD_ENCODED}@${OKH_REDIS_HOST:-localhost}:6379/${OKH_REDIS_DB}"},
        {"name": "fields", "type": "redis", "role": "readiness", "password": "${OKH_REDIS_PASSWORD}", "port": "${OKH_REDIS_PORT}"}
    ]},
    {"name": "web", "checks": [
        {"name": "x", "type": "http", "role": "info", "url": "http://h/",
         "headers": {"X-Literal": "$${NOT_EXPANDED} costs $5", "X-Empty": "${OKH_EMPTY}", "X-Default": "${OKH_EMPTY:-fallback}"}}
    ]}
]}]})json");
}

QByteArray halfBrokenDeploymentFile()
{
    // The first deployment is fine; the second's error must discard the whole file.
    return inDeployment(
        R"json({"name": "good", "connection": {"type": "direct"}, "profile": "openklant"},
{"name": "bad", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "web", "checks": [{"name": "livez", "timeout": "soon"}]}]})json");
}

QByteArray profileOnlyFile()
{
    return inDeployment(R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant"})json");
}

void addDeploymentFileErrorRows()
{
    QTest::newRow("duration not parseable")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "timeout": "abc"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:114: deployments[0].services[0].checks[0].timeout: expected a duration like "5s" or a number of seconds, got "abc")json");
    QTest::newRow("duration zero")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "timeout": 0})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:114: deployments[0].services[0].checks[0].timeout: expected a duration greater than zero, got 0)json");
    QTest::newRow("duration negative")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "interval": -5})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:115: deployments[0].services[0].checks[0].interval: expected a duration like "5s" or a number of seconds, got -5)json");
    QTest::newRow("duration wrong type")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "startPeriod": true})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:118: deployments[0].services[0].checks[0].startPeriod: expected a duration like "5s" or a number of seconds, got true)json");
    QTest::newRow("unknown key with suggestion")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "failurethreshold": 3})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:103: deployments[0].services[0].checks[0].failurethreshold: unknown key "failurethreshold"; did you mean "failureThreshold"?)json");
    QTest::newRow("unknown key typo")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "timout": "2s"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:103: deployments[0].services[0].checks[0].timout: unknown key "timout"; did you mean "timeout"?)json");
    QTest::newRow("unknown key without suggestion")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "colour": "red"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:103: deployments[0].services[0].checks[0].colour: unknown key "colour"; expected one of: name, type, role, interval, timeout, failureThreshold, successThreshold, startPeriod, initialDelay, url, hostHeader, expect, headers)json");
    QTest::newRow("key of another check type")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "port": 80})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:103: deployments[0].services[0].checks[0].port: key "port" does not apply to http checks; they take: url, hostHeader, expect, headers)json");
    QTest::newRow("threshold zero")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "failureThreshold": 0})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:123: deployments[0].services[0].checks[0].failureThreshold: expected a whole number from 1 to 1000000, got 0)json");
    QTest::newRow("threshold fraction")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "failureThreshold": 1.5})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:123: deployments[0].services[0].checks[0].failureThreshold: expected a whole number from 1 to 1000000, got 1.5)json");
    QTest::newRow("success threshold on liveness")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "successThreshold": 2})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:123: deployments[0].services[0].checks[0].successThreshold: successThreshold must be 1 for liveness checks (a Kubernetes rule), got 2)json");
    QTest::newRow("success threshold on startup")
        << inCheck(
               R"json({"name": "s", "type": "tcp", "role": "startup", "host": "h", "port": 1, "successThreshold": 3})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:93: deployments[0].services[0].checks[0].successThreshold: successThreshold must be 1 for startup checks (a Kubernetes rule), got 3)json");
    QTest::newRow("missing type")
        << inCheck(R"json({"name": "x", "role": "info"})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: missing required key "type" (one of http, tcp, redis, postgres))json");
    QTest::newRow("unknown type")
        << inCheck(R"json({"name": "x", "type": "https", "role": "info"})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:23: deployments[0].services[0].checks[0].type: unknown check type "https"; did you mean "http"? (supported: http, tcp, redis, postgres))json");
    QTest::newRow("missing role")
        << inCheck(R"json({"name": "x", "type": "tcp", "host": "h", "port": 1})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: missing required key "role" (liveness, readiness, startup or info))json");
    QTest::newRow("unknown role")
        << inCheck(R"json({"name": "x", "type": "tcp", "role": "livenes", "host": "h", "port": 1})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:38: deployments[0].services[0].checks[0].role: unknown role "livenes"; did you mean "liveness"? (supported: liveness, readiness, startup, info))json");
    QTest::newRow("missing name")
        << inCheck(R"json({"type": "tcp", "role": "info", "host": "h", "port": 1})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: missing required key "name")json");
    QTest::newRow("bad name")
        << inCheck(R"json({"name": "my check", "type": "tcp", "role": "info", "host": "h", "port": 1})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:10: deployments[0].services[0].checks[0].name: expected a name of letters, digits, '.', '_' and '-' that starts with a letter or digit, got "my check")json");
    QTest::newRow("http url missing")
        << inCheck(R"json({"name": "x", "type": "http", "role": "info"})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: missing required key "url" (an absolute http:// or https:// URL))json");
    QTest::newRow("http url relative")
        << inCheck(R"json({"name": "x", "type": "http", "role": "info", "url": "/_healthz/"})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:54: deployments[0].services[0].checks[0].url: expected an absolute http:// or https:// URL, got "/_healthz/")json");
    QTest::newRow("http url other scheme, password redacted")
        << inCheck(R"json({"name": "x", "type": "http", "role": "info", "url": "ftp://u:hunter2@h/"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:54: deployments[0].services[0].checks[0].url: expected an absolute http:// or https:// URL, got "ftp://u:****@h/")json");
    QTest::newRow("http expect unknown")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "expect": "deny"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:113: deployments[0].services[0].checks[0].expect: unknown expectation "deny" (supported: success, denied))json");
    QTest::newRow("http Host in headers")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "headers": {"Host": "x"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:115: deployments[0].services[0].checks[0].headers.Host: set the Host header with "hostHeader")json");
    QTest::newRow("http header name invalid")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "headers": {"X Probe": "x"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:115: deployments[0].services[0].checks[0].headers["X Probe"]: "X Probe" is not a valid HTTP header name)json");
    QTest::newRow("http header value not a string, not echoed")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "headers": {"Authorization": 12345}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:132: deployments[0].services[0].checks[0].headers.Authorization: expected a string, got a number)json");
    QTest::newRow("tcp missing port")
        << inCheck(R"json({"name": "x", "type": "tcp", "role": "info", "host": "h"})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: missing required key "port")json");
    QTest::newRow("tcp port out of range")
        << inCheck(R"json({"name": "x", "type": "tcp", "role": "info", "host": "h", "port": 70000})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:67: deployments[0].services[0].checks[0].port: expected a whole number from 1 to 65535, got 70000)json");
    QTest::newRow("tcp port string")
        << inCheck(R"json({"name": "x", "type": "tcp", "role": "info", "host": "h", "port": "http"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:67: deployments[0].services[0].checks[0].port: expected a whole number from 1 to 65535, got "http")json");
    QTest::newRow("tcp bad host")
        << inCheck(R"json({"name": "x", "type": "tcp", "role": "info", "host": "a b", "port": 1})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:54: deployments[0].services[0].checks[0].host: expected a host name or IP address, got "a b")json");
    QTest::newRow("redis bad url")
        << inCheck(R"json({"name": "x", "type": "redis", "role": "info", "url": "redis://:hunter2@h/abc"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:55: deployments[0].services[0].checks[0].url: the database (the URL path) must be a whole number between 0 and the server's limit - 1, not "abc")json");
    QTest::newRow("redis rediss")
        << inCheck(R"json({"name": "x", "type": "redis", "role": "info", "url": "rediss://h/1"})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:55: deployments[0].services[0].checks[0].url: the scheme rediss:// (Redis over TLS) is not supported yet; use redis://)json");
    QTest::newRow("redis url and fields")
        << inCheck(R"json({"name": "x", "type": "redis", "role": "info", "url": "redis://h/1", "db": 2})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:70: deployments[0].services[0].checks[0].db: give either "url" or host/port/user/password/db, not both)json");
    QTest::newRow("redis password not a string")
        << inCheck(R"json({"name": "x", "type": "redis", "role": "info", "password": 1234})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:60: deployments[0].services[0].checks[0].password: expected a string, got a number)json");
    QTest::newRow("redis db negative")
        << inCheck(R"json({"name": "x", "type": "redis", "role": "info", "db": -1})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:54: deployments[0].services[0].checks[0].db: expected a whole number of at least 0, got -1)json");
    QTest::newRow("postgres unknown key")
        << inCheck(R"json({"name": "x", "type": "postgres", "role": "info", "sslmode": "require"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:51: deployments[0].services[0].checks[0].sslmode: unknown key "sslmode"; expected one of: name, type, role, interval, timeout, failureThreshold, successThreshold, startPeriod, initialDelay, host, port, user, database)json");
    QTest::newRow("duplicate check names")
        << inCheck(R"json({"name": "a", "type": "tcp", "role": "info", "host": "h", "port": 1},
{"name": "a", "type": "tcp", "role": "info", "host": "h", "port": 2})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:3:10: deployments[0].services[0].checks[1].name: duplicate check name "a" (also at deployments[0].services[0].checks[0].name))json");
    QTest::newRow("check not an object")
        << inCheck(R"json("livez")json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: expected a check object, got "livez")json");
    QTest::newRow("env var unset")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "timeout": "${OKH_TEST_TIMEOUT}"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:114: deployments[0].services[0].checks[0].timeout: environment variable OKH_TEST_TIMEOUT is not set)json");
    QTest::newRow("env var value invalid")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "timeout": "${OKH_TEST_TIMEOUT}"})json")
        << QStringList{QString::fromUtf8(R"json(OKH_TEST_TIMEOUT=abc)json")}
        << QString::fromUtf8(
               R"json(test.json:2:114: deployments[0].services[0].checks[0].timeout: expected a duration like "5s" or a number of seconds, got "abc" (expanded from "${OKH_TEST_TIMEOUT}"))json");
    QTest::newRow("env reference malformed")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "timeout": "${1X}"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:114: deployments[0].services[0].checks[0].timeout: "${1X}" is not a valid variable reference: names are letters, digits and '_', not starting with a digit)json");
    QTest::newRow("env reference unterminated")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "timeout": "${X"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:114: deployments[0].services[0].checks[0].timeout: unterminated "${": write ${NAME}, or $${ for a literal "${")json");
    QTest::newRow("duplicate JSON key")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "role": "readiness"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:103: deployments[0].services[0].checks[0].role: duplicate key (JSON would silently keep only the last one))json");
    QTest::newRow("unknown kind")
        << inService(
               R"json({"name": "web", "kind": "webb", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:25: deployments[0].services[0].kind: unknown service kind "webb"; did you mean "web"? (supported: web, nginx, redis, postgresql, celery-worker, celery-beat, celery-flower, other))json");
    QTest::newRow("dependency missing")
        << inService(
               R"json({"name": "web", "dependsOn": ["db"], "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:31: deployments[0].services[0].dependsOn[0]: service "web" depends on "db", which is not a service of this deployment (services: web))json");
    QTest::newRow("dependency typo")
        << inService(
               R"json({"name": "web", "dependsOn": ["rediss"], "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]},
{"name": "redis", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:31: deployments[0].services[0].dependsOn[0]: service "web" depends on "rediss", which is not a service of this deployment (services: web, redis) did you mean "redis"?)json");
    QTest::newRow("self dependency")
        << inService(
               R"json({"name": "web", "dependsOn": ["web"], "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:31: deployments[0].services[0].dependsOn[0]: a service cannot depend on itself)json");
    QTest::newRow("dependency cycle")
        << inService(
               R"json({"name": "a", "dependsOn": ["b"], "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]},
{"name": "b", "dependsOn": ["a"], "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:3:28: deployments[0].services[1].dependsOn: dependency cycle: a → b → a)json");
    QTest::newRow("duplicate service names")
        << inService(
               R"json({"name": "web", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]},
{"name": "web", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:3:10: deployments[0].services[1].name: duplicate service name "web" (also at deployments[0].services[0].name))json");
    QTest::newRow("service without checks")
        << inService(R"json({"name": "web", "checks": []})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0]: service "web" has no checks; add at least one to "checks")json");
    QTest::newRow("dependsOn not a list")
        << inService(
               R"json({"name": "web", "dependsOn": "db", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:30: deployments[0].services[0].dependsOn: expected an array, got "db")json");
    QTest::newRow("connection missing")
        << inDeployment(
               R"json({"name": "local", "services": [{"name": "t", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0]: missing required key "connection" (for example {"type": "direct"}))json");
    QTest::newRow("connection type missing")
        << inDeployment(
               R"json({"name": "local", "connection": {}, "services": [{"name": "t", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:33: deployments[0].connection: missing required key "type" (supported: direct))json");
    QTest::newRow("connection ssh not yet")
        << inDeployment(
               R"json({"name": "local", "connection": {"type": "ssh", "host": "bastion"}, "services": [{"name": "t", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:42: deployments[0].connection.type: connection type "ssh" is not supported yet (supported: direct))json");
    QTest::newRow("connection type unknown")
        << inDeployment(
               R"json({"name": "local", "connection": {"type": "tunnel"}, "services": [{"name": "t", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:42: deployments[0].connection.type: unknown connection type "tunnel" (supported: direct))json");
    QTest::newRow("connection extra key")
        << inDeployment(
               R"json({"name": "local", "connection": {"type": "direct", "host": "x"}, "services": [{"name": "t", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:52: deployments[0].connection.host: unknown key "host"; expected one of: type)json");
    QTest::newRow("deployment key typo")
        << inDeployment(
               R"json({"name": "local", "connexion": {"type": "direct"}, "services": [{"name": "t", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:19: deployments[0].connexion: unknown key "connexion"; did you mean "connection"?)json");
    QTest::newRow("no services")
        << inDeployment(R"json({"name": "local", "connection": {"type": "direct"}})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0]: no services: add a "profile" or a "services" list)json");
    QTest::newRow("deployment not an object")
        << inDeployment(R"json([])json") << QStringList{}
        << QString::fromUtf8(R"json(test.json:2:1: deployments[0]: expected a deployment object, got an array)json");
    QTest::newRow("duplicate deployment names")
        << inDeployment(
               R"json({"name": "local", "connection": {"type": "direct"}, "services": [{"name": "t", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]}]},
{"name": "local", "connection": {"type": "direct"}, "services": [{"name": "t", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:3:10: deployments[1].name: duplicate deployment name "local" (also at deployments[0].name))json");
    QTest::newRow("unknown profile")
        << inDeployment(R"json({"name": "local", "connection": {"type": "direct"}, "profile": "openclant"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:64: deployments[0].profile: unknown profile "openclant"; did you mean "openklant"? (supported: openklant))json");
    QTest::newRow("syntax error missing comma") << QByteArray(R"json({
    "version": 1
    "deployments": []
})json") << QStringList{} << QString::fromUtf8(R"json(test.json:3:6: invalid JSON: unterminated object)json");
    // QJsonParseError::offset points just past "tru}": column 31 when "é" counts as one
    // character, 32 if bytes were counted.
    QTest::newRow("syntax error, columns count characters") << QByteArray(R"json({"version": 1, "deployments": [
    {"name": "café", "x": tru}
]})json") << QStringList{} << QString::fromUtf8(R"json(test.json:2:31: invalid JSON: illegal value)json");
    QTest::newRow("top level not an object")
        << QByteArray(R"json([])json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:1:1: expected a JSON object at the top level, like {"version": 1, "deployments": []})json");
    QTest::newRow("missing version")
        << QByteArray(R"json({"deployments": []})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:1:1: missing required key "version" (this OK Health reads version 1))json");
    QTest::newRow("unsupported version")
        << QByteArray(R"json({"version": 2, "deployments": []})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:1:13: version: unsupported version 2; this OK Health reads version 1 files)json");
    QTest::newRow("version before unknown keys")
        << QByteArray(R"json({"version": "1.0", "services": []})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:1:13: version: unsupported version "1.0"; this OK Health reads version 1 files)json");
    QTest::newRow("root key typo")
        << QByteArray(R"json({"version": 1, "deployment": []})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:1:16: deployment: unknown key "deployment"; did you mean "deployments"?)json");
    QTest::newRow("no deployments") << QByteArray(R"json({"version": 1, "deployments": []})json") << QStringList{}
                                    << QString::fromUtf8(
                                           R"json(test.json:1:31: deployments: no deployments: add at least one)json");
    QTest::newRow("deployments missing") << QByteArray(R"json({"version": 1})json") << QStringList{}
                                         << QString::fromUtf8(
                                                R"json(test.json:1:1: missing required key "deployments")json");
}

void addSecretRows()
{
    QTest::newRow("redis url with a bad db")
        << inCheck(R"json({"name": "x", "type": "redis", "role": "info", "url": "redis://:${OKH_SECRET}@h/abc"})json")
        << QStringLiteral("deployments[0].services[0].checks[0].url");
    QTest::newRow("redis url with an unencoded slash")
        << inCheck(R"json({"name": "x", "type": "redis", "role": "info", "url": "redis://:${OKH_SECRET}/x@h/0"})json")
        << QStringLiteral("deployments[0].services[0].checks[0].url");
    QTest::newRow("http url with a password and a bad scheme")
        << inCheck(R"json({"name": "x", "type": "http", "role": "info", "url": "gopher://u:${OKH_SECRET}@h/"})json")
        << QStringLiteral("deployments[0].services[0].checks[0].url");
    QTest::newRow("profile redis url") << inDeployment(
        R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"redis": {"url": "rediss://:${OKH_SECRET}@h/0"}}}})json")
                                       << QStringLiteral("deployments[0].profile.services.redis.url");
}

QByteArray profileOverridesFile()
{
    return QByteArray(R"json({"version": 1, "deployments": [
    {"name": "overrides", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {
        "web": {"host": "10.1.0.2", "port": 8001, "hostHeader": "openklant.example.nl"},
        "nginx": {"host": "[::1]", "port": 8443, "hostHeader": "openklant.example.nl"},
        "redis": {"url": "redis://:s3cret@cache:6380/2"},
        "db": {"host": "pg.internal", "port": 5433, "user": "ok", "database": "ok_prod"}}}},
    {"name": "redis-fields", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {
        "web": {"hostHeader": ""},
        "redis": {"host": "cache", "password": "pw", "db": 1}}}},
    {"name": "shorthand", "connection": {"type": "direct"}, "profile": "openklant"},
    {"name": "object-form", "connection": {"type": "direct"}, "profile": {"name": "openklant"}},
    {"name": "no-nginx", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["nginx"]}},
    {"name": "no-db", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["db"]}},
    {"name": "no-web", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["web"]}},
    {"name": "redis-only", "connection": {"type": "direct"},
     "profile": {"name": "openklant", "exclude": ["web", "nginx", "db"]}}
]})json");
}

QByteArray profileMergeFile()
{
    return QByteArray(R"json({"version": 1, "deployments": [
    {"name": "merged", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["nginx"]},
     "services": [
        {"name": "web", "dependsOn": ["db"], "checks": [
            {"name": "livez", "timeout": "10s", "failureThreshold": 2},
            {"name": "readyz", "type": "tcp", "host": "web", "port": 8000},
            {"name": "healthz", "url": "http://web:8000/_healthz/?format=json", "headers": {"Accept": "application/json"}},
            {"name": "admin", "type": "http", "role": "info", "url": "http://web:8000/admin/", "expect": "denied"}
        ]},
        {"name": "redis", "kind": "other", "checks": [{"name": "ping", "password": "pw"}]},
        {"name": "flower", "kind": "celery-flower", "dependsOn": ["redis"], "checks": [
            {"name": "ui", "type": "http", "role": "readiness", "url": "http://flower:5555/"}
        ]},
        {"name": "nginx", "kind": "nginx", "checks": [
            {"name": "livez", "type": "http", "role": "liveness", "url": "http://edge/_healthz/livez/"}
        ]}
    ]}
]})json");
}

void addProfileErrorRows()
{
    QTest::newRow("unknown profile service")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"webb": {}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:95: deployments[0].profile.services.webb: unknown key "webb"; did you mean "web"?)json");
    QTest::newRow("celery not in the profile yet")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:95: deployments[0].profile.services.celery: the profile has no Celery services yet; describe "celery" under the deployment's "services" instead)json");
    QTest::newRow("exclude unknown service")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["flower"]}})json")
        << QString::fromUtf8(
               R"json(test.json:2:94: deployments[0].profile.exclude[0]: "flower" is not a service of the profile (services: web, nginx, redis, db))json");
    QTest::newRow("exclude typo")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["redis", "nginxx"]}})json")
        << QString::fromUtf8(
               R"json(test.json:2:103: deployments[0].profile.exclude[1]: "nginxx" is not a service of the profile (services: web, nginx, redis, db) did you mean "nginx"?)json");
    QTest::newRow("configured and excluded")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"nginx": {"port": 80}}, "exclude": ["nginx"]}})json")
        << QString::fromUtf8(
               R"json(test.json:2:95: deployments[0].profile.services.nginx: service "nginx" is configured here but excluded in "exclude")json");
    QTest::newRow("profile name missing")
        << inDeployment(R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"services": {}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:60: deployments[0].profile: missing required key "name" (supported: openklant))json");
    QTest::newRow("profile object key typo")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclued": ["nginx"]}})json")
        << QString::fromUtf8(
               R"json(test.json:2:82: deployments[0].profile.exclued: unknown key "exclued"; did you mean "exclude"?)json");
    QTest::newRow("profile of the wrong type")
        << inDeployment(R"json({"name": "d", "connection": {"type": "direct"}, "profile": 1})json")
        << QString::fromUtf8(
               R"json(test.json:2:60: deployments[0].profile: expected "openklant" or a profile object, got 1)json");
    QTest::newRow("web override unknown key")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"web": {"scheme": "https"}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:103: deployments[0].profile.services.web.scheme: unknown key "scheme"; expected one of: host, port, hostHeader)json");
    QTest::newRow("web port out of range")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"web": {"port": 0}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:111: deployments[0].profile.services.web.port: expected a whole number from 1 to 65535, got 0)json");
    QTest::newRow("db host empty")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"db": {"host": ""}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:110: deployments[0].profile.services.db.host: expected a host name or IP address, got "")json");
    QTest::newRow("redis override rediss")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"redis": {"url": "rediss://redis:6379/0"}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:112: deployments[0].profile.services.redis.url: the scheme rediss:// (Redis over TLS) is not supported yet; use redis://)json");
    QTest::newRow("redis override url and fields")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"redis": {"url": "redis://redis/0", "password": "x"}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:131: deployments[0].profile.services.redis.password: give either "url" or host/port/user/password/db, not both)json");
    QTest::newRow("merged check breaks the liveness rule")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "web", "checks": [{"name": "livez", "successThreshold": 2}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:151: deployments[0].services[0].checks[0].successThreshold: successThreshold must be 1 for liveness checks (a Kubernetes rule), got 2)json");
    QTest::newRow("merged check turned into startup")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "redis", "checks": [{"name": "ping", "successThreshold": 2, "role": "startup"}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:152: deployments[0].services[0].checks[0].successThreshold: successThreshold must be 1 for startup checks (a Kubernetes rule), got 2)json");
    QTest::newRow("new check in a profile service needs a type")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "web", "checks": [{"name": "admin", "role": "info"}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:113: deployments[0].services[0].checks[0]: missing required key "type" (one of http, tcp, redis, postgres))json");
    QTest::newRow("merged redis check with an http url")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "redis", "checks": [{"name": "ping", "url": "http://redis/"}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:139: deployments[0].services[0].checks[0].url: the scheme http:// is not supported; expected redis://)json");
    QTest::newRow("merged check with a key of its type")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "db", "checks": [{"name": "pg_isready", "expect": "denied"}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:135: deployments[0].services[0].checks[0].expect: key "expect" does not apply to postgres checks; they take: host, port, user, database)json");
    QTest::newRow("dependency on an excluded service")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["db"]}, "services": [{"name": "web", "dependsOn": ["redis", "db"]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:154: deployments[0].services[0].dependsOn[1]: service "web" depends on "db", which is not a service of this deployment (services: web, nginx, redis))json");
    QTest::newRow("profile service listed twice")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "web", "kind": "web"}, {"name": "web", "kind": "web"}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:127: deployments[0].services[1].name: duplicate service name "web" (also at deployments[0].services[0].name))json");
}

} // namespace okh::test
