#pragma once

#include "probes/ProbeTargets.h"

#include <QCoreApplication>
#include <QSslConfiguration>
#include <QSslError>
#include <variant>

namespace okh {

// Turns a rediss:// target's TLS settings into Qt's TLS configuration, reading the CA, client
// certificate and key files (on the monitor's machine). A file that cannot be used gives a
// message naming it: the monitor's own trouble, not the server's.
class RedisTlsSetup
{
    Q_DECLARE_TR_FUNCTIONS(okh::RedisTlsSetup)
public:
    static std::variant<QSslConfiguration, QString> configuration(const RedisTls& tls);

    // The errors of a handshake that the settings accept: a certificate for another name when
    // ssl_check_hostname is off (redis-py's default), as in Python's ssl module.
    static QList<QSslError> acceptable(const RedisTls& tls, const QList<QSslError>& errors);
};

} // namespace okh
