#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;

namespace okh {

// Asks for an SSH key's passphrase; what is typed goes to the monitors and nowhere else (not
// kept here after the dialog closes). Opened, never exec()'d.
class PassphraseDialog : public QDialog
{
    Q_OBJECT
public:
    // `again`: the passphrase given before did not unlock the key.
    PassphraseDialog(const QString& keyFile, bool again, QWidget* parent = nullptr);

    QString keyFile() const { return m_keyFile; }
    QLineEdit* passphraseEdit() const { return m_passphrase; }
    QString message() const;
    // The typed text, once: the field is cleared.
    QString takePassphrase();

private:
    QString m_keyFile;
    QLabel* m_message = nullptr;
    QLineEdit* m_passphrase = nullptr;
};

} // namespace okh
