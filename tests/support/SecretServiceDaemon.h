#pragma once

#include "PrivateBus.h"
#include "standin/ManagedProcess.h"

#include <QStringList>
#include <memory>

namespace okh::test {

// A real freedesktop Secret Service for keychain tests: gnome-keyring-daemon (secrets
// component only) on a private session bus, with HOME and the XDG directories in a temporary
// directory and its default keyring created and unlocked with a password given on stdin. The
// test process must point DBUS_SESSION_BUS_ADDRESS at busAddress() before libsecret's first use
// (it reads the variable once). Stops by pid.
class SecretServiceDaemon
{
public:
    SecretServiceDaemon() = default;
    ~SecretServiceDaemon();

    bool startBus();
    bool startKeyring();
    void stopKeyring();
    QString busAddress() const { return m_bus.address(); }
    QString errorString() const { return m_error; }
    // The keyring's files on disk (to check they hold no secret in plain text).
    QStringList keyringFiles() const;

private:
    bool isReady() const;

    PrivateBus m_bus;
    std::unique_ptr<standin::ManagedProcess> m_keyring;
    QString m_error;
};

} // namespace okh::test
