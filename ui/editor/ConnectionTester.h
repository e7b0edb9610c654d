#pragma once

#include "transport/SshEndpoint.h"

#include <QWidget>
#include <functional>
#include <optional>

class QLabel;
class QPushButton;

namespace okh {

// "Test Connection" and its answer under it (the editor's SSH form, the wizard's connection
// page): one login through SshConnectionTest with the settings `spec` gives at the click,
// the transport's words and the host key's fingerprint.
class ConnectionTester : public QWidget
{
    Q_OBJECT

public:
    // nullopt from `spec`: the settings are not valid yet (said instead of testing).
    explicit ConnectionTester(std::function<std::optional<SshSpec>()> spec, QWidget* parent = nullptr);

    QPushButton* button() const { return m_button; }
    QString resultText() const;

Q_SIGNALS:
    void tested(bool ok, const QString& text);

private:
    void test();

    std::function<std::optional<SshSpec>()> m_spec;
    QPushButton* m_button = nullptr;
    QLabel* m_result = nullptr;
};

} // namespace okh
