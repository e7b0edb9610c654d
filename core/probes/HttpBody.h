#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace okh {

// What a health endpoint's body says, reduced to what an operator reads: django-health-check's
// flat JSON object (component label → status text) or an HTML error page's title and text.
class HttpBody
{
public:
    struct Component
    {
        QString name;
        QString status;
        bool ok = false;
        friend bool operator==(const Component&, const Component&) = default;
    };

    // django-health-check 3.x reports "working", 4.x "OK"; anything else is the failure text.
    static bool isWorking(const QString& status);
    static HttpBody parse(const QByteArray& body, const QByteArray& contentType);

    bool isHealthJson() const { return m_isHealthJson; }
    const QList<Component>& components() const { return m_components; }
    QList<Component> failingComponents() const;
    QString title() const { return m_title; }
    // One line of readable text (HTML stripped, whitespace folded), at most ~200 characters.
    QString excerpt() const { return m_excerpt; }

private:
    bool m_isHealthJson = false;
    QList<Component> m_components;
    QString m_title;
    QString m_excerpt;
};

} // namespace okh
