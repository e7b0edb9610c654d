#include "ProfileReader.h"

#include "util/ClosestMatch.h"

namespace okh {

namespace {

// Typos, and the short names people use for Celery services ("flower" for "celery-flower").
QString profileServiceSuggestion(const QString& name, const QStringList& serviceNames)
{
    const QString close = closestMatch(name, serviceNames);
    if (!close.isEmpty())
        return close;
    const QString prefixed = QStringLiteral("celery-") + name;
    return serviceNames.contains(prefixed) ? prefixed : QString();
}

} // namespace

OpenKlantProfile::Settings ProfileReader::parseProfile(const ConfigNode& deployment) const
{
    const QString key = QStringLiteral("profile");
    const QStringList profiles{OpenKlantProfile::name()};
    OpenKlantProfile::Settings settings;
    // "profile": "openklant" is short for {"name": "openklant"}.
    if (deployment.value(key).isString()) {
        oneOf(deployment, key, profiles, tr("profile"));
        return settings;
    }
    if (!deployment.value(key).isObject())
        expected(deployment.pathOf(key), tr("\"openklant\" or a profile object"), deployment.value(key));
    const ConfigNode node = object(deployment, key);
    checkKeys(node, {QStringLiteral("name"), QStringLiteral("services"), QStringLiteral("exclude")});
    if (!node.has(QStringLiteral("name")))
        missing(node, QStringLiteral("name"), tr("supported: %1").arg(profiles.join(QStringLiteral(", "))));
    oneOf(node, QStringLiteral("name"), profiles, tr("profile"));

    const QStringList serviceNames = OpenKlantProfile::serviceNames();
    if (node.has(QStringLiteral("exclude"))) {
        const QJsonArray exclude = array(node, QStringLiteral("exclude"));
        const QString excludePath = node.pathOf(QStringLiteral("exclude"));
        for (qsizetype i = 0; i < exclude.size(); ++i) {
            const QString path = JsonSourceMap::elementPath(excludePath, i);
            if (!exclude.at(i).isString())
                expected(path, tr("a profile service name"), exclude.at(i));
            const QString service = expand(path, exclude.at(i).toString());
            if (!serviceNames.contains(service)) {
                const QString suggestion = profileServiceSuggestion(service, serviceNames);
                const QString message = tr("%1 is not a service of the profile (services: %2)")
                                            .arg(quoted(service), serviceNames.join(QStringLiteral(", ")));
                fail(path, withSuggestion(message, suggestion));
            }
            settings.exclude.append(service);
        }
    }

    if (node.has(QStringLiteral("services"))) {
        const ConfigNode services = object(node, QStringLiteral("services"));
        for (const QString& service : keysInFileOrder(services)) {
            const QString suggestion = profileServiceSuggestion(service, serviceNames);
            if (!serviceNames.contains(service) && !suggestion.isEmpty()) {
                fail(services.pathOf(service),
                     tr("unknown key %1; did you mean %2?").arg(quoted(service), quoted(suggestion)), Anchor::Key);
            }
        }
        checkKeys(services, serviceNames);
        for (const QString& service : keysInFileOrder(services)) {
            if (settings.exclude.contains(service)) {
                fail(services.pathOf(service),
                     tr("service %1 is configured here but excluded in \"exclude\"").arg(quoted(service)), Anchor::Key);
            }
        }
        if (services.has(QStringLiteral("web")))
            parseHttpEndpoint(object(services, QStringLiteral("web")), settings.web);
        if (services.has(QStringLiteral("nginx")))
            parseHttpEndpoint(object(services, QStringLiteral("nginx")), settings.nginx);
        if (services.has(QStringLiteral("redis")))
            parseRedisFields(object(services, QStringLiteral("redis")), settings.redis);
        if (services.has(QStringLiteral("db")))
            parsePostgresFields(object(services, QStringLiteral("db")), settings.db);
        if (services.has(QStringLiteral("celery")))
            parseCelerySettings(object(services, QStringLiteral("celery")), settings.celery);
        if (services.has(QStringLiteral("celery-flower")))
            parseFlowerSettings(object(services, QStringLiteral("celery-flower")), settings.flower);
    }
    return settings;
}

void ProfileReader::parseCelerySettings(const ConfigNode& node, OpenKlantProfile::CelerySettings& celery) const
{
    checkKeys(node,
              {QStringLiteral("workerName"), QStringLiteral("workers"), QStringLiteral("broker"),
               QStringLiteral("exec"), QStringLiteral("livenessFile"), QStringLiteral("readinessFile"),
               QStringLiteral("maxAge")});
    if (node.has(QStringLiteral("workerName")) && node.has(QStringLiteral("workers"))) {
        fail(node.pathOf(QStringLiteral("workers")), tr("give either \"workerName\" or \"workers\", not both"),
             Anchor::Key);
    }
    if (auto value = string(node, QStringLiteral("workerName"))) {
        checkWorkerName(node.pathOf(QStringLiteral("workerName")), *value,
                        node.value(QStringLiteral("workerName")).toString());
        celery.workers = QStringList{*value};
    }
    if (node.has(QStringLiteral("workers")))
        celery.workers = workerNames(node, QStringLiteral("workers"));
    if (node.has(QStringLiteral("broker")))
        celery.broker = brokerUrl(node, QStringLiteral("broker"));
    if (node.has(QStringLiteral("exec")))
        celery.exec = parseExecContext(node, QStringLiteral("exec"));
    if (node.has(QStringLiteral("livenessFile")))
        celery.livenessFile = absolutePath(node, QStringLiteral("livenessFile"));
    if (node.has(QStringLiteral("readinessFile")))
        celery.readinessFile = absolutePath(node, QStringLiteral("readinessFile"));
    if (auto value = wholeSeconds(node, QStringLiteral("maxAge")))
        celery.maxAge = *value;
}

void ProfileReader::parseFlowerSettings(const ConfigNode& node, OpenKlantProfile::FlowerSettings& flower) const
{
    checkKeys(node,
              {QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("user"), QStringLiteral("password")});
    if (auto value = host(node, QStringLiteral("host")))
        flower.host = *value;
    if (auto value = port(node, QStringLiteral("port")))
        flower.port = *value;
    parseBasicAuth(node, flower.user, flower.password);
}

void ProfileReader::parseHttpEndpoint(const ConfigNode& node, OpenKlantProfile::HttpEndpoint& endpoint) const
{
    checkKeys(node, {QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("hostHeader")});
    if (auto value = host(node, QStringLiteral("host")))
        endpoint.host = *value;
    if (auto value = port(node, QStringLiteral("port")))
        endpoint.port = *value;
    if (auto value = string(node, QStringLiteral("hostHeader")))
        endpoint.hostHeader = *value;
}

} // namespace okh
