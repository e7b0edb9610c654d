#include "HttpBody.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace okh {

namespace {

constexpr qsizetype ExcerptLength = 200;

QString folded(QString text)
{
    text = text.simplified();
    if (text.size() > ExcerptLength)
        text = text.left(ExcerptLength - 1) + QChar(0x2026);
    return text;
}

QString htmlToText(QString html)
{
    static const QRegularExpression dropped(QStringLiteral("<(script|style|head)\\b.*?</\\1\\s*>"),
                                            QRegularExpression::CaseInsensitiveOption
                                                | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    html.remove(dropped);
    html.replace(tag, QStringLiteral(" "));
    html.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
    html.replace(QLatin1String("&lt;"), QLatin1String("<"));
    html.replace(QLatin1String("&gt;"), QLatin1String(">"));
    html.replace(QLatin1String("&quot;"), QLatin1String("\""));
    html.replace(QLatin1String("&#x27;"), QLatin1String("'"));
    html.replace(QLatin1String("&#39;"), QLatin1String("'"));
    html.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return html;
}

} // namespace

HttpBody HttpBody::parse(const QByteArray& body, const QByteArray& contentType)
{
    HttpBody result;
    const QByteArray trimmed = body.trimmed();
    const bool looksJson = contentType.contains("json") || trimmed.startsWith('{');
    if (looksJson) {
        QJsonParseError error{};
        const auto doc = QJsonDocument::fromJson(trimmed, &error);
        if (error.error == QJsonParseError::NoError && doc.isObject()) {
            const QJsonObject object = doc.object();
            bool flatStrings = true;
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (!it.value().isString()) {
                    flatStrings = false;
                    break;
                }
                const QString status = it.value().toString();
                result.m_components.append({it.key(), status, HttpBody::isWorking(status)});
            }
            result.m_isHealthJson = flatStrings;
            if (!flatStrings)
                result.m_components.clear();
            result.m_excerpt = folded(QString::fromUtf8(trimmed));
            return result;
        }
    }
    const QString text = QString::fromUtf8(body);
    static const QRegularExpression title(QStringLiteral("<title[^>]*>(.*?)</title>"),
                                          QRegularExpression::CaseInsensitiveOption
                                              | QRegularExpression::DotMatchesEverythingOption);
    const auto m = title.match(text);
    if (m.hasMatch())
        result.m_title = folded(htmlToText(m.captured(1)));
    const bool looksHtml = contentType.contains("html") || text.contains(u'<');
    result.m_excerpt = folded(looksHtml ? htmlToText(text) : text);
    return result;
}

bool HttpBody::isWorking(const QString& status)
{
    return status.compare(QLatin1String("working"), Qt::CaseInsensitive) == 0
        || status.compare(QLatin1String("ok"), Qt::CaseInsensitive) == 0;
}

QList<HttpBody::Component> HttpBody::failingComponents() const
{
    QList<Component> failing;
    for (const auto& c : m_components) {
        if (!c.ok)
            failing.append(c);
    }
    return failing;
}

} // namespace okh
