#pragma once

#include "config/ConfigError.h"
#include "config/JsonSourceMap.h"
#include "config/VariableExpansion.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <algorithm>
#include <chrono>
#include <optional>

namespace okh {

// The deployment file's readers (DeploymentFile.cpp and the *Reader classes beside it) share
// these primitives: typed members with ${VAR} expansion and errors that point at a key path
// and its line:column. Errors unwind the whole parse (ConfigReadFailure): the caller gets the
// first one and nothing else, so a file is never half loaded. Internal to core/config.

// Thrown by ConfigReader::fail; never leaves DeploymentFile::parse.
struct ConfigReadFailure
{
    ConfigError error;
};

// A JSON object together with its key path, for reading members with precise errors.
struct ConfigNode
{
    QJsonObject object;
    QString path;

    bool has(const QString& key) const { return object.contains(key); }
    QJsonValue value(const QString& key) const { return object.value(key); }
    QString pathOf(const QString& key) const { return JsonSourceMap::memberPath(path, key); }
};

QString quoted(const QString& text);
// Deployment, service and check names: letters, digits, '.', '_' and '-', starting with a
// letter or digit.
bool isValidName(const QString& name);

class ConfigReader
{
    // One translation context for every reader: the messages are the deployment file's.
    Q_DECLARE_TR_FUNCTIONS(okh::DeploymentFile)

public:
    enum class Anchor { Key, Value };
    enum class Secret { No, Yes }; // Yes: an error never shows the value

    ConfigReader(const QString& file, const JsonSourceMap& map, const QProcessEnvironment& environment,
                 const KeychainValues& keychain)
        : m_file(file)
        , m_map(map)
        , m_environment(environment)
        , m_keychain(keychain)
    { }

    [[noreturn]] void fail(const QString& path, const QString& message, Anchor anchor = Anchor::Value) const;
    [[noreturn]] void expected(const QString& path, const QString& what, const QJsonValue& got,
                               Secret secret = Secret::No) const;
    [[noreturn]] void missing(const ConfigNode& node, const QString& key, const QString& hint = {}) const;

    // `message`, then "did you mean X?" when there is a suggestion (closestMatch).
    QString withSuggestion(const QString& message, const QString& suggestion) const;
    QString describe(const QJsonValue& value, Secret secret = Secret::No) const;
    QString describeText(const QString& expanded, const QString& raw) const;
    void checkKeys(const ConfigNode& node, const QStringList& allowed) const;
    QStringList keysInFileOrder(const ConfigNode& node) const;

    QString expand(const QString& path, const QString& raw, ExpansionTarget target = ExpansionTarget::Text) const;
    ConfigNode object(const ConfigNode& parent, const QString& key) const;
    ConfigNode element(const QJsonArray& array, const QString& arrayPath, qsizetype index, const QString& what) const;
    QJsonArray array(const ConfigNode& parent, const QString& key) const;
    std::optional<QString> string(const ConfigNode& node, const QString& key, Secret secret = Secret::No,
                                  ExpansionTarget target = ExpansionTarget::Text) const;
    QString requiredString(const ConfigNode& node, const QString& key, const QString& hint = {}) const;
    QString name(const ConfigNode& node, const QString& key) const;
    QString oneOf(const ConfigNode& node, const QString& key, const QStringList& allowed, const QString& what) const;
    std::optional<qint64> integer(const ConfigNode& node, const QString& key, qint64 min, qint64 max) const;
    std::optional<std::chrono::milliseconds> duration(const ConfigNode& node, const QString& key, bool positive) const;
    std::optional<quint16> port(const ConfigNode& node, const QString& key) const;
    std::optional<QString> host(const ConfigNode& node, const QString& key) const;
    std::optional<bool> boolean(const ConfigNode& node, const QString& key) const;
    QString absolutePath(const ConfigNode& node, const QString& key) const;
    std::optional<std::chrono::seconds> wholeSeconds(const ConfigNode& node, const QString& key) const;
    QString localPath(const ConfigNode& node, const QString& key) const;
    QString localPathAt(const QString& path, const QString& text, const QString& raw) const;
    QString homeDirectory() const;

    // A list of named objects (services, checks): each refines the item of the same name
    // already in `items` (from a profile) or is added; a name used twice in the list fails at
    // its second use. `visit` sees every element after it was merged.
    template<typename Item, typename Parse, typename Visit>
    void mergeNamedList(const ConfigNode& node, const QString& key, const QString& elementText,
                        const QString& duplicateText, QList<Item>& items, Parse parse, Visit visit) const;

protected:
    const QProcessEnvironment& environment() const { return m_environment; }

private:
    QString m_file;
    const JsonSourceMap& m_map;
    QProcessEnvironment m_environment;
    const KeychainValues& m_keychain;
};

template<typename Item, typename Parse, typename Visit>
void ConfigReader::mergeNamedList(const ConfigNode& node, const QString& key, const QString& elementText,
                                  const QString& duplicateText, QList<Item>& items, Parse parse, Visit visit) const
{
    const QJsonArray list = array(node, key);
    const QString listPath = node.pathOf(key);
    QHash<QString, QString> seen; // name → path of its first use
    for (qsizetype i = 0; i < list.size(); ++i) {
        const ConfigNode itemNode = element(list, listPath, i, elementText);
        const QString itemName = name(itemNode, QStringLiteral("name"));
        const QString namePath = itemNode.pathOf(QStringLiteral("name"));
        if (seen.contains(itemName))
            fail(namePath, duplicateText.arg(quoted(itemName), seen.value(itemName)));
        seen.insert(itemName, namePath);
        const auto existing
            = std::find_if(items.begin(), items.end(), [&itemName](const Item& x) { return x.name == itemName; });
        if (existing != items.end())
            *existing = parse(itemNode, &*existing);
        else
            items.append(parse(itemNode, nullptr));
        visit(itemNode, itemName);
    }
}

} // namespace okh
