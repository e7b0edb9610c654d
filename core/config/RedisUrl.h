#pragma once

#include "probes/ProbeTargets.h"

#include <QString>
#include <optional>

namespace okh {

// The outcome of parseRedisUrl: a target, or a translated message that never contains the
// URL's password.
struct RedisUrlResult
{
    std::optional<RedisTarget> target;
    QString error;

    bool ok() const { return target.has_value(); }
};

// Parses redis[s]://[[user]:password@]host[:port][/db][?ssl_…] the way kombu 5.2/5.5 does for a Celery
// broker URL (kombu/utils/url.py parse_url, then kombu/transport/redis.py _connparams and
// _prepare_virtual_host; table in docs/deployment-file.md), so OK Health connects where the
// workers connect:
//   - redis:// alone is 127.0.0.1:6379, db 0; port 0 or an empty port also mean 6379;
//   - user and password are percent-decoded, the host is lower-cased, [::1] is IPv6;
//   - an empty path, "/" or "//" is db 0; "/abc" and "/0/" are errors naming the value;
//   - rediss:// is TLS, without certificate checks unless ssl_cert_reqs says so (kombu);
//     ssl_cert_reqs, ssl_ca_certs, ssl_certfile, ssl_keyfile and ssl_check_hostname set it up;
//   - other query parameters are errors (kombu raises TypeError), except empty ones, which
//     kombu's parse_qsl drops.
// Not supported yet, each with its own message: sentinel://, Unix sockets and ';'-separated
// failover lists.
RedisUrlResult parseRedisUrl(const QString& url);

// redis[s]://user:****@host:port/db: the target as a URL for reports and logs, password masked.
QString redactedRedisUrl(const RedisTarget& target);

// The URL parseRedisUrl reads back as `target`, password and TLS parameters included: for
// writing deployment files (DeploymentWriter), never for showing.
QString redisUrl(const RedisTarget& target);
// The same with `passwordText` written in place of the password as it is: a ${keychain:KEY}
// reference, which expansion percent-encodes when the file is read.
QString redisUrl(const RedisTarget& target, const QString& passwordText);

// Any URL (redis, http, ';'-separated lists) with the password of its user-info replaced by
// "****"; everything else is left as written.
QString redactUrlPassword(const QString& url);

} // namespace okh
