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
               R"json(test.json:2:103: deployments[0].services[0].checks[0].colour: unknown key "colour"; expected one of: name, type, role, interval, timeout, failureThreshold, successThreshold, startPeriod, initialDelay, url, hostHeader, expect, headers, user, password)json");
    QTest::newRow("key of another check type")
        << inCheck(
               R"json({"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:8000/_healthz/livez/", "port": 80})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:103: deployments[0].services[0].checks[0].port: key "port" does not apply to http checks; they take: url, hostHeader, expect, headers, user, password)json");
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
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: missing required key "type" (one of http, tcp, redis, postgres, celery-ping, celery-heartbeat, file, exec))json");
    QTest::newRow("unknown type")
        << inCheck(R"json({"name": "x", "type": "https", "role": "info"})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:23: deployments[0].services[0].checks[0].type: unknown check type "https"; did you mean "http"? (supported: http, tcp, redis, postgres, celery-ping, celery-heartbeat, file, exec))json");
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
    QTest::newRow("redis rediss with a bad ssl_cert_reqs")
        << inCheck(R"json({"name": "x", "type": "redis", "role": "info", "url": "rediss://h/1?ssl_cert_reqs=yes"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:55: deployments[0].services[0].checks[0].url: ssl_cert_reqs must be required, optional or none (or CERT_REQUIRED, CERT_OPTIONAL, CERT_NONE), not "yes")json");
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
    QTest::newRow("redis db beyond the largest")
        << inCheck(R"json({"name": "x", "type": "redis", "role": "info", "db": 3000000000})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:54: deployments[0].services[0].checks[0].db: expected a whole number from 0 to 2147483647, got 3000000000)json");
    QTest::newRow("port with a plus sign")
        << inCheck(R"json({"name": "x", "type": "tcp", "role": "info", "host": "h", "port": "+80"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:67: deployments[0].services[0].checks[0].port: expected a whole number from 1 to 65535, got "+80")json");
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
               R"json(test.json:2:114: deployments[0].services[0].checks[0].timeout: "${" is followed by '1', which a variable name cannot hold: names are letters, digits and '_', not starting with a digit; a default is written ${NAME:-default})json");
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
               R"json(test.json:2:33: deployments[0].connection: missing required key "type" (supported: direct, ssh))json");
    QTest::newRow("connection type unknown")
        << inDeployment(
               R"json({"name": "local", "connection": {"type": "tunnel"}, "services": [{"name": "t", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:42: deployments[0].connection.type: unknown connection type "tunnel" (supported: direct, ssh))json");
    QTest::newRow("connection extra key")
        << inDeployment(
               R"json({"name": "local", "connection": {"type": "direct", "colour": "x"}, "services": [{"name": "t", "checks": [{"name": "t", "type": "tcp", "role": "info", "host": "h", "port": 1}]}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:52: deployments[0].connection.colour: unknown key "colour"; expected one of: type)json");
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

QByteArray celeryDeploymentFile()
{
    return QByteArray(
        R"json({"version": 1, "deployments": [{"name": "workers", "connection": {"type": "direct"}, "services": [
    {"name": "worker", "kind": "celery-worker", "exec": {"type": "docker", "container": "ok-celery-1"}, "checks": [
        {"name": "ping", "type": "celery-ping", "role": "liveness", "timeout": "5s",
         "broker": "redis://:${OKH_BROKER_PASSWORD}@broker.internal:6380/2", "workers": ["celery@docker", "celery@spare"],
         "pingTimeout": "2.5s", "controlExchange": "ok", "keyPrefix": "ok:"},
        {"name": "any", "type": "celery-ping", "role": "info", "timeout": "4s", "broker": "redis://broker.internal/0"},
        {"name": "heartbeat", "type": "celery-heartbeat", "role": "liveness", "timeout": "10s",
         "broker": "redis://broker.internal:6379/2", "workers": ["celery@docker"], "listen": "6s",
         "keyPrefix": "ok:", "eventExchange": "okev"},
        {"name": "heard", "type": "celery-heartbeat", "role": "info", "timeout": "6s", "broker": "redis://broker.internal"},
        {"name": "event-loop", "type": "file", "role": "liveness", "path": "/app/tmp/celery_worker_event_loop.live", "maxAge": "1m10s"},
        {"name": "ready", "type": "file", "role": "readiness", "path": "/app/tmp/celery_worker.ready"},
        {"name": "maykin", "type": "exec", "role": "info", "timeout": "10s",
         "command": ["maykin-common", "worker-health-check", "--broker", "${OKH_BROKER_URL:-redis://redis:6379/0}"]},
        {"name": "in-kube", "type": "exec", "role": "info", "command": ["true"],
         "exec": {"type": "kubectl", "pod": "deploy/openklant-worker", "namespace": "openklant", "context": "prod", "container": "worker"}},
        {"name": "local-file", "type": "file", "role": "info", "path": "/var/run/ok.pid", "exec": {"type": "local"}}
    ]},
    {"name": "compose", "exec": {"type": "compose", "service": "celery", "projectDirectory": "/srv/openklant",
                                 "files": ["docker-compose.yml", "docker-compose.override.yml"]}, "checks": [
        {"name": "cli", "type": "exec", "role": "readiness", "command": ["redis-cli", "-h", "redis", "ping"]}
    ]},
    {"name": "flower", "kind": "celery-flower", "checks": [
        {"name": "http", "type": "http", "role": "liveness", "url": "http://flower:5555/", "user": "admin",
         "password": "${OKH_FLOWER_PASSWORD}"}
    ]},
    {"name": "host", "checks": [
        {"name": "pid", "type": "file", "role": "info", "path": "/run/okhealth.pid"}
    ]}
]}]})json");
}

void addCeleryAndExecErrorRows()
{
    // celery-ping
    QTest::newRow("celery-ping broker missing")
        << inCheck(R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: missing required key "broker" (a Redis URL like "redis://redis:6379/0", the workers' CELERY_BROKER_URL))json");
    QTest::newRow("celery-ping broker not a string")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": {"host": "redis"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:85: deployments[0].services[0].checks[0].broker: expected a Redis URL like "redis://redis:6379/0", got an object)json");
    QTest::newRow("celery-ping broker with a bad db")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://:hunter2@redis/abc"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:85: deployments[0].services[0].checks[0].broker: the database (the URL path) must be a whole number between 0 and the server's limit - 1, not "abc")json");
    QTest::newRow("celery-ping broker sentinel")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "sentinel://s1:26379"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:85: deployments[0].services[0].checks[0].broker: the scheme sentinel:// (Redis Sentinel) is not supported yet; give the current master as redis://host:port/db)json");
    QTest::newRow("celery-ping workers as a string")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "workers": "celery@docker"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:115: deployments[0].services[0].checks[0].workers: expected an array of worker names like ["celery@docker"] ([] for any worker), got "celery@docker")json");
    QTest::newRow("celery-ping worker without a host part")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "workers": ["docker"]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:116: deployments[0].services[0].checks[0].workers[0]: "docker" is not a full Celery node name (name@host); did you mean "celery@docker"? A worker started with -n docker is called "celery@docker")json");
    QTest::newRow("celery-ping worker not a string")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "workers": [1]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:116: deployments[0].services[0].checks[0].workers[0]: expected a worker name, got 1)json");
    QTest::newRow("celery-ping worker empty")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "workers": [""]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:116: deployments[0].services[0].checks[0].workers[0]: a worker name cannot be empty; use [] to accept any worker)json");
    QTest::newRow("celery-ping worker from an unset variable")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "workers": ["${OKH_WORKER}"]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:116: deployments[0].services[0].checks[0].workers[0]: environment variable OKH_WORKER is not set)json");
    QTest::newRow("celery-ping worker from a variable without a host part")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "workers": ["${OKH_WORKER}"]})json")
        << QStringList{QStringLiteral("OKH_WORKER=worker1")}
        << QString::fromUtf8(
               R"json(test.json:2:116: deployments[0].services[0].checks[0].workers[0]: "worker1" (expanded from "${OKH_WORKER}") is not a full Celery node name (name@host); did you mean "celery@worker1"? A worker started with -n worker1 is called "celery@worker1")json");
    QTest::newRow("celery-ping worker twice")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "workers": ["celery@a", "celery@a"]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:128: deployments[0].services[0].checks[0].workers[1]: "celery@a" is listed twice)json");
    QTest::newRow("celery-ping pingTimeout zero")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "pingTimeout": 0})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:119: deployments[0].services[0].checks[0].pingTimeout: expected a duration greater than zero, got 0)json");
    QTest::newRow("celery-ping timeout shorter than pingTimeout + 1s")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "3s", "broker": "redis://redis/0", "workers": ["celery@docker"]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:69: deployments[0].services[0].checks[0].timeout: the check's timeout (3 s) must be at least pingTimeout + 1 s (4 s): when a named worker stays silent for pingTimeout (3 s), the check broadcasts a ping for 1 s more to name the workers that do answer, then removes its reply queue)json");
    QTest::newRow("celery-ping timeout equal to pingTimeout")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "2s", "pingTimeout": "2s", "broker": "redis://redis/0", "workers": ["celery@docker"]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:69: deployments[0].services[0].checks[0].timeout: the check's timeout (2 s) must be at least pingTimeout + 1 s (3 s): when a named worker stays silent for pingTimeout (2 s), the check broadcasts a ping for 1 s more to name the workers that do answer, then removes its reply queue)json");
    QTest::newRow("celery-ping pingTimeout too long for the timeout")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "broker": "redis://redis/0", "pingTimeout": "5s", "workers": ["celery@docker"]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:102: deployments[0].services[0].checks[0].pingTimeout: the check's timeout (1 s) must be at least pingTimeout + 1 s (6 s): when a named worker stays silent for pingTimeout (5 s), the check broadcasts a ping for 1 s more to name the workers that do answer, then removes its reply queue; set "timeout" (the default is 1 s))json");
    QTest::newRow("celery-ping default timeout")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "broker": "redis://redis/0", "workers": ["celery@docker"]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: the check's timeout (1 s) must be at least pingTimeout + 1 s (4 s): when a named worker stays silent for pingTimeout (3 s), the check broadcasts a ping for 1 s more to name the workers that do answer, then removes its reply queue; set "timeout" (the default is 1 s))json");
    QTest::newRow("celery-ping broadcast timeout")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "3.5s", "broker": "redis://redis/0"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:69: deployments[0].services[0].checks[0].timeout: the check's timeout (3.5 s) must be at least pingTimeout + 1 s (4 s): a broadcast ping collects replies until none has come for pingTimeout (3 s), then removes its reply queue)json");
    QTest::newRow("celery-ping controlExchange empty")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "controlExchange": ""})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:123: deployments[0].services[0].checks[0].controlExchange: the control exchange cannot be empty; Celery's default is "celery")json");
    QTest::newRow("celery-ping keyPrefix not a string")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "keyPrefix": 1})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:117: deployments[0].services[0].checks[0].keyPrefix: expected a string, got 1)json");
    QTest::newRow("celery-ping key typo")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "pingtimeout": "2s"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:104: deployments[0].services[0].checks[0].pingtimeout: unknown key "pingtimeout"; did you mean "pingTimeout"?)json");
    QTest::newRow("celery-ping key of the heartbeat")
        << inCheck(
               R"json({"name": "p", "type": "celery-ping", "role": "liveness", "timeout": "5s", "broker": "redis://redis/0", "listen": "2s"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:104: deployments[0].services[0].checks[0].listen: key "listen" does not apply to celery-ping checks; they take: broker, workers, pingTimeout, controlExchange, keyPrefix)json");
    QTest::newRow("celery-ping type typo")
        << inCheck(R"json({"name": "p", "type": "celery_ping", "role": "liveness"})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:23: deployments[0].services[0].checks[0].type: unknown check type "celery_ping"; did you mean "celery-ping"? (supported: http, tcp, redis, postgres, celery-ping, celery-heartbeat, file, exec))json");

    // celery-heartbeat
    QTest::newRow("celery-heartbeat broker missing")
        << inCheck(R"json({"name": "h", "type": "celery-heartbeat", "role": "info", "timeout": "10s"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: missing required key "broker" (a Redis URL like "redis://redis:6379/0", the workers' CELERY_BROKER_URL))json");
    QTest::newRow("celery-heartbeat listen as long as the timeout")
        << inCheck(
               R"json({"name": "h", "type": "celery-heartbeat", "role": "info", "timeout": "5s", "listen": "5s", "broker": "redis://redis/0"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:86: deployments[0].services[0].checks[0].listen: listen (5 s) must be shorter than the check's timeout (5 s): the check listens that long and must still finish in time)json");
    QTest::newRow("celery-heartbeat default listen and timeout")
        << inCheck(R"json({"name": "h", "type": "celery-heartbeat", "role": "info", "broker": "redis://redis/0"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: listen (5 s) must be shorter than the check's timeout (1 s): the check listens that long and must still finish in time; set "timeout" (the default is 1 s))json");
    QTest::newRow("celery-heartbeat listen zero")
        << inCheck(
               R"json({"name": "h", "type": "celery-heartbeat", "role": "info", "timeout": "5s", "listen": "0s", "broker": "redis://redis/0"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:86: deployments[0].services[0].checks[0].listen: expected a duration greater than zero, got "0s")json");
    QTest::newRow("celery-heartbeat eventExchange empty")
        << inCheck(
               R"json({"name": "h", "type": "celery-heartbeat", "role": "info", "timeout": "10s", "broker": "redis://redis/0", "eventExchange": ""})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:123: deployments[0].services[0].checks[0].eventExchange: the event exchange cannot be empty; Celery's default is "celeryev")json");
    QTest::newRow("celery-heartbeat key of the ping")
        << inCheck(
               R"json({"name": "h", "type": "celery-heartbeat", "role": "info", "timeout": "10s", "broker": "redis://redis/0", "pingTimeout": "1s"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:106: deployments[0].services[0].checks[0].pingTimeout: key "pingTimeout" does not apply to celery-heartbeat checks; they take: broker, workers, listen, keyPrefix, eventExchange)json");
    QTest::newRow("celery-heartbeat worker without a host part")
        << inCheck(
               R"json({"name": "h", "type": "celery-heartbeat", "role": "info", "timeout": "10s", "broker": "redis://redis/0", "workers": ["worker1"]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:118: deployments[0].services[0].checks[0].workers[0]: "worker1" is not a full Celery node name (name@host); did you mean "celery@worker1"? A worker started with -n worker1 is called "celery@worker1")json");

    // file
    QTest::newRow("file path missing")
        << inCheck(R"json({"name": "f", "type": "file", "role": "readiness"})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: missing required key "path" (an absolute path like "/app/tmp/celery_worker.ready"))json");
    QTest::newRow("file path relative")
        << inCheck(R"json({"name": "f", "type": "file", "role": "readiness", "path": "tmp/celery_worker.ready"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:60: deployments[0].services[0].checks[0].path: expected an absolute path (starting with /) inside the execution context, got "tmp/celery_worker.ready"; a relative path would depend on the working directory of the container)json");
    QTest::newRow("file path relative from a variable")
        << inCheck(R"json({"name": "f", "type": "file", "role": "readiness", "path": "${OKH_DIR}/ready"})json")
        << QStringList{QStringLiteral("OKH_DIR=tmp")}
        << QString::fromUtf8(
               R"json(test.json:2:60: deployments[0].services[0].checks[0].path: expected an absolute path (starting with /) inside the execution context, got "tmp/ready" (expanded from "${OKH_DIR}/ready"); a relative path would depend on the working directory of the container)json");
    QTest::newRow("file path not a string")
        << inCheck(R"json({"name": "f", "type": "file", "role": "readiness", "path": ["/app"]})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:60: deployments[0].services[0].checks[0].path: expected a string, got an array)json");
    QTest::newRow("file maxAge fraction")
        << inCheck(
               R"json({"name": "f", "type": "file", "role": "liveness", "path": "/app/live", "maxAge": "1.5s"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:82: deployments[0].services[0].checks[0].maxAge: expected a whole number of seconds (file ages are compared in whole seconds), got 1.5 s)json");
    QTest::newRow("file maxAge zero")
        << inCheck(R"json({"name": "f", "type": "file", "role": "liveness", "path": "/app/live", "maxAge": 0})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:82: deployments[0].services[0].checks[0].maxAge: expected a duration greater than zero, got 0)json");
    QTest::newRow("file maxAge not a duration")
        << inCheck(R"json({"name": "f", "type": "file", "role": "liveness", "path": "/app/live", "maxAge": "old"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:82: deployments[0].services[0].checks[0].maxAge: expected a duration like "5s" or a number of seconds, got "old")json");
    QTest::newRow("file key of exec checks")
        << inCheck(
               R"json({"name": "f", "type": "file", "role": "liveness", "path": "/app/live", "command": ["true"]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:72: deployments[0].services[0].checks[0].command: key "command" does not apply to file checks; they take: path, maxAge, exec)json");

    // exec
    QTest::newRow("exec command missing")
        << inCheck(R"json({"name": "e", "type": "exec", "role": "info"})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:1: deployments[0].services[0].checks[0]: missing required key "command" (an array like ["redis-cli", "ping"]))json");
    QTest::newRow("exec command as a shell string")
        << inCheck(R"json({"name": "e", "type": "exec", "role": "info", "command": "redis-cli -a hunter2 ping"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:58: deployments[0].services[0].checks[0].command: expected an array of strings, got a string: the command runs without a shell, so give the program and each argument as separate strings, e.g. ["redis-cli", "ping"] for redis-cli ping (for shell syntax, run ["sh", "-c", "…"]))json");
    QTest::newRow("exec command empty")
        << inCheck(R"json({"name": "e", "type": "exec", "role": "info", "command": []})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:58: deployments[0].services[0].checks[0].command: the command is empty; give at least the program to run)json");
    QTest::newRow("exec command object")
        << inCheck(R"json({"name": "e", "type": "exec", "role": "info", "command": {"program": "true"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:58: deployments[0].services[0].checks[0].command: expected an array of strings (the program and its arguments), got an object)json");
    QTest::newRow("exec argument not a string")
        << inCheck(R"json({"name": "e", "type": "exec", "role": "info", "command": ["redis-cli", "-a", 1234]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:78: deployments[0].services[0].checks[0].command[2]: expected a string, got a number)json");
    QTest::newRow("exec program empty")
        << inCheck(R"json({"name": "e", "type": "exec", "role": "info", "command": ["", "ping"]})json") << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:59: deployments[0].services[0].checks[0].command[0]: the program name cannot be empty)json");
    QTest::newRow("exec program like an option")
        << inCheck(R"json({"name": "e", "type": "exec", "role": "info", "command": ["--privileged", "sh"]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:59: deployments[0].services[0].checks[0].command[0]: the program name cannot start with '-')json");
    QTest::newRow("exec argument from an unset variable")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["redis-cli", "-a", "${OKH_PW}"]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:78: deployments[0].services[0].checks[0].command[2]: environment variable OKH_PW is not set)json");
    QTest::newRow("exec key of file checks")
        << inCheck(R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "maxAge": "70s"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:68: deployments[0].services[0].checks[0].maxAge: key "maxAge" does not apply to exec checks; they take: command, exec)json");

    // Execution contexts
    QTest::newRow("exec context on an http check")
        << inCheck(
               R"json({"name": "x", "type": "http", "role": "info", "url": "http://h/", "exec": {"type": "local"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:67: deployments[0].services[0].checks[0].exec: key "exec" does not apply to http checks; they take: url, hostHeader, expect, headers, user, password)json");
    QTest::newRow("exec context not an object")
        << inCheck(R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": "docker"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:76: deployments[0].services[0].checks[0].exec: expected an object, got "docker")json");
    QTest::newRow("exec context type missing")
        << inCheck(R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:76: deployments[0].services[0].checks[0].exec: missing required key "type" (one of local, docker, compose, kubectl))json");
    QTest::newRow("exec context type typo")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "dokcer"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:85: deployments[0].services[0].checks[0].exec.type: unknown execution context type "dokcer"; did you mean "docker"? (supported: local, docker, compose, kubectl))json");
    QTest::newRow("exec context type unknown")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "ssh"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:85: deployments[0].services[0].checks[0].exec.type: unknown execution context type "ssh" (supported: local, docker, compose, kubectl))json");
    QTest::newRow("docker container missing")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "docker"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:76: deployments[0].services[0].checks[0].exec: missing required key "container" (the container's name or ID, as docker ps shows it))json");
    QTest::newRow("docker container like an option")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "docker", "container": "-v"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:108: deployments[0].services[0].checks[0].exec.container: docker: a container name is required and must not start with '-', got "-v")json");
    QTest::newRow("docker container empty")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "docker", "container": ""}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:108: deployments[0].services[0].checks[0].exec.container: docker: a container name is required and must not start with '-', got "")json");
    QTest::newRow("docker container not a string")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "docker", "container": 1}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:108: deployments[0].services[0].checks[0].exec.container: expected a string, got 1)json");
    QTest::newRow("docker context with a compose key")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "docker", "container": "c", "service": "celery"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:113: deployments[0].services[0].checks[0].exec.service: key "service" does not apply to docker contexts; they take: container)json");
    QTest::newRow("local context with a container")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "local", "container": "c"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:94: deployments[0].services[0].checks[0].exec.container: key "container" does not apply to local contexts, which take only "type")json");
    QTest::newRow("compose service missing")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "compose", "projectDirectory": "/srv"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:76: deployments[0].services[0].checks[0].exec: missing required key "service" (the service name in the compose file, e.g. "celery"))json");
    QTest::newRow("compose file like an option")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "compose", "service": "celery", "files": ["a.yml", "-p"]}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:136: deployments[0].services[0].checks[0].exec.files[1]: compose: file names must not be empty or start with '-', got "-p")json");
    QTest::newRow("compose files as a string")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "compose", "service": "celery", "files": "a.yml"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:126: deployments[0].services[0].checks[0].exec.files: expected an array, got "a.yml")json");
    QTest::newRow("compose project directory like an option")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "compose", "service": "celery", "projectDirectory": "--project-name=x"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:137: deployments[0].services[0].checks[0].exec.projectDirectory: compose: the project directory must not start with '-', got "--project-name=x")json");
    QTest::newRow("kubectl pod missing")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "kubectl", "namespace": "ok"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:76: deployments[0].services[0].checks[0].exec: missing required key "pod" (the pod's name, or a resource such as "deploy/openklant-worker"))json");
    QTest::newRow("kubectl namespace like an option, after an empty context")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "kubectl", "pod": "p", "context": "", "namespace": "-A"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:136: deployments[0].services[0].checks[0].exec.namespace: kubectl: container, namespace and context must not start with '-', got "-A")json");
    QTest::newRow("kubectl key typo")
        << inCheck(
               R"json({"name": "e", "type": "exec", "role": "info", "command": ["true"], "exec": {"type": "kubectl", "pod": "p", "namespce": "ok"}})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:108: deployments[0].services[0].checks[0].exec.namespce: unknown key "namespce"; did you mean "namespace"?)json");
    QTest::newRow("service exec container like an option")
        << inService(
               R"json({"name": "celery", "exec": {"type": "docker", "container": "--privileged"}, "checks": [{"name": "e", "type": "exec", "role": "info", "command": ["true"]}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:60: deployments[0].services[0].exec.container: docker: a container name is required and must not start with '-', got "--privileged")json");
    QTest::newRow("service exec container from a variable")
        << inService(
               R"json({"name": "celery", "exec": {"type": "docker", "container": "${OKH_CONTAINER}"}, "checks": [{"name": "e", "type": "exec", "role": "info", "command": ["true"]}]})json")
        << QStringList{QStringLiteral("OKH_CONTAINER=-rm")}
        << QString::fromUtf8(
               R"json(test.json:2:60: deployments[0].services[0].exec.container: docker: a container name is required and must not start with '-', got "-rm" (expanded from "${OKH_CONTAINER}"))json");
    QTest::newRow("service key typo")
        << inService(
               R"json({"name": "celery", "exce": {"type": "local"}, "checks": [{"name": "e", "type": "exec", "role": "info", "command": ["true"]}]})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:20: deployments[0].services[0].exce: unknown key "exce"; expected one of: name, kind, dependsOn, exec, checks)json");

    // http basic auth
    QTest::newRow("http user with a colon, not echoed")
        << inCheck(
               R"json({"name": "x", "type": "http", "role": "info", "url": "http://h/", "user": "admin:hunter2"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:75: deployments[0].services[0].checks[0].user: a basic-auth user name cannot contain ':'; give the part after ':' as "password" (Flower's --basic-auth=user:password))json");
    QTest::newRow("http password without a user")
        << inCheck(
               R"json({"name": "x", "type": "http", "role": "info", "url": "http://h/", "password": "hunter2"})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:79: deployments[0].services[0].checks[0].password: a password needs a "user": HTTP basic authentication sends both)json");
    QTest::newRow("http user not a string")
        << inCheck(R"json({"name": "x", "type": "http", "role": "info", "url": "http://h/", "user": 7})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:75: deployments[0].services[0].checks[0].user: expected a string, got 7)json");
    QTest::newRow("http password not a string, not echoed")
        << inCheck(
               R"json({"name": "x", "type": "http", "role": "info", "url": "http://h/", "user": "a", "password": 4321})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:92: deployments[0].services[0].checks[0].password: expected a string, got a number)json");
    QTest::newRow("http key of redis checks")
        << inCheck(R"json({"name": "x", "type": "http", "role": "info", "url": "http://h/", "db": 1})json")
        << QStringList{}
        << QString::fromUtf8(
               R"json(test.json:2:67: deployments[0].services[0].checks[0].db: key "db" does not apply to http checks; they take: url, hostHeader, expect, headers, user, password)json");
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
        R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"redis": {"url": "rediss://:${OKH_SECRET}@h/0?ssl_cert_reqs=x"}}}})json")
                                       << QStringLiteral("deployments[0].profile.services.redis.url");
    QTest::newRow("celery-ping broker with a bad db") << inCheck(
        R"json({"name": "x", "type": "celery-ping", "role": "info", "timeout": "5s", "broker": "redis://:${OKH_SECRET}@h/abc"})json")
                                                      << QStringLiteral("deployments[0].services[0].checks[0].broker");
    QTest::newRow("celery-ping broker with an unencoded slash") << inCheck(
        R"json({"name": "x", "type": "celery-ping", "role": "info", "timeout": "5s", "broker": "redis://:${OKH_SECRET}/x@h/0"})json")
                                                                << QStringLiteral(
                                                                       "deployments[0].services[0].checks[0].broker");
    QTest::newRow("celery-heartbeat broker over TLS") << inCheck(
        R"json({"name": "x", "type": "celery-heartbeat", "role": "info", "timeout": "9s", "broker": "rediss://:${OKH_SECRET}@h/0?ssl_ciphers=x"})json")
                                                      << QStringLiteral("deployments[0].services[0].checks[0].broker");
    QTest::newRow("http url with a '/' in its password") << inCheck(
        R"json({"name": "x", "type": "http", "role": "info", "url": "http://admin:${OKH_SLASHED}@flower:5555/"})json")
                                                         << QStringLiteral("deployments[0].services[0].checks[0].url");
    QTest::newRow("http url with a '?' in its password") << inCheck(
        R"json({"name": "x", "type": "http", "role": "info", "url": "http://admin:hun?${OKH_SECRET}@flower:5555/"})json")
                                                         << QStringLiteral("deployments[0].services[0].checks[0].url");
    QTest::newRow("redis url with a '#' in its password") << inCheck(
        R"json({"name": "x", "type": "redis", "role": "info", "url": "redis://:hun#${OKH_SECRET}@redis:6379/0"})json")
                                                          << QStringLiteral("deployments[0].services[0].checks[0].url");
    QTest::newRow("a database URL expanded into a host")
        << inCheck(R"json({"name": "x", "type": "postgres", "role": "info", "host": "${OKH_DATABASE_URL}"})json")
        << QStringLiteral("deployments[0].services[0].checks[0].host");
    QTest::newRow("http user:password in user") << inCheck(
        R"json({"name": "x", "type": "http", "role": "info", "url": "http://h/", "user": "admin:${OKH_SECRET}"})json")
                                                << QStringLiteral("deployments[0].services[0].checks[0].user");
    QTest::newRow("http password without a user") << inCheck(
        R"json({"name": "x", "type": "http", "role": "info", "url": "http://h/", "password": "${OKH_SECRET}"})json")
                                                  << QStringLiteral("deployments[0].services[0].checks[0].password");
    QTest::newRow("exec command as a string") << inCheck(
        R"json({"name": "x", "type": "exec", "role": "info", "command": "redis-cli -a ${OKH_SECRET} ping"})json")
                                              << QStringLiteral("deployments[0].services[0].checks[0].command");
    QTest::newRow("profile celery broker") << inDeployment(
        R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"broker": "redis://:${OKH_SECRET}@h/x"}}}})json")
                                           << QStringLiteral("deployments[0].profile.services.celery.broker");
    QTest::newRow("profile flower password without a user") << inDeployment(
        R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery-flower": {"password": "${OKH_SECRET}"}}}})json")
                                                            << QStringLiteral("deployments[0].profile.services.celery-"
                                                                              "flower.password");
    QTest::newRow("profile flower user:password in user") << inDeployment(
        R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery-flower": {"user": "admin:${OKH_SECRET}"}}}})json")
                                                          << QStringLiteral(
                                                                 "deployments[0].profile.services.celery-flower.user");
    QTest::newRow("ssh password") << inConnection(
        R"json({"type": "ssh", "host": "h", "password": "${OKH_SECRET}"})json")
                                  << QStringLiteral("deployments[0].connection.password");
    QTest::newRow("ssh passphrase of a jump host") << inConnection(
        R"json({"type": "ssh", "host": "h", "jumps": [{"host": "b", "passphrase": "${OKH_SECRET}"}]})json")
                                                   << QStringLiteral("deployments[0].connection.jumps[0].passphrase");
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
     "profile": {"name": "openklant", "exclude": ["web", "nginx", "db", "celery", "celery-flower"]}},
    {"name": "no-flower", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["celery-flower"]}},
    {"name": "no-celery", "connection": {"type": "direct"},
     "profile": {"name": "openklant", "exclude": ["celery", "celery-flower"]}},
    {"name": "celery-overrides", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {
        "redis": {"url": "redis://:s3cret@cache:6380/2"},
        "celery": {"workerName": "celery@openklant-worker-7d9f",
                   "exec": {"type": "kubectl", "pod": "deploy/openklant-worker", "namespace": "openklant"},
                   "livenessFile": "/tmp/celery_worker_event_loop_live", "readinessFile": "/tmp/celery_worker_ready",
                   "maxAge": "2m"},
        "celery-flower": {"host": "127.0.0.1", "port": 5556, "user": "admin", "password": "flower-pw"}}}},
    {"name": "celery-broker", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {
        "redis": {"host": "cache", "password": "pw"},
        "celery": {"broker": "redis://broker:6379/5", "workers": ["celery@a", "celery@b"]}}}},
    {"name": "celery-broadcast", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {
        "celery": {"workers": []}}}}
]})json");
}

QByteArray nginxInsideFile()
{
    return R"json({"version": 1, "deployments": [{"name": "d", "connection": {"type": "direct"},
        "profile": "openklant", "services": [
        {"name": "nginx", "exec": {"type": "compose", "service": "nginx"}, "checks": [
            {"name": "readyz", "type": "exec",
             "command": ["curl", "-fsS", "-o", "/dev/null", "http://localhost:8080/_healthz/readyz/"]}
        ]}]}]})json";
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
        ]},
        {"name": "celery", "exec": {"type": "docker", "container": "openklant-celery-1"}, "checks": [
            {"name": "ping", "workers": [], "timeout": "6s"},
            {"name": "ready", "exec": {"type": "compose", "service": "worker"}},
            {"name": "maykin", "type": "exec", "role": "info", "timeout": "10s",
             "command": ["maykin-common", "worker-health-check", "--skip-ping"]}
        ]},
        {"name": "celery-flower", "checks": [{"name": "http", "user": "admin", "password": "pw"}]}
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
    QTest::newRow("celery-flower typo")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery-flowr": {}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:95: deployments[0].profile.services.celery-flowr: unknown key "celery-flowr"; did you mean "celery-flower"?)json");
    QTest::newRow("flower is celery-flower")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"flower": {"port": 5555}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:95: deployments[0].profile.services.flower: unknown key "flower"; did you mean "celery-flower"?)json");
    QTest::newRow("celery key typo")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"workername": "celery@docker"}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:106: deployments[0].profile.services.celery.workername: unknown key "workername"; did you mean "workerName"?)json");
    QTest::newRow("celery workerName and workers")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"workerName": "celery@a", "workers": ["celery@b"]}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:132: deployments[0].profile.services.celery.workers: give either "workerName" or "workers", not both)json");
    QTest::newRow("celery workerName without a host part")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"workerName": "docker"}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:120: deployments[0].profile.services.celery.workerName: "docker" is not a full Celery node name (name@host); did you mean "celery@docker"? A worker started with -n docker is called "celery@docker")json");
    QTest::newRow("celery workerName not a string")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"workerName": ["celery@docker"]}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:120: deployments[0].profile.services.celery.workerName: expected a string, got an array)json");
    QTest::newRow("celery workers as a string")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"workers": "celery@docker"}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:117: deployments[0].profile.services.celery.workers: expected an array of worker names like ["celery@docker"] ([] for any worker), got "celery@docker")json");
    QTest::newRow("celery broker over TLS, unknown parameter")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"broker": "rediss://redis:6379/0?ssl_version=3"}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:116: deployments[0].profile.services.celery.broker: the TLS parameter "ssl_version" is not supported (supported: ssl_cert_reqs, ssl_ca_certs, ssl_certfile, ssl_keyfile, ssl_check_hostname))json");
    QTest::newRow("celery broker as fields")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"broker": {"host": "redis"}}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:116: deployments[0].profile.services.celery.broker: expected a Redis URL like "redis://redis:6379/0", got an object)json");
    QTest::newRow("celery exec service like an option")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"exec": {"type": "compose", "service": "-d"}}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:145: deployments[0].profile.services.celery.exec.service: compose: a service name is required and must not start with '-', got "-d")json");
    QTest::newRow("celery exec key of another context")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"exec": {"type": "compose", "service": "celery", "pod": "p"}}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:155: deployments[0].profile.services.celery.exec.pod: key "pod" does not apply to compose contexts; they take: service, projectDirectory, files)json");
    QTest::newRow("celery livenessFile relative")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"livenessFile": "tmp/celery_worker_event_loop.live"}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:122: deployments[0].profile.services.celery.livenessFile: expected an absolute path (starting with /) inside the execution context, got "tmp/celery_worker_event_loop.live"; a relative path would depend on the working directory of the container)json");
    QTest::newRow("celery maxAge fraction")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"maxAge": 70.5}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:116: deployments[0].profile.services.celery.maxAge: expected a whole number of seconds (file ages are compared in whole seconds), got 70.5 s)json");
    QTest::newRow("celery readinessFile not a string")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"readinessFile": true}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:123: deployments[0].profile.services.celery.readinessFile: expected a string, got true)json");
    QTest::newRow("flower key of web")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery-flower": {"hostHeader": "localhost"}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:113: deployments[0].profile.services.celery-flower.hostHeader: unknown key "hostHeader"; expected one of: host, port, user, password)json");
    QTest::newRow("flower password without a user")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery-flower": {"password": "pw"}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:125: deployments[0].profile.services.celery-flower.password: a password needs a "user": HTTP basic authentication sends both)json");
    QTest::newRow("flower port out of range")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery-flower": {"port": 70000}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:121: deployments[0].profile.services.celery-flower.port: expected a whole number from 1 to 65535, got 70000)json");
    QTest::newRow("celery configured and excluded")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"celery": {"workers": []}}, "exclude": ["celery"]}})json")
        << QString::fromUtf8(
               R"json(test.json:2:95: deployments[0].profile.services.celery: service "celery" is configured here but excluded in "exclude")json");
    QTest::newRow("merged ping timeout too short")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "celery", "checks": [{"name": "ping", "timeout": "3s"}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:144: deployments[0].services[0].checks[0].timeout: the check's timeout (3 s) must be at least pingTimeout + 1 s (4 s): when a named worker stays silent for pingTimeout (3 s), the check broadcasts a ping for 1 s more to name the workers that do answer, then removes its reply queue)json");
    QTest::newRow("merged pingTimeout too long")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "celery", "checks": [{"name": "ping", "pingTimeout": "5s"}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:148: deployments[0].services[0].checks[0].pingTimeout: the check's timeout (5 s) must be at least pingTimeout + 1 s (6 s): when a named worker stays silent for pingTimeout (5 s), the check broadcasts a ping for 1 s more to name the workers that do answer, then removes its reply queue)json");
    QTest::newRow("merged ping with a key of exec checks")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "celery", "checks": [{"name": "ping", "command": ["true"]}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:133: deployments[0].services[0].checks[0].command: key "command" does not apply to celery-ping checks; they take: broker, workers, pingTimeout, controlExchange, keyPrefix)json");
    QTest::newRow("merged event-loop with a relative path")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "celery", "checks": [{"name": "event-loop", "path": "live"}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:147: deployments[0].services[0].checks[0].path: expected an absolute path (starting with /) inside the execution context, got "live"; a relative path would depend on the working directory of the container)json");
    QTest::newRow("merged ready with a bad exec")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "celery", "checks": [{"name": "ready", "exec": {"type": "docker", "container": "-it"}}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:174: deployments[0].services[0].checks[0].exec.container: docker: a container name is required and must not start with '-', got "-it")json");
    QTest::newRow("service exec on a profile service without a container")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "celery", "exec": {"type": "docker"}}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:113: deployments[0].services[0].exec: missing required key "container" (the container's name or ID, as docker ps shows it))json");
    QTest::newRow("merged flower http with a password only")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "celery-flower", "checks": [{"name": "http", "password": "pw"}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:152: deployments[0].services[0].checks[0].password: a password needs a "user": HTTP basic authentication sends both)json");
    QTest::newRow("merged file check turned into exec needs a command")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "celery", "checks": [{"name": "ready", "type": "exec"}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:116: deployments[0].services[0].checks[0]: missing required key "command" (an array like ["redis-cli", "ping"]))json");
    QTest::newRow("exclude a service the profile lacks")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["beat"]}})json")
        << QString::fromUtf8(
               R"json(test.json:2:94: deployments[0].profile.exclude[0]: "beat" is not a service of the profile (services: web, nginx, redis, db, celery, celery-flower))json");
    QTest::newRow("exclude unknown service")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["flower"]}})json")
        << QString::fromUtf8(
               R"json(test.json:2:94: deployments[0].profile.exclude[0]: "flower" is not a service of the profile (services: web, nginx, redis, db, celery, celery-flower) did you mean "celery-flower"?)json");
    QTest::newRow("exclude typo")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["redis", "nginxx"]}})json")
        << QString::fromUtf8(
               R"json(test.json:2:103: deployments[0].profile.exclude[1]: "nginxx" is not a service of the profile (services: web, nginx, redis, db, celery, celery-flower) did you mean "nginx"?)json");
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
    QTest::newRow("redis override, TLS parameter on redis://")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "services": {"redis": {"url": "redis://redis:6379/0?ssl_cert_reqs=none"}}}})json")
        << QString::fromUtf8(
               R"json(test.json:2:112: deployments[0].profile.services.redis.url: the TLS parameter "ssl_cert_reqs" needs a rediss:// URL)json");
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
               R"json(test.json:2:113: deployments[0].services[0].checks[0]: missing required key "type" (one of http, tcp, redis, postgres, celery-ping, celery-heartbeat, file, exec))json");
    QTest::newRow("merged redis check with an http url")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "redis", "checks": [{"name": "ping", "url": "http://redis/"}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:139: deployments[0].services[0].checks[0].url: the scheme http:// is not supported; expected redis:// or rediss://)json");
    QTest::newRow("merged check with a key of its type")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "db", "checks": [{"name": "pg_isready", "expect": "denied"}]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:135: deployments[0].services[0].checks[0].expect: key "expect" does not apply to postgres checks; they take: host, port, user, database)json");
    QTest::newRow("dependency on an excluded service")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": {"name": "openklant", "exclude": ["db"]}, "services": [{"name": "web", "dependsOn": ["redis", "db"]}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:154: deployments[0].services[0].dependsOn[1]: service "web" depends on "db", which is not a service of this deployment (services: web, nginx, redis, celery, celery-flower))json");
    QTest::newRow("profile service listed twice")
        << inDeployment(
               R"json({"name": "d", "connection": {"type": "direct"}, "profile": "openklant", "services": [{"name": "web", "kind": "web"}, {"name": "web", "kind": "web"}]})json")
        << QString::fromUtf8(
               R"json(test.json:2:127: deployments[0].services[1].name: duplicate service name "web" (also at deployments[0].services[0].name))json");
}

} // namespace okh::test

namespace okh::test {

QByteArray inConnection(const char* connection)
{
    return QByteArrayLiteral(
               R"json({"version": 1, "deployments": [{"name": "d", "services": [{"name": "s", "checks": [{"name": "c", "type": "tcp", "role": "info", "host": "h", "port": 1}]}], "connection":
)json") + connection
        + QByteArrayLiteral("\n}]}\n");
}

void addSshConnectionErrorRows()
{
    const auto row = [](const char* tag, const char* connection, const QStringList& env, const char* expected) {
        QTest::newRow(tag) << inConnection(connection) << env << QString::fromUtf8(expected);
    };
    // The connection type.
    row("ssh: type in another case", R"json({"type": "SSH", "host": "h"})json", {},
        R"json(test.json:2:10: deployments[0].connection.type: unknown connection type "SSH"; did you mean "ssh"? (supported: direct, ssh))json");
    row("direct: an ssh key", R"json({"type": "direct", "user": "deploy"})json", {},
        R"json(test.json:2:20: deployments[0].connection.user: key "user" applies to ssh connections ("type": "ssh"); a direct connection takes only "type")json");
    row("direct: a jump host", R"json({"type": "direct", "jump": {"host": "b"}})json", {},
        R"json(test.json:2:20: deployments[0].connection.jump: key "jump" applies to ssh connections ("type": "ssh"); a direct connection takes only "type")json");

    // Keys.
    row("ssh: host missing", R"json({"type": "ssh"})json", {},
        R"json(test.json:2:1: deployments[0].connection: missing required key "host" (the SSH server's name or address, or a Host alias of the ssh config))json");
    row("ssh: unknown key with suggestion", R"json({"type": "ssh", "host": "h", "identityFile": "~/.ssh/id"})json", {},
        R"json(test.json:2:30: deployments[0].connection.identityFile: unknown key "identityFile"; did you mean "identityFiles"?)json");
    row("ssh: unknown key", R"json({"type": "ssh", "host": "h", "colour": 1})json", {},
        R"json(test.json:2:30: deployments[0].connection.colour: unknown key "colour"; expected one of: type, host, port, user, identityFiles, useAgent, knownHostsFile, hostKeyPolicy, jump, jumps, keepalive, connectTimeout, sshConfig)json");
    row("ssh: password refused", R"json({"type": "ssh", "host": "h", "user": "u", "password": "pw"})json", {},
        R"json(test.json:2:43: deployments[0].connection.password: SSH passwords are not supported: OK Health logs in with keys only (the agent, then "identityFiles"); install a public key on the server (ssh-copy-id) and, for a key with a passphrase, load it into ssh-agent)json");
    row("ssh: passphrase refused", R"json({"type": "ssh", "host": "h", "passphrase": "pw"})json", {},
        R"json(test.json:2:30: deployments[0].connection.passphrase: key passphrases are never stored: OK Health asks for one when a key needs it; for unattended runs, load the key into ssh-agent (ssh-add) and keep "useAgent" on)json");
    row("ssh: password of a jump host refused",
        R"json({"type": "ssh", "host": "h", "jump": {"host": "b", "password": "pw"}})json", {},
        R"json(test.json:2:52: deployments[0].connection.jump.password: SSH passwords are not supported: OK Health logs in with keys only (the agent, then "identityFiles"); install a public key on the server (ssh-copy-id) and, for a key with a passphrase, load it into ssh-agent)json");

    // Host keys are always verified.
    for (const char* policy : {"no", "off", "ignore", "accept", "insecure"}) {
        const QByteArray connection
            = QByteArrayLiteral(R"json({"type": "ssh", "host": "h", "hostKeyPolicy": ")json") + policy + "\"}";
        QTest::addRow("ssh: host key policy %s refused", policy)
            << inConnection(connection.constData()) << QStringList{}
            << QString::fromUtf8(
                   R"json(test.json:2:47: deployments[0].connection.hostKeyPolicy: host key policy "%1" is refused: OK Health always verifies host keys, so that a changed key (a reinstalled server, or someone in between) is never accepted; use "strict" (the key must be in known_hosts) or "accept-new" (an unknown key is added on first contact, a changed one is still refused))json")
                   .arg(QLatin1String(policy));
    }
    row("ssh: host key policy in OpenSSH's words", R"json({"type": "ssh", "host": "h", "hostKeyPolicy": "yes"})json",
        {},
        R"json(test.json:2:47: deployments[0].connection.hostKeyPolicy: unknown host key policy "yes"; OpenSSH's StrictHostKeyChecking yes is "strict" here (supported: strict, accept-new))json");
    row("ssh: host key policy typo", R"json({"type": "ssh", "host": "h", "hostKeyPolicy": "stict"})json", {},
        R"json(test.json:2:47: deployments[0].connection.hostKeyPolicy: unknown host key policy "stict"; did you mean "strict"? (supported: strict, accept-new))json");
    row("ssh: host key policy unknown", R"json({"type": "ssh", "host": "h", "hostKeyPolicy": "maybe"})json", {},
        R"json(test.json:2:47: deployments[0].connection.hostKeyPolicy: unknown host key policy "maybe" (supported: strict, accept-new; host keys are always verified))json");
    row("ssh: host key policy not a string", R"json({"type": "ssh", "host": "h", "hostKeyPolicy": false})json", {},
        R"json(test.json:2:47: deployments[0].connection.hostKeyPolicy: expected a string, got false)json");

    // The host.
    row("ssh: host empty", R"json({"type": "ssh", "host": ""})json", {},
        R"json(test.json:2:25: deployments[0].connection.host: expected a host name, an IP address or a Host alias of the ssh config, got "")json");
    row("ssh: host with a space", R"json({"type": "ssh", "host": "a b"})json", {},
        R"json(test.json:2:25: deployments[0].connection.host: expected a host name, an IP address or a Host alias of the ssh config, got "a b")json");
    row("ssh: host that would be an option", R"json({"type": "ssh", "host": "-oProxyCommand=sh"})json", {},
        R"json(test.json:2:25: deployments[0].connection.host: expected a host name, an IP address or a Host alias of the ssh config, got "-oProxyCommand=sh")json");
    row("ssh: host with a user", R"json({"type": "ssh", "host": "deploy@bastion"})json", {},
        R"json(test.json:2:25: deployments[0].connection.host: expected a host name without a user, got "deploy@bastion"; give the user as "user": "deploy")json");
    row("ssh: host with a port", R"json({"type": "ssh", "host": "bastion:2222"})json", {},
        R"json(test.json:2:25: deployments[0].connection.host: expected a host name without a port, got "bastion:2222"; give the port as "port": 2222)json");
    row("ssh: host not a name", R"json({"type": "ssh", "host": "a!b"})json", {},
        R"json(test.json:2:25: deployments[0].connection.host: "a!b" is neither a host name or IP address nor a Host alias of the ssh config)json");
    row("ssh: host not a string", R"json({"type": "ssh", "host": 5})json", {},
        R"json(test.json:2:25: deployments[0].connection.host: expected a string, got 5)json");
    row("ssh: unset variable", R"json({"type": "ssh", "host": "${OKH_UNSET_HOST}"})json", {},
        R"json(test.json:2:25: deployments[0].connection.host: environment variable OKH_UNSET_HOST is not set)json");

    // Port and user.
    row("ssh: port out of range", R"json({"type": "ssh", "host": "h", "port": 70000})json", {},
        R"json(test.json:2:38: deployments[0].connection.port: expected a whole number from 1 to 65535, got 70000)json");
    row("ssh: port from a variable", R"json({"type": "ssh", "host": "h", "port": "${OKH_PORT}"})json",
        {QStringLiteral("OKH_PORT=ssh")},
        R"json(test.json:2:38: deployments[0].connection.port: expected a whole number from 1 to 65535, got "ssh" (expanded from "${OKH_PORT}"))json");
    row("ssh: user empty", R"json({"type": "ssh", "host": "h", "user": ""})json", {},
        R"json(test.json:2:38: deployments[0].connection.user: expected a user name without spaces that does not start with '-', got "")json");
    row("ssh: user with a space", R"json({"type": "ssh", "host": "h", "user": "a b"})json", {},
        R"json(test.json:2:38: deployments[0].connection.user: expected a user name without spaces that does not start with '-', got "a b")json");
    row("ssh: user that would be an option", R"json({"type": "ssh", "host": "h", "user": "-x"})json", {},
        R"json(test.json:2:38: deployments[0].connection.user: expected a user name without spaces that does not start with '-', got "-x")json");

    // Files.
    row("ssh: identityFiles a string", R"json({"type": "ssh", "host": "h", "identityFiles": "~/.ssh/id"})json", {},
        R"json(test.json:2:47: deployments[0].connection.identityFiles: expected an array of private key files like ["~/.ssh/id_ed25519"], got "~/.ssh/id")json");
    row("ssh: identityFiles empty", R"json({"type": "ssh", "host": "h", "identityFiles": []})json", {},
        R"json(test.json:2:47: deployments[0].connection.identityFiles: no key files: give at least one, or leave "identityFiles" out for ssh's defaults (~/.ssh/id_ed25519, id_ecdsa, id_rsa))json");
    row("ssh: identity file relative", R"json({"type": "ssh", "host": "h", "identityFiles": ["id_ed25519"]})json", {},
        R"json(test.json:2:48: deployments[0].connection.identityFiles[0]: expected an absolute path or one starting with ~/, got "id_ed25519"; a relative path would depend on the directory OK Health is started in)json");
    row("ssh: identity file missing", R"json({"type": "ssh", "host": "h", "identityFiles": ["~/.ssh/none"]})json",
        {QStringLiteral("HOME=/okh-test-home/")},
        R"json(test.json:2:48: deployments[0].connection.identityFiles[0]: no such private key file: /okh-test-home/.ssh/none)json");
    row("ssh: identity file a directory", R"json({"type": "ssh", "host": "h", "identityFiles": ["/"]})json", {},
        R"json(test.json:2:48: deployments[0].connection.identityFiles[0]: / is not a file)json");
    row("ssh: identity file not a string", R"json({"type": "ssh", "host": "h", "identityFiles": [1]})json", {},
        R"json(test.json:2:48: deployments[0].connection.identityFiles[0]: expected a private key file, got 1)json");
    row("ssh: known_hosts relative", R"json({"type": "ssh", "host": "h", "knownHostsFile": "known_hosts"})json", {},
        R"json(test.json:2:48: deployments[0].connection.knownHostsFile: expected an absolute path or one starting with ~/, got "known_hosts"; a relative path would depend on the directory OK Health is started in)json");
    row("ssh: sshConfig relative", R"json({"type": "ssh", "host": "h", "sshConfig": "config"})json", {},
        R"json(test.json:2:43: deployments[0].connection.sshConfig: expected an absolute path or one starting with ~/, got "config"; a relative path would depend on the directory OK Health is started in)json");
    row("ssh: sshConfig missing", R"json({"type": "ssh", "host": "h", "sshConfig": "~/none"})json",
        {QStringLiteral("HOME=/okh-test-home")},
        R"json(test.json:2:43: deployments[0].connection.sshConfig: in the ssh config: /okh-test-home/none: cannot read the file: No such file or directory)json");

    // Agent and times.
    row("ssh: useAgent yes", R"json({"type": "ssh", "host": "h", "useAgent": "yes"})json", {},
        R"json(test.json:2:42: deployments[0].connection.useAgent: expected true or false, got "yes")json");
    row("ssh: useAgent a number", R"json({"type": "ssh", "host": "h", "useAgent": 1})json", {},
        R"json(test.json:2:42: deployments[0].connection.useAgent: expected true or false, got 1)json");
    row("ssh: keepalive a fraction", R"json({"type": "ssh", "host": "h", "keepalive": "1.5s"})json", {},
        R"json(test.json:2:43: deployments[0].connection.keepalive: expected a whole number of seconds (SSH keepalives and connect timeouts are set in seconds), got 1.5 s)json");
    row("ssh: keepalive zero", R"json({"type": "ssh", "host": "h", "keepalive": 0})json", {},
        R"json(test.json:2:43: deployments[0].connection.keepalive: expected a duration greater than zero, got 0)json");
    row("ssh: connectTimeout not a duration", R"json({"type": "ssh", "host": "h", "connectTimeout": "soon"})json", {},
        R"json(test.json:2:48: deployments[0].connection.connectTimeout: expected a duration like "5s" or a number of seconds, got "soon")json");

    // Jump hosts.
    row("ssh: jump and jumps", R"json({"type": "ssh", "host": "h", "jump": {"host": "a"}, "jumps": []})json", {},
        R"json(test.json:2:53: deployments[0].connection.jumps: give either "jump" (one jump host) or "jumps" (a chain, the first reached directly), not both)json");
    row("ssh: jump a string", R"json({"type": "ssh", "host": "h", "jump": "bastion"})json", {},
        R"json(test.json:2:38: deployments[0].connection.jump: expected an object, got "bastion")json");
    row("ssh: jumps not an array", R"json({"type": "ssh", "host": "h", "jumps": {"host": "b"}})json", {},
        R"json(test.json:2:39: deployments[0].connection.jumps: expected an array, got an object)json");
    row("ssh: jumps element a string", R"json({"type": "ssh", "host": "h", "jumps": ["bastion"]})json", {},
        R"json(test.json:2:40: deployments[0].connection.jumps[0]: expected a jump host object like {"host": "bastion"}, got "bastion")json");
    row("ssh: jump host with a connection key",
        R"json({"type": "ssh", "host": "h", "jump": {"host": "b", "keepalive": "5s"}})json", {},
        R"json(test.json:2:52: deployments[0].connection.jump.keepalive: key "keepalive" applies to the whole connection; give it next to the connection's "type")json");
    row("ssh: jump host with its own jumps",
        R"json({"type": "ssh", "host": "h", "jumps": [{"host": "b", "jump": {"host": "c"}}]})json", {},
        R"json(test.json:2:54: deployments[0].connection.jumps[0].jump: a jump host cannot have jump hosts of its own here; list the whole chain in the connection's "jumps", the first reached directly)json");
    row("ssh: jump host without a host",
        R"json({"type": "ssh", "host": "h", "jumps": [{"host": "a"}, {"port": 22}]})json", {},
        R"json(test.json:2:55: deployments[0].connection.jumps[1]: missing required key "host" (the SSH server's name or address, or a Host alias of the ssh config))json");
    row("ssh: jump host key typo", R"json({"type": "ssh", "host": "h", "jump": {"host": "b", "useagent": false}})json",
        {},
        R"json(test.json:2:52: deployments[0].connection.jump.useagent: unknown key "useagent"; did you mean "useAgent"?)json");
    row("ssh: jump host policy refused",
        R"json({"type": "ssh", "host": "h", "jump": {"host": "b", "hostKeyPolicy": "off"}})json", {},
        R"json(test.json:2:69: deployments[0].connection.jump.hostKeyPolicy: host key policy "off" is refused: OK Health always verifies host keys, so that a changed key (a reinstalled server, or someone in between) is never accepted; use "strict" (the key must be in known_hosts) or "accept-new" (an unknown key is added on first contact, a changed one is still refused))json");
}

} // namespace okh::test
