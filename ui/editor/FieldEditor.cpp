#include "FieldEditor.h"

#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace okh {

FieldEditor::FieldEditor(const CheckField& field, QWidget* parent)
    : QWidget(parent)
    , m_field(field)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    using Kind = CheckField::Kind;
    switch (field.kind) {
    case Kind::Choice: {
        m_combo = new QComboBox(this);
        for (const QString& choice : field.choices)
            m_combo->addItem(choice.isEmpty() ? tr("(default)") : choice, choice);
        connect(m_combo, &QComboBox::currentIndexChanged, this, [this] { emitEdited(); });
        m_input = m_combo;
        break;
    }
    case Kind::List:
    case Kind::Json: {
        m_text = new QPlainTextEdit(this);
        m_text->setTabChangesFocus(true); // Tab moves on, as in every other field
        const int lines = field.kind == Kind::List ? 3 : 4;
        m_text->setFixedHeight(m_text->fontMetrics().lineSpacing() * lines + 12);
        m_text->setPlaceholderText(field.kind == Kind::List ? tr("one per line") : hintFor(field.key));
        connect(m_text, &QPlainTextEdit::textChanged, this, [this] { emitEdited(); });
        m_input = m_text;
        break;
    }
    default:
        m_line = new QLineEdit(this);
        m_line->setPlaceholderText(hintFor(field.key));
        if (field.kind == Kind::Secret)
            m_line->setEchoMode(QLineEdit::Password);
        connect(m_line, &QLineEdit::textEdited, this, [this] { emitEdited(); });
        m_input = m_line;
        break;
    }
    m_input->setAccessibleName(labelFor(field.key));
    layout->addWidget(m_input);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setObjectName(QStringLiteral("fieldError"));
    QPalette palette = m_error->palette();
    palette.setColor(QPalette::WindowText, QColor(0xb0, 0x1c, 0x1c)); // with the ⚠ sign: not colour alone
    m_error->setPalette(palette);
    m_error->hide();
    layout->addWidget(m_error);
}

QString FieldEditor::labelFor(const QString& key)
{
    static const QHash<QString, const char*> labels{
        {QStringLiteral("name"), QT_TR_NOOP("Name")},
        {QStringLiteral("type"), QT_TR_NOOP("Type")},
        {QStringLiteral("role"), QT_TR_NOOP("Role")},
        {QStringLiteral("kind"), QT_TR_NOOP("Kind")},
        {QStringLiteral("dependsOn"), QT_TR_NOOP("Depends on")},
        {QStringLiteral("interval"), QT_TR_NOOP("Interval")},
        {QStringLiteral("timeout"), QT_TR_NOOP("Timeout")},
        {QStringLiteral("failureThreshold"), QT_TR_NOOP("Failure threshold")},
        {QStringLiteral("successThreshold"), QT_TR_NOOP("Success threshold")},
        {QStringLiteral("startPeriod"), QT_TR_NOOP("Start period")},
        {QStringLiteral("initialDelay"), QT_TR_NOOP("Initial delay")},
        {QStringLiteral("url"), QT_TR_NOOP("URL")},
        {QStringLiteral("hostHeader"), QT_TR_NOOP("Host header")},
        {QStringLiteral("expect"), QT_TR_NOOP("Expect")},
        {QStringLiteral("headers"), QT_TR_NOOP("Headers")},
        {QStringLiteral("user"), QT_TR_NOOP("User")},
        {QStringLiteral("password"), QT_TR_NOOP("Password")},
        {QStringLiteral("host"), QT_TR_NOOP("Host")},
        {QStringLiteral("port"), QT_TR_NOOP("Port")},
        {QStringLiteral("db"), QT_TR_NOOP("Database number")},
        {QStringLiteral("database"), QT_TR_NOOP("Database")},
        {QStringLiteral("broker"), QT_TR_NOOP("Broker URL")},
        {QStringLiteral("workers"), QT_TR_NOOP("Workers")},
        {QStringLiteral("pingTimeout"), QT_TR_NOOP("Ping timeout")},
        {QStringLiteral("controlExchange"), QT_TR_NOOP("Control exchange")},
        {QStringLiteral("keyPrefix"), QT_TR_NOOP("Key prefix")},
        {QStringLiteral("listen"), QT_TR_NOOP("Listen for")},
        {QStringLiteral("eventExchange"), QT_TR_NOOP("Event exchange")},
        {QStringLiteral("path"), QT_TR_NOOP("Path")},
        {QStringLiteral("maxAge"), QT_TR_NOOP("Maximum age")},
        {QStringLiteral("exec"), QT_TR_NOOP("Runs in")},
        {QStringLiteral("command"), QT_TR_NOOP("Command")},
        {QStringLiteral("connection.type"), QT_TR_NOOP("Connection")},
        {QStringLiteral("connection.host"), QT_TR_NOOP("SSH host")},
        {QStringLiteral("connection.port"), QT_TR_NOOP("SSH port")},
        {QStringLiteral("connection.user"), QT_TR_NOOP("SSH user")},
        {QStringLiteral("connection.identityFiles"), QT_TR_NOOP("Key files")},
        {QStringLiteral("connection.knownHostsFile"), QT_TR_NOOP("Known hosts file")},
        {QStringLiteral("connection.hostKeyPolicy"), QT_TR_NOOP("Unknown host keys")},
        {QStringLiteral("connection.jumps"), QT_TR_NOOP("Jump hosts")},
    };
    const char* label = labels.value(key);
    return label ? tr(label) : key;
}

QString FieldEditor::hintFor(const QString& key)
{
    if (key == QLatin1String("interval"))
        return tr("10s (default)");
    if (key == QLatin1String("timeout"))
        return tr("1s (default)");
    if (key == QLatin1String("failureThreshold"))
        return tr("3 (default)");
    if (key == QLatin1String("successThreshold"))
        return tr("1 (default)");
    if (key == QLatin1String("startPeriod") || key == QLatin1String("initialDelay"))
        return tr("0s (default)");
    if (key == QLatin1String("pingTimeout"))
        return tr("3s (default)");
    if (key == QLatin1String("listen"))
        return tr("5s (default)");
    if (key == QLatin1String("controlExchange"))
        return tr("celery (default)");
    if (key == QLatin1String("eventExchange"))
        return tr("celeryev (default)");
    if (key == QLatin1String("url"))
        return QStringLiteral("http://web:8000/_healthz/livez/");
    if (key == QLatin1String("broker"))
        return QStringLiteral("redis://redis:6379/0");
    if (key == QLatin1String("password"))
        return tr("kept in the keychain");
    if (key == QLatin1String("exec"))
        return QStringLiteral("{\"type\": \"compose\", \"service\": \"celery\"}");
    if (key == QLatin1String("headers"))
        return QStringLiteral("{\"Accept\": \"application/json\"}");
    if (key == QLatin1String("connection.port"))
        return QStringLiteral("22");
    if (key == QLatin1String("connection.jumps"))
        return QStringLiteral("[{\"host\": \"bastion\", \"user\": \"jump\"}]");
    return {};
}

void FieldEditor::setValue(const QJsonValue& value)
{
    m_filling = true;
    using Kind = CheckField::Kind;
    if (m_combo) {
        const int index = m_combo->findData(value.toString());
        if (index < 0 && !value.toString().isEmpty())
            m_combo->addItem(value.toString(), value.toString()); // as written, for the loader to judge
        m_combo->setCurrentIndex(std::max(0, m_combo->findData(value.toString())));
    } else if (m_text) {
        QString text;
        if (m_field.kind == Kind::List && value.isArray()) {
            QStringList lines;
            for (const QJsonValue& element : value.toArray())
                lines << element.toString();
            text = lines.join(u'\n');
        } else if (value.isObject() || value.isArray()) {
            text = QString::fromUtf8(value.isObject() ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                                                      : QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        } else {
            text = value.toString();
        }
        if (m_text->toPlainText() != text)
            m_text->setPlainText(text);
    } else if (m_line) {
        const QString text = value.isDouble() ? QString::number(value.toDouble(), 'g', 15) : value.toString();
        if (m_line->text() != text)
            m_line->setText(text);
    }
    m_filling = false;
}

void FieldEditor::setSecretText(const QString& text)
{
    m_filling = true;
    if (m_line && m_line->text() != text)
        m_line->setText(text);
    m_filling = false;
}

void FieldEditor::setError(const QString& message)
{
    m_error->setVisible(!message.isEmpty());
    m_error->setText(message.isEmpty() ? QString() : QStringLiteral("⚠ ") + message);
    m_input->setAccessibleDescription(message);
    m_input->setProperty("invalid", !message.isEmpty());
}

QString FieldEditor::error() const
{
    return m_input->accessibleDescription();
}

QJsonValue FieldEditor::currentValue() const
{
    using Kind = CheckField::Kind;
    if (m_combo)
        return m_combo->currentData().toString();
    if (m_text) {
        const QString text = m_text->toPlainText();
        if (m_field.kind == Kind::List) {
            QJsonArray array;
            for (const QString& line : text.split(u'\n', Qt::SkipEmptyParts))
                array.append(line);
            return array;
        }
        // An object or array as JSON; anything else as the text, for the loader to judge.
        const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
        if (document.isObject())
            return document.object();
        if (document.isArray())
            return document.array();
        return text;
    }
    const QString text = m_line->text();
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,15}$"));
    if (m_field.kind == Kind::Integer && digits.match(text).hasMatch())
        return text.toLongLong();
    return text;
}

void FieldEditor::emitEdited()
{
    if (m_filling)
        return;
    if (m_field.kind == CheckField::Kind::Secret) {
        Q_EMIT secretEdited(m_line->text());
        return;
    }
    Q_EMIT edited(currentValue());
}

} // namespace okh
