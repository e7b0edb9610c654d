#include "DeploymentFile.h"

#include "config/ConnectionReader.h"
#include "config/JsonSourceMap.h"
#include "config/OpenKlantProfile.h"
#include "config/ProfileReader.h"
#include "config/ServiceReader.h"
#include "util/LogCategories.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace okh {

namespace {

constexpr qint64 maxFileSize = 16 * 1024 * 1024;

// The document and its deployments; each section has its own reader.
class DeploymentReader : public ServiceReader
{
    Q_DECLARE_TR_FUNCTIONS(okh::DeploymentFile)

public:
    using ServiceReader::ServiceReader;

    DeploymentFile parseDocument(const QJsonDocument& document) const;

private:
    DeploymentSpec parseDeployment(const ConfigNode& node) const;
};

DeploymentFile DeploymentReader::parseDocument(const QJsonDocument& document) const
{
    const ConfigNode root{document.object(), QString()};
    if (!document.isObject())
        fail(QString(), tr("expected a JSON object at the top level, like {\"version\": 1, \"deployments\": []}"));

    // The version comes first: keys of another version's format are not typos.
    if (!root.has(QStringLiteral("version")))
        missing(root, QStringLiteral("version"),
                tr("this OK Health reads version %1").arg(DeploymentFile::formatVersion));
    const QJsonValue version = root.value(QStringLiteral("version"));
    if (!version.isDouble() || version.toDouble() != DeploymentFile::formatVersion) {
        fail(QStringLiteral("version"),
             tr("unsupported version %1; this OK Health reads version %2 files")
                 .arg(describe(version), QString::number(DeploymentFile::formatVersion)));
    }
    checkKeys(root, {QStringLiteral("version"), QStringLiteral("deployments")});

    if (!root.has(QStringLiteral("deployments")))
        missing(root, QStringLiteral("deployments"));
    const QJsonArray deployments = array(root, QStringLiteral("deployments"));
    const QString deploymentsPath = root.pathOf(QStringLiteral("deployments"));
    if (deployments.isEmpty())
        fail(deploymentsPath, tr("no deployments: add at least one"));

    DeploymentFile file;
    QHash<QString, QString> seen; // name → path of its first occurrence
    for (qsizetype i = 0; i < deployments.size(); ++i) {
        const ConfigNode node = element(deployments, deploymentsPath, i, tr("a deployment object"));
        DeploymentSpec deployment = parseDeployment(node);
        if (seen.contains(deployment.name)) {
            fail(node.pathOf(QStringLiteral("name")),
                 tr("duplicate deployment name %1 (also at %2)")
                     .arg(quoted(deployment.name), seen.value(deployment.name)));
        }
        seen.insert(deployment.name, node.pathOf(QStringLiteral("name")));
        file.deployments.append(std::move(deployment));
    }
    return file;
}

DeploymentSpec DeploymentReader::parseDeployment(const ConfigNode& node) const
{
    checkKeys(
        node,
        {QStringLiteral("name"), QStringLiteral("connection"), QStringLiteral("profile"), QStringLiteral("services")});
    DeploymentSpec deployment;
    deployment.name = name(node, QStringLiteral("name"));
    if (!node.has(QStringLiteral("connection")))
        missing(node, QStringLiteral("connection"), tr("for example {\"type\": \"direct\"}"));
    deployment.connection = ConnectionReader(*this).parseConnection(object(node, QStringLiteral("connection")));

    if (node.has(QStringLiteral("profile"))) {
        deployment.services = OpenKlantProfile::expand(ProfileReader(*this).parseProfile(node));
    }

    // Explicit services add to the profile's or refine the profile service of the same name;
    // docs/deployment-file.md ("Merging with a profile").
    QHash<QString, ConfigNode> explicitServices; // service → its object in "services"
    if (node.has(QStringLiteral("services"))) {
        mergeNamedList(
            node, QStringLiteral("services"), tr("a service object"), tr("duplicate service name %1 (also at %2)"),
            deployment.services,
            [this](const ConfigNode& serviceNode, const ServiceSpec* base) { return parseService(serviceNode, base); },
            [&explicitServices](const ConfigNode& serviceNode, const QString& serviceName) {
                explicitServices.insert(serviceName, serviceNode);
            });
    }

    if (deployment.services.isEmpty())
        fail(node.path, tr("no services: add a \"profile\" or a \"services\" list"));
    validateDependencies(deployment.services, explicitServices, node.path);
    return deployment;
}

} // namespace

const DeploymentSpec* DeploymentFile::find(const QString& name) const
{
    for (const DeploymentSpec& deployment : deployments) {
        if (deployment.name == name)
            return &deployment;
    }
    return nullptr;
}

QStringList DeploymentFile::names() const
{
    QStringList out;
    for (const DeploymentSpec& deployment : deployments)
        out << deployment.name;
    return out;
}

std::variant<QByteArray, ConfigError> DeploymentFile::read(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return ConfigError{
            path, 0, 0, QString(),
            QCoreApplication::translate("okh::DeploymentFile", "cannot read the file: %1").arg(file.errorString())};
    }
    if (file.size() > maxFileSize) {
        return ConfigError{path, 0, 0, QString(),
                           QCoreApplication::translate("okh::DeploymentFile",
                                                       "the file is larger than 16 MiB; is it a deployment file?")};
    }
    return file.readAll();
}

DeploymentFile::Result DeploymentFile::load(const QString& path, const QProcessEnvironment& environment,
                                            const KeychainValues& keychain)
{
    auto bytes = read(path);
    if (auto* error = std::get_if<ConfigError>(&bytes))
        return *error;
    return parse(std::get<QByteArray>(bytes), path, environment, keychain);
}

QStringList DeploymentFile::keychainReferences(const QByteArray& json)
{
    QStringList keys;
    const auto walk = [&keys](const QJsonValue& value, const auto& self) -> void {
        if (value.isString()) {
            for (const QString& key : okh::keychainReferences(value.toString())) {
                if (!keys.contains(key))
                    keys << key;
            }
        } else if (value.isArray()) {
            for (const QJsonValue& element : value.toArray())
                self(element, self);
        } else if (value.isObject()) {
            const QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it)
                self(it.value(), self);
        }
    };
    const QJsonDocument document = QJsonDocument::fromJson(json);
    walk(document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object()), walk);
    return keys;
}

DeploymentFile::Result DeploymentFile::parse(const QByteArray& json, const QString& fileNameForMessages,
                                             const QProcessEnvironment& environment, const KeychainValues& keychain)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const auto position = JsonSourceMap::position(json, parseError.offset);
        return ConfigError{
            fileNameForMessages, position.line, position.column, QString(),
            QCoreApplication::translate("okh::DeploymentFile", "invalid JSON: %1").arg(parseError.errorString())};
    }

    const JsonSourceMap map(json);
    if (const auto duplicate = map.duplicateKey()) {
        const auto position = map.keyPosition(*duplicate);
        return ConfigError{fileNameForMessages, position ? position->line : 0, position ? position->column : 0,
                           *duplicate,
                           QCoreApplication::translate("okh::DeploymentFile",
                                                       "duplicate key (JSON would silently keep only the last one)")};
    }

    try {
        DeploymentReader parser(fileNameForMessages, map, environment, keychain);
        DeploymentFile file = parser.parseDocument(document);
        qCDebug(lcConfig) << "loaded" << file.deployments.size() << "deployment(s) from" << fileNameForMessages;
        return file;
    } catch (const ConfigReadFailure& failure) {
        return failure.error;
    }
}

} // namespace okh
