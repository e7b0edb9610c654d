#include "TestCertificates.h"

#include "TestSupport.h"

#include <QFile>

namespace okh::test {

TestCertificates::TestCertificates()
    : m_dir(QStringLiteral("/tmp/okh-certs-XXXXXX"))
{ }

QString TestCertificates::path(const QString& name) const
{
    return m_dir.filePath(name);
}

bool TestCertificates::openssl(const QStringList& arguments)
{
    const CommandResult result = runCommand(QStringLiteral("openssl"), arguments, 20000);
    if (!result.succeeded()) {
        m_errorString = QStringLiteral("openssl %1: %2").arg(arguments.join(u' '), result.describe());
        return false;
    }
    return true;
}

// A P-256 key and a certificate for it, signed by ca.pem.
bool TestCertificates::issue(const QString& name, const QString& subject, const QString& extensions)
{
    QFile ext(path(name + QStringLiteral(".ext")));
    if (!ext.open(QIODevice::WriteOnly) || ext.write(extensions.toUtf8()) < 0) {
        m_errorString = ext.errorString();
        return false;
    }
    ext.close();
    return openssl({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                    QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    path(name + QStringLiteral(".key")), QStringLiteral("-out"), path(name + QStringLiteral(".csr")),
                    QStringLiteral("-subj"), subject})
        && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                    path(name + QStringLiteral(".csr")), QStringLiteral("-CA"), caFile(), QStringLiteral("-CAkey"),
                    path(QStringLiteral("ca.key")), QStringLiteral("-CAcreateserial"), QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-extfile"), ext.fileName(), QStringLiteral("-out"),
                    path(name + QStringLiteral(".pem"))});
}

bool TestCertificates::generate()
{
    if (!m_dir.isValid()) {
        m_errorString = m_dir.errorString();
        return false;
    }
    for (const QString& ca : {QStringLiteral("ca"), QStringLiteral("other-ca")}) {
        if (!openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                      QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"),
                      QStringLiteral("-nodes"), QStringLiteral("-keyout"), path(ca + QStringLiteral(".key")),
                      QStringLiteral("-out"), path(ca + QStringLiteral(".pem")), QStringLiteral("-days"),
                      QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=okhealth test ") + ca}))
            return false;
    }
    if (!issue(QStringLiteral("server"), QStringLiteral("/CN=redis.test"),
               QStringLiteral("subjectAltName=DNS:redis.test\nextendedKeyUsage=serverAuth\n"))
        || !issue(QStringLiteral("client"), QStringLiteral("/CN=okhealth monitor"),
                  QStringLiteral("extendedKeyUsage=clientAuth\n")))
        return false;
    QFile cert(clientCertFile());
    QFile key(clientKeyFile());
    QFile combined(clientCombinedFile());
    if (!cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly) || !combined.open(QIODevice::WriteOnly)
        || combined.write(cert.readAll() + key.readAll()) < 0) {
        m_errorString = QStringLiteral("cannot write %1").arg(combined.fileName());
        return false;
    }
    return true;
}

QString TestCertificates::caFile() const
{
    return path(QStringLiteral("ca.pem"));
}

QString TestCertificates::otherCaFile() const
{
    return path(QStringLiteral("other-ca.pem"));
}

QString TestCertificates::serverCertFile() const
{
    return path(QStringLiteral("server.pem"));
}

QString TestCertificates::serverKeyFile() const
{
    return path(QStringLiteral("server.key"));
}

QString TestCertificates::clientCertFile() const
{
    return path(QStringLiteral("client.pem"));
}

QString TestCertificates::clientCombinedFile() const
{
    return path(QStringLiteral("client-combined.pem"));
}

QString TestCertificates::clientKeyFile() const
{
    return path(QStringLiteral("client.key"));
}

} // namespace okh::test
