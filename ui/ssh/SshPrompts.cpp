#include "SshPrompts.h"

#include "HostKeyDialog.h"
#include "PassphraseDialog.h"
#include "session/MonitorHost.h"

#include <QDir>
#include <QMessageBox>

namespace okh {

SshPrompts::SshPrompts(MonitorHost& host, QWidget* window)
    : QObject(window)
    , m_host(host)
    , m_window(window)
{
    connect(&host, &MonitorHost::hostKeyRejected, this, &SshPrompts::onHostKey);
    connect(&host, &MonitorHost::hostKeyTrusted, this, &SshPrompts::onTrusted);
    connect(&host, &MonitorHost::passphraseRequested, this, &SshPrompts::onPassphrase);
}

HostKeyDialog* SshPrompts::hostKeyDialog() const
{
    for (const auto& dialog : m_hostKeys) {
        if (dialog)
            return dialog;
    }
    return nullptr;
}

PassphraseDialog* SshPrompts::passphraseDialog() const
{
    for (const auto& dialog : m_passphrases) {
        if (dialog)
            return dialog;
    }
    return nullptr;
}

void SshPrompts::onHostKey(const QString& deployment, const SshHostKey& key, SshFailure failure)
{
    if (failure == SshFailure::HostKeyChanged) {
        warn(tr("SSH Host Key Changed"),
             tr("<p><b>The SSH server of deployment %1 (%2) offered a different host key than its known_hosts file "
                "has.</b></p><p>Someone may be intercepting the connection, or the host was reinstalled. OK Health "
                "does not connect to it. Ask the host's administrator for the new key's fingerprint, and correct "
                "%3 yourself once it is confirmed.</p>")
                 .arg(deployment.toHtmlEscaped(), key.knownHostsName.toHtmlEscaped(),
                      QDir::toNativeSeparators(key.knownHostsFile).toHtmlEscaped()),
             tr("Offered: %1 key %2").arg(key.keyType, key.fingerprint));
        return;
    }
    if (failure != SshFailure::HostKeyUnknown)
        return;
    const QString id = deployment + u'\n' + key.fingerprint;
    if (HostKeyDialog* open = m_hostKeys.value(id)) {
        open->raise();
        return;
    }
    auto* dialog = new HostKeyDialog(deployment, key, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QDialog::accepted, this, [this, deployment, key] { m_host.trustHostKey(deployment, key); });
    m_hostKeys.insert(id, dialog);
    dialog->open();
}

void SshPrompts::onTrusted(const QString& deployment, const SshHostKey& key, bool ok, const QString& error)
{
    if (ok)
        return;
    warn(tr("Cannot Trust the Host Key"),
         tr("The host key of %1 (deployment %2) could not be added: %3")
             .arg(key.knownHostsName.toHtmlEscaped(), deployment.toHtmlEscaped(), error.toHtmlEscaped()),
         QString());
}

void SshPrompts::onPassphrase(const QString& keyFile, bool again)
{
    if (PassphraseDialog* open = m_passphrases.value(keyFile)) {
        open->raise();
        return;
    }
    auto* dialog = new PassphraseDialog(keyFile, again, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, keyFile] { m_host.answerPassphrase(keyFile, dialog->takePassphrase()); });
    connect(dialog, &QDialog::rejected, this, [this, keyFile] { m_host.answerPassphrase(keyFile, std::nullopt); });
    m_passphrases.insert(keyFile, dialog);
    dialog->open();
}

void SshPrompts::warn(const QString& title, const QString& text, const QString& details)
{
    auto* box = new QMessageBox(QMessageBox::Critical, title, text, QMessageBox::Close, m_window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextFormat(Qt::RichText);
    if (!details.isEmpty())
        box->setInformativeText(details.toHtmlEscaped());
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning = box;
    box->open();
}

} // namespace okh
