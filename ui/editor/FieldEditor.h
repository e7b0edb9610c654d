#pragma once

#include "config/CheckTypes.h"

#include <QJsonValue>
#include <QWidget>

class QLabel;
class QLineEdit;
class QComboBox;
class QPlainTextEdit;

namespace okh {

// One key of a deployment file in a form: an input that fits its kind (CheckField::Kind) and,
// under it, the loader's message when the key is where the draft's error points. A secret is
// masked and never put in an accessible text.
class FieldEditor : public QWidget
{
    Q_OBJECT

public:
    FieldEditor(const CheckField& field, QWidget* parent = nullptr);

    const CheckField& field() const { return m_field; }
    // The label a form shows for a key ("pingTimeout" → "Ping timeout"), translated.
    static QString labelFor(const QString& key);
    static QString hintFor(const QString& key); // placeholder text: an example or the default

    // Shows `value` without emitting edited(); a secret takes its text.
    void setValue(const QJsonValue& value);
    void setSecretText(const QString& text);
    // Empty: no error.
    void setError(const QString& message);
    QString error() const;
    QWidget* input() const { return m_input; }

Q_SIGNALS:
    void edited(const QJsonValue& value); // a secret's text comes as a string
    void secretEdited(const QString& text);

private:
    QJsonValue currentValue() const;
    void emitEdited();

    CheckField m_field;
    QWidget* m_input = nullptr;
    QLineEdit* m_line = nullptr;
    QComboBox* m_combo = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QLabel* m_error = nullptr;
    bool m_filling = false;
};

} // namespace okh
