#pragma once

#include <QCoreApplication>
#include <QMetaType>
#include <QString>

namespace okh {

// A host key an SSH server offered that known_hosts does not confirm: what the trust dialog
// shows (the fingerprint as `ssh-keygen -l` and OpenSSH print it) and the line that trusting it
// adds to known_hosts.
struct SshHostKey
{
    QString host;
    quint16 port = 22;
    QString knownHostsName; // "host", or "[host]:port" off port 22, as known_hosts spells it
    QString keyType; // "ED25519", "RSA", … (as ssh-keygen -l shows it)
    QString fingerprint; // "SHA256:…"
    QByteArray knownHostsLine; // "name type base64", without the newline
    QString knownHostsFile; // where it was checked, and where trusting it writes
    friend bool operator==(const SshHostKey&, const SshHostKey&) = default;
};

// Appends the key's line to its known_hosts file, creating the file (0600) and its folder
// (0700) when missing, as ssh does. Disk work: not on the GUI thread. False with `error` set
// when it could not be written.
bool trustHostKey(const SshHostKey& key, QString* error);

} // namespace okh

Q_DECLARE_METATYPE(okh::SshHostKey)
