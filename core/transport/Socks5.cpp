#include "Socks5.h"

#include <QHostAddress>

namespace okh::Socks5 {

int parseGreeting(const QByteArray& bytes)
{
    if (bytes.size() < 2)
        return 0;
    if (quint8(bytes.at(0)) != 5)
        return -1;
    const int methods = quint8(bytes.at(1));
    if (bytes.size() < 2 + methods)
        return 0;
    for (int i = 0; i < methods; ++i) {
        if (quint8(bytes.at(2 + i)) == 0x02)
            return 2 + methods;
    }
    return -1;
}

QByteArray greetingReply(bool accepted)
{
    return QByteArray("\x05", 1) + (accepted ? QByteArray(1, '\x02') : QByteArray(1, '\xff'));
}

int parseCredentials(const QByteArray& bytes, QByteArray* user, QByteArray* password)
{
    if (bytes.size() < 2)
        return 0;
    if (quint8(bytes.at(0)) != 1)
        return -1;
    const int userLength = quint8(bytes.at(1));
    if (bytes.size() < 2 + userLength + 1)
        return 0;
    const int passwordLength = quint8(bytes.at(2 + userLength));
    const int total = 3 + userLength + passwordLength;
    if (bytes.size() < total)
        return 0;
    *user = bytes.mid(2, userLength);
    *password = bytes.mid(3 + userLength, passwordLength);
    return total;
}

QByteArray credentialsReply(bool accepted)
{
    return QByteArray("\x01", 1) + (accepted ? QByteArray(1, '\x00') : QByteArray(1, '\x01'));
}

int parseRequest(const QByteArray& bytes, Request* request)
{
    if (bytes.size() < 5)
        return 0;
    if (quint8(bytes.at(0)) != 5 || quint8(bytes.at(1)) != 1)
        return -1;
    const quint8 type = quint8(bytes.at(3));
    int addressEnd = 0;
    QString host;
    if (type == 0x01) { // IPv4
        addressEnd = 4 + 4;
        if (bytes.size() < addressEnd + 2)
            return 0;
        const auto* a = reinterpret_cast<const quint8*>(bytes.constData() + 4);
        host = QHostAddress(quint32(a[0]) << 24 | quint32(a[1]) << 16 | quint32(a[2]) << 8 | a[3]).toString();
    } else if (type == 0x03) { // domain name
        const int length = quint8(bytes.at(4));
        addressEnd = 5 + length;
        if (bytes.size() < addressEnd + 2)
            return 0;
        host = QString::fromUtf8(bytes.mid(5, length));
    } else if (type == 0x04) { // IPv6
        addressEnd = 4 + 16;
        if (bytes.size() < addressEnd + 2)
            return 0;
        Q_IPV6ADDR v6;
        for (int i = 0; i < 16; ++i)
            v6[i] = quint8(bytes.at(4 + i));
        host = QHostAddress(v6).toString();
    } else {
        return -1;
    }
    request->host = host;
    request->port = quint16(quint8(bytes.at(addressEnd)) << 8 | quint8(bytes.at(addressEnd + 1)));
    return addressEnd + 2;
}

QByteArray reply(Reply code)
{
    // VER, REP, RSV, ATYP=IPv4, BND.ADDR 0.0.0.0, BND.PORT 0
    QByteArray out("\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00", 10);
    out[1] = char(code);
    return out;
}

} // namespace okh::Socks5
