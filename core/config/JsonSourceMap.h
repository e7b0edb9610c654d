#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <optional>

namespace okh {

// Where each value of a JSON text starts, by key path, so semantic errors in a deployment
// file carry line:column like syntax errors do. QJsonDocument keeps no positions, and it
// silently keeps only the last of duplicated keys, which this map reports instead.
class JsonSourceMap
{
public:
    struct Position
    {
        int line = 0; // 1-based
        int column = 0; // 1-based, in code points
    };

    // `json` must be text QJsonDocument::fromJson accepted.
    explicit JsonSourceMap(const QByteArray& json);

    // Path syntax shared with the deployment file's error messages: `a.b[2].c`; keys that are
    // not plain words are quoted: `headers["X Y"]`.
    static QString memberPath(const QString& parent, const QString& key);
    static QString elementPath(const QString& parent, qsizetype index);

    std::optional<Position> valuePosition(const QString& path) const;
    std::optional<Position> keyPosition(const QString& path) const; // for object members
    Position position(qsizetype byteOffset) const { return position(m_json, byteOffset); }
    // For any text, valid JSON or not (syntax errors report QJsonParseError::offset).
    static Position position(const QByteArray& text, qsizetype byteOffset);

    // The path of the first key that occurs twice in one object (at its second occurrence).
    std::optional<QString> duplicateKey() const { return m_duplicate; }

private:
    void scanValue(const QString& path);
    void scanObject(const QString& path);
    void scanArray(const QString& path);
    QString scanString(); // returns the decoded text
    void skipWhitespace();

    QByteArray m_json;
    qsizetype m_pos = 0;
    int m_depth = 0;
    QHash<QString, qsizetype> m_values;
    QHash<QString, qsizetype> m_keys;
    std::optional<QString> m_duplicate;
};

} // namespace okh
