#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace okh {

// The slice of SOCKS5 (RFC 1928) the tunnel serves to its own probes on 127.0.0.1:
// username/password authentication (RFC 1929) with a per-tunnel random secret — so other local
// users cannot ride the monitor's SSH credentials — and CONNECT only. Qt's QTcpSocket and QNetworkAccessManager speak
// it natively, so every probe reaches a deployment through the tunnel without knowing about SSH — and the target host
// name travels unresolved to the SSH server, as with `ssh -L`.
namespace Socks5 {

enum class Reply : quint8 {
    Succeeded = 0x00,
    GeneralFailure = 0x01,
    NotAllowed = 0x02, // AllowTcpForwarding no → Qt: SocketAccessError
    NetworkUnreachable = 0x03,
    HostUnreachable = 0x04, // name does not resolve on the SSH side
    ConnectionRefused = 0x05,
    CommandNotSupported = 0x07,
};

struct Request
{
    QString host;
    quint16 port = 0;
};

// Consumes the client's greeting; returns how many bytes it used, 0 when more are needed,
// -1 when the greeting is not SOCKS5 or does not offer username/password.
int parseGreeting(const QByteArray& bytes);
QByteArray greetingReply(bool accepted);

// Consumes the RFC 1929 sub-negotiation; bytes used, 0 = need more, -1 = malformed.
int parseCredentials(const QByteArray& bytes, QByteArray* user, QByteArray* password);
QByteArray credentialsReply(bool accepted);

// Consumes a CONNECT request; returns bytes used (0 = need more, -1 = invalid or not CONNECT).
int parseRequest(const QByteArray& bytes, Request* request);
QByteArray reply(Reply code);

} // namespace Socks5

} // namespace okh
