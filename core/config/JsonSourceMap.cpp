#include "JsonSourceMap.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace okh {

namespace {

// QJsonDocument refuses deeper documents too; the guard only keeps the recursion bounded.
constexpr int maxDepth = 1024;

bool isPlainKey(const QString& key)
{
    if (key.isEmpty())
        return false;
    for (QChar c : key) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'_' && c != u'-')
            return false;
    }
    return true;
}

} // namespace

JsonSourceMap::JsonSourceMap(const QByteArray& json)
    : m_json(json)
{
    if (m_json.startsWith("\xEF\xBB\xBF"))
        m_pos = 3;
    scanValue(QString());
}

QString JsonSourceMap::memberPath(const QString& parent, const QString& key)
{
    if (!isPlainKey(key)) {
        QString quoted = key;
        quoted.replace(u'\\', QLatin1String("\\\\")).replace(u'"', QLatin1String("\\\""));
        return parent + QStringLiteral("[\"") + quoted + QStringLiteral("\"]");
    }
    return parent.isEmpty() ? key : parent + u'.' + key;
}

QString JsonSourceMap::elementPath(const QString& parent, qsizetype index)
{
    return parent + u'[' + QString::number(index) + u']';
}

std::optional<JsonSourceMap::Position> JsonSourceMap::valuePosition(const QString& path) const
{
    const auto it = m_values.constFind(path);
    if (it == m_values.constEnd())
        return std::nullopt;
    return position(*it);
}

std::optional<JsonSourceMap::Position> JsonSourceMap::keyPosition(const QString& path) const
{
    const auto it = m_keys.constFind(path);
    if (it == m_keys.constEnd())
        return std::nullopt;
    return position(*it);
}

JsonSourceMap::Position JsonSourceMap::position(const QByteArray& text, qsizetype byteOffset)
{
    Position p{1, 1};
    qsizetype i = text.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    const qsizetype end = std::min(byteOffset, text.size());
    for (; i < end; ++i) {
        const auto byte = static_cast<unsigned char>(text.at(i));
        if (byte == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((byte & 0xC0) != 0x80) { // count UTF-8 lead bytes, not continuation bytes
            ++p.column;
        }
    }
    return p;
}

void JsonSourceMap::skipWhitespace()
{
    while (m_pos < m_json.size()) {
        const char c = m_json.at(m_pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        ++m_pos;
    }
}

void JsonSourceMap::scanValue(const QString& path)
{
    skipWhitespace();
    if (m_pos >= m_json.size())
        return;
    m_values.insert(path, m_pos);
    const char c = m_json.at(m_pos);
    if (c == '{') {
        scanObject(path);
    } else if (c == '[') {
        scanArray(path);
    } else if (c == '"') {
        scanString();
    } else {
        // A number, true, false or null: runs up to the next delimiter.
        while (m_pos < m_json.size()) {
            const char d = m_json.at(m_pos);
            if (d == ',' || d == '}' || d == ']' || d == ' ' || d == '\t' || d == '\n' || d == '\r')
                break;
            ++m_pos;
        }
    }
}

void JsonSourceMap::scanObject(const QString& path)
{
    if (++m_depth > maxDepth)
        return;
    ++m_pos; // '{'
    QSet<QString> seen;
    while (true) {
        skipWhitespace();
        if (m_pos >= m_json.size())
            return;
        const char c = m_json.at(m_pos);
        if (c == '}') {
            ++m_pos;
            break;
        }
        if (c == ',') {
            ++m_pos;
            continue;
        }
        if (c != '"')
            return; // not JSON QJsonDocument accepted; stop quietly
        const qsizetype keyStart = m_pos;
        const QString key = scanString();
        const QString childPath = memberPath(path, key);
        if (seen.contains(key) && !m_duplicate)
            m_duplicate = childPath;
        seen.insert(key);
        // Later occurrences overwrite earlier ones, as in QJsonDocument, so a duplicate is
        // reported where it occurs the second time.
        m_keys.insert(childPath, keyStart);
        skipWhitespace();
        if (m_pos < m_json.size() && m_json.at(m_pos) == ':')
            ++m_pos;
        scanValue(childPath);
    }
    --m_depth;
}

void JsonSourceMap::scanArray(const QString& path)
{
    if (++m_depth > maxDepth)
        return;
    ++m_pos; // '['
    qsizetype index = 0;
    while (true) {
        skipWhitespace();
        if (m_pos >= m_json.size())
            return;
        const char c = m_json.at(m_pos);
        if (c == ']') {
            ++m_pos;
            break;
        }
        if (c == ',') {
            ++m_pos;
            continue;
        }
        scanValue(elementPath(path, index++));
    }
    --m_depth;
}

QString JsonSourceMap::scanString()
{
    const qsizetype start = m_pos;
    ++m_pos; // opening quote
    bool escaped = false;
    while (m_pos < m_json.size()) {
        const char c = m_json.at(m_pos);
        if (c == '\\') {
            escaped = true;
            m_pos += 2;
            continue;
        }
        if (c == '"')
            break;
        ++m_pos;
    }
    const qsizetype end = std::min(m_pos, m_json.size());
    ++m_pos; // closing quote
    const QByteArray raw = m_json.mid(start + 1, end - start - 1);
    if (!escaped)
        return QString::fromUtf8(raw);
    // Escapes are rare in keys; let QJsonDocument decode them exactly.
    const QJsonDocument decoded = QJsonDocument::fromJson('[' + m_json.mid(start, end - start + 1) + ']');
    return decoded.array().at(0).toString();
}

} // namespace okh
