#pragma once

#include <QString>
#include <QTemporaryDir>

namespace okh::test {

// A throw-away PKI made with the openssl command: a CA, a server certificate it signs (for the
// name redis.test only, so connecting to 127.0.0.1 is a host name mismatch), a client
// certificate it signs, and a second CA that signed none of them. PEM files, keys unencrypted.
class TestCertificates
{
public:
    TestCertificates();
    bool generate();
    QString errorString() const { return m_errorString; }

    QString caFile() const;
    QString otherCaFile() const;
    QString serverCertFile() const;
    QString serverKeyFile() const;
    QString clientCertFile() const;
    QString clientKeyFile() const;
    QString clientCombinedFile() const; // certificate and key in one PEM file

private:
    bool openssl(const QStringList& arguments);
    bool issue(const QString& name, const QString& subject, const QString& extensions);
    QString path(const QString& name) const;

    QTemporaryDir m_dir;
    QString m_errorString;
};

} // namespace okh::test
