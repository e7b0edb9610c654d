#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

namespace okh {

// A JSON value whose object members keep the order they were added in (QJsonObject sorts
// them), written the way the example deployment files are: four-space indents, short objects
// and arrays of plain values on one line. For files people read and keep in git.
class OrderedJson
{
public:
    OrderedJson() = default; // null
    // Implicit on purpose: add(key, "text"), add(key, 3).
    OrderedJson(const QJsonValue& scalar);
    OrderedJson(const QString& text);
    OrderedJson(const char* text);
    OrderedJson(qint64 number);
    OrderedJson(int number);
    OrderedJson(bool value);
    static OrderedJson object();
    static OrderedJson array();
    static OrderedJson array(const QStringList& texts);

    // Objects: appends a member (keys are not checked for duplicates). Arrays: appends an element.
    OrderedJson& add(const QString& key, const OrderedJson& value);
    OrderedJson& append(const OrderedJson& value);
    bool isEmpty() const { return m_members.isEmpty() && m_elements.isEmpty(); }

    QByteArray toJson() const; // with a final newline

private:
    enum class Kind { Scalar, Object, Array };
    void write(QString& out, int indent) const;
    QString inlineText() const; // the value on one line, or empty when it holds objects
    bool isFlat() const;

    Kind m_kind = Kind::Scalar;
    QJsonValue m_scalar;
    QList<QPair<QString, OrderedJson>> m_members;
    QList<OrderedJson> m_elements;
};

} // namespace okh
