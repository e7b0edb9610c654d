#pragma once

#include "transport/SshSession.h"

#include <QHash>
#include <QMessageBox>
#include <QObject>
#include <QPointer>
#include <QWidget>

namespace okh {

class HostKeyDialog;
class MonitorHost;
class PassphraseDialog;

// The desktop app's answers to its SSH connections' questions, without blocking anything: an
// unknown host key opens a HostKeyDialog (trusting adds exactly that key, then connects), a
// changed key a warning that offers no trust, a locked key a PassphraseDialog. One dialog per
// key at a time, window-modal and opened, never exec()'d.
class SshPrompts : public QObject
{
    Q_OBJECT
public:
    SshPrompts(MonitorHost& host, QWidget* window);

    HostKeyDialog* hostKeyDialog() const;
    PassphraseDialog* passphraseDialog() const;
    QMessageBox* warning() const { return m_warning; }

private:
    void onHostKey(const QString& deployment, const SshHostKey& key, SshFailure failure);
    void onTrusted(const QString& deployment, const SshHostKey& key, bool ok, const QString& error);
    void onPassphrase(const QString& keyFile, bool again);
    void warn(const QString& title, const QString& text, const QString& details);

    MonitorHost& m_host;
    QWidget* m_window;
    QHash<QString, QPointer<HostKeyDialog>> m_hostKeys; // deployment + fingerprint
    QHash<QString, QPointer<PassphraseDialog>> m_passphrases; // key file
    QPointer<QMessageBox> m_warning;
};

} // namespace okh
