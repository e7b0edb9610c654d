#include "OrderedJson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace okh {

namespace {

constexpr int indentWidth = 4;
constexpr int maxLineLength = 110;

// QJsonDocument's own escaping of one scalar, without the array around it.
QString scalarText(const QJsonValue& value)
{
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

} // namespace

OrderedJson::OrderedJson(const QJsonValue& scalar)
    : m_scalar(scalar)
{ }

OrderedJson::OrderedJson(const QString& text)
    : m_scalar(text)
{ }

OrderedJson::OrderedJson(const char* text)
    : m_scalar(QString::fromUtf8(text))
{ }

OrderedJson::OrderedJson(qint64 number)
    : m_scalar(number)
{ }

OrderedJson::OrderedJson(int number)
    : m_scalar(number)
{ }

OrderedJson::OrderedJson(bool value)
    : m_scalar(value)
{ }

OrderedJson OrderedJson::object()
{
    OrderedJson value;
    value.m_kind = Kind::Object;
    return value;
}

OrderedJson OrderedJson::array()
{
    OrderedJson value;
    value.m_kind = Kind::Array;
    return value;
}

OrderedJson OrderedJson::array(const QStringList& texts)
{
    OrderedJson value = array();
    for (const QString& text : texts)
        value.append(text);
    return value;
}

OrderedJson& OrderedJson::add(const QString& key, const OrderedJson& value)
{
    Q_ASSERT(m_kind == Kind::Object);
    m_members.append({key, value});
    return *this;
}

OrderedJson& OrderedJson::append(const OrderedJson& value)
{
    Q_ASSERT(m_kind == Kind::Array);
    m_elements.append(value);
    return *this;
}

bool OrderedJson::isFlat() const
{
    const auto scalarOrFlatArray = [](const OrderedJson& v) {
        return v.m_kind == Kind::Scalar
            || (v.m_kind == Kind::Array
                && std::all_of(v.m_elements.begin(), v.m_elements.end(),
                               [](const OrderedJson& e) { return e.m_kind == Kind::Scalar; }));
    };
    if (m_kind == Kind::Object)
        return std::all_of(m_members.begin(), m_members.end(),
                           [&](const auto& m) { return scalarOrFlatArray(m.second); });
    return scalarOrFlatArray(*this);
}

QString OrderedJson::inlineText() const
{
    switch (m_kind) {
    case Kind::Scalar:
        return scalarText(m_scalar);
    case Kind::Array: {
        QStringList parts;
        for (const OrderedJson& element : m_elements)
            parts << element.inlineText();
        return u'[' + parts.join(QStringLiteral(", ")) + u']';
    }
    case Kind::Object: {
        QStringList parts;
        for (const auto& [key, value] : m_members)
            parts << scalarText(key) + QStringLiteral(": ") + value.inlineText();
        return u'{' + parts.join(QStringLiteral(", ")) + u'}';
    }
    }
    return {};
}

void OrderedJson::write(QString& out, int indent) const
{
    if (isFlat()) {
        const QString text = inlineText();
        if (m_kind == Kind::Scalar || indent + text.size() <= maxLineLength || isEmpty()) {
            out += text;
            return;
        }
    }
    const QString inner(indent + indentWidth, u' ');
    const bool isObject = m_kind == Kind::Object;
    out += isObject ? u'{' : u'[';
    const qsizetype count = isObject ? m_members.size() : m_elements.size();
    for (qsizetype i = 0; i < count; ++i) {
        out += u'\n' + inner;
        if (isObject) {
            out += scalarText(m_members.at(i).first) + QStringLiteral(": ");
            m_members.at(i).second.write(out, indent + indentWidth);
        } else {
            m_elements.at(i).write(out, indent + indentWidth);
        }
        if (i + 1 < count)
            out += u',';
    }
    out += u'\n' + QString(indent, u' ') + (isObject ? u'}' : u']');
}

QByteArray OrderedJson::toJson() const
{
    QString out;
    write(out, 0);
    return out.toUtf8() + '\n';
}

} // namespace okh
