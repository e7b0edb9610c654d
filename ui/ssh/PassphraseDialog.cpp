#include "PassphraseDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace okh {

PassphraseDialog::PassphraseDialog(const QString& keyFile, bool again, QWidget* parent)
    : QDialog(parent)
    , m_keyFile(keyFile)
{
    setWindowTitle(tr("SSH Key Passphrase"));
    auto* layout = new QVBoxLayout(this);
    const QString file = QDir::toNativeSeparators(keyFile).toHtmlEscaped();
    m_message = new QLabel(again ? tr("That passphrase did not unlock <b>%1</b>. Try again.").arg(file)
                                 : tr("The SSH key <b>%1</b> is protected by a passphrase.").arg(file),
                           this);
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    m_passphrase = new QLineEdit(this);
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setAccessibleName(tr("Passphrase"));
    layout->addWidget(m_passphrase);
    auto* note = new QLabel(tr("It is used for this connection only and never stored. To connect without being "
                               "asked, load the key into ssh-agent (ssh-add)."),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(tr("&Unlock"), QDialogButtonBox::AcceptRole)->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(440);
}

QString PassphraseDialog::message() const
{
    return m_message->text();
}

QString PassphraseDialog::takePassphrase()
{
    const QString text = m_passphrase->text();
    m_passphrase->clear();
    return text;
}

} // namespace okh
