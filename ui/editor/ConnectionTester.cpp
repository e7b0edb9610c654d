#include "ConnectionTester.h"

#include "transport/SshConnectionTest.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace okh {

ConnectionTester::ConnectionTester(std::function<std::optional<SshSpec>()> spec, QWidget* parent)
    : QWidget(parent)
    , m_spec(std::move(spec))
{
    m_button = new QPushButton(tr("&Test Connection"), this);
    m_button->setToolTip(tr("Log in once with these settings; nothing is saved or trusted"));
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* row = new QHBoxLayout;
    row->addWidget(m_button);
    row->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_result);
    connect(m_button, &QPushButton::clicked, this, &ConnectionTester::test);
}

QString ConnectionTester::resultText() const
{
    return m_result->text();
}

void ConnectionTester::test()
{
    const std::optional<SshSpec> spec = m_spec();
    if (!spec) {
        m_result->setText(QStringLiteral("⚠ ") + tr("Correct the deployment first"));
        return;
    }
    const SshEndpoint target = spec->target;
    m_button->setEnabled(false);
    m_result->setText(tr("Logging in to %1@%2…").arg(target.user, target.host));
    auto* attempt = new SshConnectionTest(this);
    connect(attempt, &SshConnectionTest::finished, this, [this, attempt, target](const SshConnectionTest::Result& r) {
        attempt->deleteLater();
        m_button->setEnabled(true);
        QString text;
        if (r.ok) {
            text = QStringLiteral("✓ ")
                + tr("Logged in to %1@%2. Host key: %3 %4.")
                      .arg(target.user, target.host, r.hostKey.keyType, r.hostKey.fingerprint);
        } else {
            text = QStringLiteral("⚠ ") + r.message;
            if (!r.hostKey.fingerprint.isEmpty()) {
                text += u' '
                    + tr("The host offered %1 %2: compare it with ssh-keygen -lf on the host.")
                          .arg(r.hostKey.keyType, r.hostKey.fingerprint);
            }
        }
        m_result->setText(text);
        Q_EMIT tested(r.ok, text);
    });
    attempt->start(*spec);
}

} // namespace okh
