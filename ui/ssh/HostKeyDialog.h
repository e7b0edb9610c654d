#pragma once

#include "transport/SshHostKey.h"

#include <QDialog>

class QLabel;
class QPushButton;

namespace okh {

// Asks whether to trust a host key known_hosts does not have: host, key type and the SHA256
// fingerprint as OpenSSH prints it, and where trusting writes. Only an explicit "Trust and
// Connect" accepts; Escape, closing and the default button decline. Opened, never exec()'d.
class HostKeyDialog : public QDialog
{
    Q_OBJECT
public:
    HostKeyDialog(const QString& deployment, const SshHostKey& key, QWidget* parent = nullptr);

    QString deployment() const { return m_deployment; }
    const SshHostKey& key() const { return m_key; }
    QPushButton* trustButton() const { return m_trust; }
    QPushButton* declineButton() const { return m_decline; }
    QString fingerprintText() const;

private:
    QString m_deployment;
    SshHostKey m_key;
    QLabel* m_fingerprint = nullptr;
    QPushButton* m_trust = nullptr;
    QPushButton* m_decline = nullptr;
};

} // namespace okh
