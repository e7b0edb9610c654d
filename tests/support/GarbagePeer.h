#pragma once

#include "SilentPeer.h"

namespace okh::test {

// A SilentPeer that greets every connection with a fixed non-protocol banner, then keeps the
// socket open: "something else listens on that port" for clear-error tests.
class GarbagePeer : public SilentPeer
{
public:
    // An HTTP server's reply to a request it could not parse (no Content-Length, no close).
    static QByteArray httpBadRequest() { return QByteArrayLiteral("HTTP/1.1 400 Bad Request\r\n\r\n"); }
    // What an SSH server sends first, before the client says anything.
    static QByteArray sshBanner() { return QByteArrayLiteral("SSH-2.0-OpenSSH_9.2\r\n"); }

    explicit GarbagePeer(QByteArray banner = sshBanner())
        : SilentPeer(std::move(banner))
    { }
};

} // namespace okh::test
