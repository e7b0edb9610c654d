#include "RedisTlsSetup.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace okh {

namespace {

std::variant<QByteArray, QString> readFile(const QString& path, const char* what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return RedisTlsSetup::tr("cannot read the %1 file %2: %3")
            .arg(RedisTlsSetup::tr(what), path, file.errorString());
    return file.readAll();
}

// The PEM certificates of a file named by the URL parameter `key`.
std::variant<QList<QSslCertificate>, QString> readCertificates(const QString& path, const char* what, const char* key)
{
    auto pem = readFile(path, what);
    if (const auto* error = std::get_if<QString>(&pem))
        return *error;
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(std::get<QByteArray>(pem), QSsl::Pem);
    if (certificates.isEmpty())
        return RedisTlsSetup::tr("%1 holds no PEM certificate (%2)").arg(path, QLatin1String(key));
    return certificates;
}

} // namespace

std::variant<QSslConfiguration, QString> RedisTlsSetup::configuration(const RedisTls& tls)
{
    if (!QSslSocket::supportsSsl())
        return tr("this machine's Qt has no TLS backend (OpenSSL) for rediss://");
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(tls.verify == RedisTls::Verify::Required ? QSslSocket::VerifyPeer
                                                                      : QSslSocket::VerifyNone);
    if (!tls.caCertsFile.isEmpty()) {
        auto cas = readCertificates(tls.caCertsFile, QT_TR_NOOP("CA certificate"), "ssl_ca_certs");
        if (const auto* error = std::get_if<QString>(&cas))
            return *error;
        // Python's ssl adds the file to the system's CAs (load_verify_locations); so does this.
        config.setCaCertificates(QSslConfiguration::systemCaCertificates() + std::get<QList<QSslCertificate>>(cas));
    }
    if (tls.certFile.isEmpty() && !tls.keyFile.isEmpty())
        return tr("ssl_keyfile needs ssl_certfile, the client certificate");
    if (!tls.certFile.isEmpty()) {
        auto chain = readCertificates(tls.certFile, QT_TR_NOOP("client certificate"), "ssl_certfile");
        if (const auto* error = std::get_if<QString>(&chain))
            return *error;
        // Without ssl_keyfile the key is in the certificate file, as load_cert_chain reads it.
        const QString keyFile = tls.keyFile.isEmpty() ? tls.certFile : tls.keyFile;
        auto keyPem = readFile(keyFile, QT_TR_NOOP("client key"));
        if (const auto* error = std::get_if<QString>(&keyPem))
            return *error;
        // PEM names its algorithm, but QSslKey wants it up front: try the ones OpenSSL keys use.
        QSslKey key;
        for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
            key = QSslKey(std::get<QByteArray>(keyPem), algorithm, QSsl::Pem);
            if (!key.isNull())
                break;
        }
        if (key.isNull())
            return tr("%1 holds no unencrypted PEM private key (ssl_keyfile)").arg(keyFile);
        config.setLocalCertificateChain(std::get<QList<QSslCertificate>>(chain));
        config.setPrivateKey(key);
    }
    return config;
}

QList<QSslError> RedisTlsSetup::acceptable(const RedisTls& tls, const QList<QSslError>& errors)
{
    QList<QSslError> accepted;
    if (tls.verify != RedisTls::Verify::Required)
        return errors;
    for (const QSslError& error : errors) {
        if (error.error() == QSslError::HostNameMismatch && !tls.checkHostname)
            accepted.append(error);
    }
    return accepted;
}

} // namespace okh
