#include "HostKeyDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace okh {

namespace {
QLabel* selectable(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}
} // namespace

HostKeyDialog::HostKeyDialog(const QString& deployment, const SshHostKey& key, QWidget* parent)
    : QDialog(parent)
    , m_deployment(deployment)
    , m_key(key)
{
    setWindowTitle(tr("Unknown SSH Host Key"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("The SSH server of deployment <b>%1</b> offered a host key that is not in its "
                                "known_hosts file. OK Health does not connect to it until you trust the key.")
                                 .arg(deployment.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    form->addRow(tr("Host:"), selectable(key.knownHostsName, this));
    form->addRow(tr("Key type:"), selectable(key.keyType, this));
    m_fingerprint = selectable(key.fingerprint, this);
    m_fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    form->addRow(tr("Fingerprint:"), m_fingerprint);
    form->addRow(tr("Added to:"), selectable(QDir::toNativeSeparators(key.knownHostsFile), this));
    layout->addLayout(form);

    auto* advice = new QLabel(
        tr("Compare the fingerprint with the one the host's administrator reads on the host (for example "
           "<tt>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</tt>). Trust it only if they are the same."),
        this);
    advice->setWordWrap(true);
    layout->addWidget(advice);

    auto* buttons = new QDialogButtonBox(this);
    m_trust = buttons->addButton(tr("&Trust and Connect"), QDialogButtonBox::AcceptRole);
    m_decline = buttons->addButton(tr("&Don't Trust"), QDialogButtonBox::RejectRole);
    m_trust->setAutoDefault(false);
    m_decline->setDefault(true); // Enter does not trust by accident
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(520);
}

QString HostKeyDialog::fingerprintText() const
{
    return m_fingerprint->text();
}

} // namespace okh
