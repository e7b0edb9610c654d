#include "ConfigReader.h"

#include "config/RedisUrl.h"
#include "config/SshConfigFile.h"
#include "config/VariableExpansion.h"
#include "util/ClosestMatch.h"
#include "util/Durations.h"

#include <QDir>
#include <QRegularExpression>
#include <QUrl>
#include <cmath>
#include <limits>

namespace okh {

QString quoted(const QString& text)
{
    return u'"' + text + u'"';
}

bool isValidName(const QString& name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        if (!alnum && (i == 0 || (c != u'.' && c != u'_' && c != u'-')))
            return false;
    }
    return true;
}

using std::chrono::milliseconds;

void ConfigReader::fail(const QString& path, const QString& message, Anchor anchor) const
{
    ConfigError error{m_file, 0, 0, path, message};
    auto position = anchor == Anchor::Key ? m_map.keyPosition(path) : m_map.valuePosition(path);
    if (!position)
        position = m_map.valuePosition(path);
    if (position) {
        error.line = position->line;
        error.column = position->column;
    }
    throw ConfigReadFailure{error};
}

void ConfigReader::expected(const QString& path, const QString& what, const QJsonValue& got, Secret secret) const
{
    fail(path, tr("expected %1, got %2").arg(what, describe(got, secret)));
}

void ConfigReader::missing(const ConfigNode& node, const QString& key, const QString& hint) const
{
    const QString message = tr("missing required key %1").arg(quoted(key));
    fail(node.path, hint.isEmpty() ? message : message + QStringLiteral(" (") + hint + u')');
}

QString ConfigReader::withSuggestion(const QString& message, const QString& suggestion) const
{
    return suggestion.isEmpty() ? message : message + u' ' + tr("did you mean %1?").arg(quoted(suggestion));
}

QString ConfigReader::describe(const QJsonValue& value, Secret secret) const
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return secret == Secret::Yes ? tr("a number") : QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::String:
        return secret == Secret::Yes ? tr("a string") : describeText(value.toString(), value.toString());
    case QJsonValue::Array:
        return tr("an array");
    case QJsonValue::Object:
        return tr("an object");
    case QJsonValue::Undefined:
        break;
    }
    return tr("nothing");
}

QString ConfigReader::describeText(const QString& expanded, const QString& raw) const
{
    constexpr qsizetype maxShown = 60;
    const auto shorten = [](const QString& text) {
        return text.size() > maxShown ? quoted(text.left(maxShown) + QStringLiteral("…")) : quoted(text);
    };
    // Any value may be a URL with a password, written out or from a variable (DATABASE_URL in
    // the wrong field): never show it.
    const QString shownExpanded = shorten(redactUrlPassword(expanded));
    if (expanded == raw)
        return shownExpanded;
    return tr("%1 (expanded from %2)").arg(shownExpanded, shorten(redactUrlPassword(raw)));
}

QStringList ConfigReader::keysInFileOrder(const ConfigNode& node) const
{
    QStringList keys = node.object.keys();
    std::stable_sort(keys.begin(), keys.end(), [this, &node](const QString& a, const QString& b) {
        const auto pa = m_map.keyPosition(node.pathOf(a));
        const auto pb = m_map.keyPosition(node.pathOf(b));
        if (!pa || !pb)
            return false;
        return std::pair(pa->line, pa->column) < std::pair(pb->line, pb->column);
    });
    return keys;
}

void ConfigReader::checkKeys(const ConfigNode& node, const QStringList& allowed) const
{
    for (const QString& key : keysInFileOrder(node)) {
        if (allowed.contains(key))
            continue;
        const QString suggestion = closestMatch(key, allowed);
        if (!suggestion.isEmpty()) {
            fail(node.pathOf(key), tr("unknown key %1; did you mean %2?").arg(quoted(key), quoted(suggestion)),
                 Anchor::Key);
        }
        fail(node.pathOf(key),
             tr("unknown key %1; expected one of: %2").arg(quoted(key), allowed.join(QStringLiteral(", "))),
             Anchor::Key);
    }
}

QString ConfigReader::expand(const QString& path, const QString& raw, ExpansionTarget target) const
{
    const VariableExpansion expansion = expandVariables(raw, m_environment, m_keychain, target);
    if (!expansion.ok())
        fail(path, expansion.error);
    return expansion.text;
}

ConfigNode ConfigReader::object(const ConfigNode& parent, const QString& key) const
{
    const QJsonValue value = parent.value(key);
    if (!value.isObject())
        expected(parent.pathOf(key), tr("an object"), value);
    return ConfigNode{value.toObject(), parent.pathOf(key)};
}

ConfigNode ConfigReader::element(const QJsonArray& array, const QString& arrayPath, qsizetype index,
                                 const QString& what) const
{
    const QString path = JsonSourceMap::elementPath(arrayPath, index);
    const QJsonValue value = array.at(index);
    if (!value.isObject())
        expected(path, what, value);
    return ConfigNode{value.toObject(), path};
}

QJsonArray ConfigReader::array(const ConfigNode& parent, const QString& key) const
{
    const QJsonValue value = parent.value(key);
    if (!value.isArray())
        expected(parent.pathOf(key), tr("an array"), value);
    return value.toArray();
}

std::optional<QString> ConfigReader::string(const ConfigNode& node, const QString& key, Secret secret,
                                            ExpansionTarget target) const
{
    if (!node.has(key))
        return std::nullopt;
    const QJsonValue value = node.value(key);
    if (!value.isString())
        expected(node.pathOf(key), tr("a string"), value, secret);
    return expand(node.pathOf(key), value.toString(), target);
}

QString ConfigReader::requiredString(const ConfigNode& node, const QString& key, const QString& hint) const
{
    if (!node.has(key))
        missing(node, key, hint);
    return *string(node, key);
}

QString ConfigReader::name(const ConfigNode& node, const QString& key) const
{
    const QString text = requiredString(node, key);
    if (!isValidName(text)) {
        fail(node.pathOf(key),
             tr("expected a name of letters, digits, '.', '_' and '-' that starts with a letter or digit, got %1")
                 .arg(describeText(text, node.value(key).toString())));
    }
    return text;
}

QString ConfigReader::oneOf(const ConfigNode& node, const QString& key, const QStringList& allowed,
                            const QString& what) const
{
    const QString text = *string(node, key);
    if (allowed.contains(text))
        return text;
    const QString suggestion = closestMatch(text, allowed);
    const QString shown = describeText(text, node.value(key).toString());
    const QString list = allowed.join(QStringLiteral(", "));
    if (!suggestion.isEmpty()) {
        fail(node.pathOf(key),
             tr("unknown %1 %2; did you mean %3? (supported: %4)").arg(what, shown, quoted(suggestion), list));
    }
    fail(node.pathOf(key), tr("unknown %1 %2 (supported: %3)").arg(what, shown, list));
}

std::optional<qint64> ConfigReader::integer(const ConfigNode& node, const QString& key, qint64 min, qint64 max) const
{
    if (!node.has(key))
        return std::nullopt;
    const QString path = node.pathOf(key);
    const QJsonValue value = node.value(key);
    const QString range = max == std::numeric_limits<int>::max() ? tr("a whole number of at least %1").arg(min)
                                                                 : tr("a whole number from %1 to %2").arg(min).arg(max);
    double number = 0;
    QString shown;
    if (value.isDouble()) {
        number = value.toDouble();
        shown = describe(value);
    } else if (value.isString()) {
        // Strings are accepted so that numbers can come from ${VAR} references.
        const QString text = expand(path, value.toString());
        shown = describeText(text, value.toString());
        // Digits only (a '-' where negatives are allowed): not "+80", " 80 " or "-0".
        static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
        static const QRegularExpression signedDigits(QStringLiteral("^-?[0-9]+$"));
        bool ok = (min >= 0 ? digits : signedDigits).match(text).hasMatch();
        number = ok ? double(text.toLongLong(&ok)) : 0;
        if (!ok)
            fail(path, tr("expected %1, got %2").arg(range, shown));
    } else {
        expected(path, range, value);
    }
    if (number > double(max)) {
        // "at least 0, got 3000000000" would contradict itself: name the upper end too.
        fail(path, tr("expected %1, got %2").arg(tr("a whole number from %1 to %2").arg(min).arg(max), shown));
    }
    if (!std::isfinite(number) || std::floor(number) != number || number < double(min))
        fail(path, tr("expected %1, got %2").arg(range, shown));
    return qint64(number);
}

std::optional<milliseconds> ConfigReader::duration(const ConfigNode& node, const QString& key, bool positive) const
{
    if (!node.has(key))
        return std::nullopt;
    const QString path = node.pathOf(key);
    const QJsonValue value = node.value(key);
    const QString what = tr("a duration like \"5s\" or a number of seconds");
    // A year is far beyond any sensible interval and keeps the milliseconds far from overflow.
    constexpr double maxSeconds = 366.0 * 24 * 3600;
    std::optional<milliseconds> parsed;
    QString shown;
    if (value.isDouble()) {
        const double seconds = value.toDouble();
        shown = describe(value);
        if (seconds >= 0 && seconds <= maxSeconds)
            parsed = milliseconds(qint64(std::llround(seconds * 1000.0)));
    } else if (value.isString()) {
        const QString text = expand(path, value.toString());
        shown = describeText(text, value.toString());
        parsed = parseDuration(text);
        if (parsed && double(parsed->count()) > maxSeconds * 1000.0)
            parsed.reset();
    } else {
        expected(path, what, value);
    }
    if (!parsed)
        fail(path, tr("expected %1, got %2").arg(what, shown));
    if (positive && parsed->count() <= 0)
        fail(path, tr("expected a duration greater than zero, got %1").arg(shown));
    return parsed;
}

std::optional<quint16> ConfigReader::port(const ConfigNode& node, const QString& key) const
{
    const auto value = integer(node, key, 1, 65535);
    if (!value)
        return std::nullopt;
    return quint16(*value);
}

std::optional<QString> ConfigReader::host(const ConfigNode& node, const QString& key) const
{
    auto text = string(node, key);
    if (!text)
        return std::nullopt;
    QString host = *text;
    // "[::1]" is how URLs write IPv6; targets keep the bare address.
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    QUrl check;
    check.setHost(host, QUrl::StrictMode);
    if (host.isEmpty() || !check.isValid() || check.host().isEmpty()) {
        fail(node.pathOf(key),
             tr("expected a host name or IP address, got %1").arg(describeText(*text, node.value(key).toString())));
    }
    return host;
}

std::optional<bool> ConfigReader::boolean(const ConfigNode& node, const QString& key) const
{
    if (!node.has(key))
        return std::nullopt;
    const QJsonValue value = node.value(key);
    if (value.isBool())
        return value.toBool();
    // Strings are accepted so that the value can come from a ${VAR} reference.
    if (value.isString()) {
        const QString text = *string(node, key);
        if (text == QLatin1String("true"))
            return true;
        if (text == QLatin1String("false"))
            return false;
        fail(node.pathOf(key), tr("expected true or false, got %1").arg(describeText(text, value.toString())));
    }
    expected(node.pathOf(key), tr("true or false"), value);
}

QString ConfigReader::absolutePath(const ConfigNode& node, const QString& key) const
{
    const QString path = node.pathOf(key);
    const QString text = *string(node, key);
    if (!text.startsWith(u'/')) {
        fail(path,
             tr("expected an absolute path (starting with /) inside the execution context, got %1; a relative path "
                "would depend on the working directory of the container")
                 .arg(describeText(text, node.value(key).toString())));
    }
    if (text.contains(QChar(0)))
        fail(path, tr("a path cannot contain a NUL character"));
    return text;
}

std::optional<std::chrono::seconds> ConfigReader::wholeSeconds(const ConfigNode& node, const QString& key) const
{
    const auto value = duration(node, key, true);
    if (!value)
        return std::nullopt;
    // maykin-common compares int(now - mtime) with an integer --max-age.
    if (value->count() % 1000 != 0) {
        fail(node.pathOf(key),
             tr("expected a whole number of seconds (file ages are compared in whole seconds), got %1")
                 .arg(formatDuration(*value)));
    }
    return std::chrono::duration_cast<std::chrono::seconds>(*value);
}

QString ConfigReader::homeDirectory() const
{
    const QString home = m_environment.value(QStringLiteral("HOME"));
    return home.isEmpty() ? QDir::homePath() : QDir::cleanPath(home);
}

QString ConfigReader::localPath(const ConfigNode& node, const QString& key) const
{
    const QString text = *string(node, key);
    return localPathAt(node.pathOf(key), text, node.value(key).toString());
}

// A file on this machine: `text` (expanded from `raw`) with a leading ~ expanded; it must then be
// absolute, since a relative path would depend on the directory OK Health was started in.
QString ConfigReader::localPathAt(const QString& path, const QString& text, const QString& raw) const
{
    if (text.contains(QChar(0)))
        fail(path, tr("a path cannot contain a NUL character"));
    const QString expanded = SshConfigFile::expandTilde(text, homeDirectory());
    if (!QDir::isAbsolutePath(expanded)) {
        fail(path,
             tr("expected an absolute path or one starting with ~/, got %1; a relative path would depend on the "
                "directory OK Health is started in")
                 .arg(describeText(text, raw)));
    }
    return QDir::cleanPath(expanded);
}

} // namespace okh
