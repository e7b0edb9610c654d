#include "DeploymentDraft.h"

#include "config/CheckTypes.h"
#include "config/DeploymentFile.h"
#include "config/DeploymentWriter.h"
#include "util/Durations.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRegularExpression>
#include <QThreadPool>

namespace okh {

namespace {

QByteArray fileJson(const QJsonObject& deployment)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("version"), DeploymentFile::formatVersion},
                                     {QStringLiteral("deployments"), QJsonArray{deployment}}})
        .toJson(QJsonDocument::Indented);
}

bool isEmptyValue(const QJsonValue& value)
{
    return value.isUndefined() || value.isNull() || (value.isString() && value.toString().isEmpty())
        || (value.isArray() && value.toArray().isEmpty()) || (value.isObject() && value.toObject().isEmpty());
}

// The written file of one deployment: its JSON object and the keychain values it refers to.
std::pair<QJsonObject, KeychainValues> written(const DeploymentSpec& spec)
{
    const DeploymentWriter::Output output = DeploymentWriter::write(DeploymentFile{{spec}});
    KeychainValues secrets;
    for (const KeychainEntry& entry : output.secrets)
        secrets.values.insert(entry.key, entry.value);
    const QJsonObject root = QJsonDocument::fromJson(output.json).object();
    return {root.value(QStringLiteral("deployments")).toArray().first().toObject(), secrets};
}

} // namespace

DeploymentDraft::DeploymentDraft(const QJsonObject& deployment, const KeychainValues& secrets,
                                 const QProcessEnvironment& environment, QObject* parent)
    : QObject(parent)
    , m_deployment(deployment)
    , m_secrets(secrets)
    , m_environment(environment)
{
    validate();
}

DeploymentDraft* DeploymentDraft::fromSpec(const DeploymentSpec& spec, QObject* parent)
{
    const auto [json, secrets] = written(spec);
    return new DeploymentDraft(json, secrets, QProcessEnvironment::systemEnvironment(), parent);
}

DeploymentDraft* DeploymentDraft::fromOpenKlantProfile(const QString& name, QObject* parent)
{
    const QJsonObject profile{
        {QStringLiteral("name"), name},
        {QStringLiteral("connection"), QJsonObject{{QStringLiteral("type"), QStringLiteral("direct")}}},
        {QStringLiteral("profile"), QJsonObject{{QStringLiteral("name"), QStringLiteral("openklant")}}}};
    const auto parsed = DeploymentFile::parse(fileJson(profile), fileNameForMessages(), QProcessEnvironment());
    if (const auto* file = std::get_if<DeploymentFile>(&parsed)) {
        const auto [json, secrets] = written(file->deployments.first());
        return new DeploymentDraft(json, secrets, QProcessEnvironment::systemEnvironment(), parent);
    }
    return new DeploymentDraft(profile, {}, QProcessEnvironment::systemEnvironment(), parent);
}

QString DeploymentDraft::fileNameForMessages()
{
    return tr("deployment");
}

void DeploymentDraft::setJson(const QJsonObject& deployment)
{
    if (deployment == m_deployment)
        return;
    m_deployment = deployment;
    edited(true);
}

QString DeploymentDraft::validSummary() const
{
    if (!m_spec)
        return {};
    int checks = 0;
    for (const ServiceSpec& s : m_spec->services)
        checks += int(s.checks.size());
    return tr("Valid: %n service(s)", nullptr, int(m_spec->services.size())) + QStringLiteral(", ")
        + tr("%n check(s)", nullptr, checks);
}

int DeploymentDraft::serviceCount() const
{
    return int(m_deployment.value(QStringLiteral("services")).toArray().size());
}

int DeploymentDraft::checkCount(int service) const
{
    return int(objectAt({service, -1}).value(QStringLiteral("checks")).toArray().size());
}

QString DeploymentDraft::nameOf(Node node) const
{
    return objectAt(node).value(QStringLiteral("name")).toString();
}

QJsonObject DeploymentDraft::objectAt(Node node) const
{
    if (node.service < 0)
        return m_deployment;
    const QJsonObject service = m_deployment.value(QStringLiteral("services")).toArray().at(node.service).toObject();
    if (node.check < 0)
        return service;
    return service.value(QStringLiteral("checks")).toArray().at(node.check).toObject();
}

void DeploymentDraft::setObjectAt(Node node, const QJsonObject& object)
{
    if (node.service < 0) {
        m_deployment = object;
        return;
    }
    QJsonArray services = m_deployment.value(QStringLiteral("services")).toArray();
    if (node.service >= services.size())
        return;
    QJsonObject service = services.at(node.service).toObject();
    if (node.check < 0) {
        service = object;
    } else {
        QJsonArray checks = service.value(QStringLiteral("checks")).toArray();
        if (node.check >= checks.size())
            return;
        checks[node.check] = object;
        service.insert(QStringLiteral("checks"), checks);
    }
    services[node.service] = service;
    m_deployment.insert(QStringLiteral("services"), services);
}

QJsonValue DeploymentDraft::value(Node node, const QString& key) const
{
    const QJsonObject object = objectAt(node);
    const qsizetype dot = key.indexOf(u'.');
    if (dot < 0)
        return object.value(key);
    return object.value(key.left(dot)).toObject().value(key.mid(dot + 1));
}

void DeploymentDraft::setValue(Node node, const QString& key, const QJsonValue& value)
{
    if (this->value(node, key) == value || (isEmptyValue(value) && this->value(node, key).isUndefined()))
        return;
    QJsonObject object = objectAt(node);
    const qsizetype dot = key.indexOf(u'.');
    if (dot < 0) {
        if (isEmptyValue(value))
            object.remove(key);
        else
            object.insert(key, value);
    } else {
        QJsonObject inner = object.value(key.left(dot)).toObject();
        if (isEmptyValue(value))
            inner.remove(key.mid(dot + 1));
        else
            inner.insert(key.mid(dot + 1), value);
        object.insert(key.left(dot), inner);
    }
    setObjectAt(node, object);
    edited(key == QLatin1String("name"));
}

namespace {

// The key of `text` when it is one ${keychain:KEY} reference and nothing else.
QString wholeReference(const QString& text)
{
    const QStringList references = keychainReferences(text);
    return references.size() == 1 && text == keychainReference(references.first()) ? references.first() : QString();
}

} // namespace

QString DeploymentDraft::secret(Node node, const QString& key) const
{
    const QString text = value(node, key).toString();
    const QString reference = wholeReference(text);
    return reference.isEmpty() ? text : m_secrets.values.value(reference);
}

void DeploymentDraft::setSecret(Node node, const QString& key, const QString& text)
{
    if (text.isEmpty()) {
        setValue(node, key, QJsonValue());
        return;
    }
    // Held as a reference with its value beside it: the JSON never holds the password.
    const QString current = value(node, key).toString();
    QString reference = wholeReference(current);
    if (reference.isEmpty())
        reference = nameOf({}) + u'/' + nameOf({node.service, -1}) + u'/' + nameOf(node) + u'/' + key;
    reference.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._/-]")), QStringLiteral("_"));
    m_secrets.values.insert(reference, text);
    m_secrets.failures.remove(reference);
    if (current == keychainReference(reference)) {
        edited(false);
        return;
    }
    setValue(node, key, keychainReference(reference));
}

void DeploymentDraft::setCheckType(Node check, const QString& type)
{
    const CheckType* newType = findCheckType(type);
    const CheckType* oldType = findCheckType(value(check, QStringLiteral("type")).toString());
    if (!newType || newType == oldType)
        return;
    QJsonObject object = objectAt(check);
    if (oldType) {
        for (const QString& key : oldType->keys) {
            if (!newType->keys.contains(key))
                object.remove(key);
        }
    }
    object.insert(QStringLiteral("type"), type);
    setObjectAt(check, object);
    edited(true);
}

DeploymentDraft::Node DeploymentDraft::addService()
{
    QJsonArray services = m_deployment.value(QStringLiteral("services")).toArray();
    QString name = tr("service");
    for (int n = 2;
         std::any_of(services.begin(), services.end(),
                     [&name](const QJsonValue& s) { return s.toObject().value(QStringLiteral("name")) == name; });
         ++n)
        name = tr("service") + u'-' + QString::number(n);
    services.append(QJsonObject{{QStringLiteral("name"), name},
                                {QStringLiteral("kind"), QStringLiteral("other")},
                                {QStringLiteral("checks"), QJsonArray{}}});
    m_deployment.insert(QStringLiteral("services"), services);
    edited(true);
    return {int(services.size()) - 1, -1};
}

DeploymentDraft::Node DeploymentDraft::addCheck(int service, std::chrono::seconds interval,
                                                std::chrono::seconds timeout)
{
    QJsonObject object = objectAt({service, -1});
    QJsonArray checks = object.value(QStringLiteral("checks")).toArray();
    // A tcp check needs only host and port: the smallest check that can be made valid.
    QJsonObject check{{QStringLiteral("name"), QString(tr("check") + u'-' + QString::number(checks.size() + 1))},
                      {QStringLiteral("type"), QStringLiteral("tcp")},
                      {QStringLiteral("role"), QStringLiteral("readiness")}};
    const CheckSpec defaults;
    if (interval != defaults.interval)
        check.insert(QStringLiteral("interval"), durationText(interval));
    if (timeout != defaults.timeout)
        check.insert(QStringLiteral("timeout"), durationText(timeout));
    checks.append(check);
    object.insert(QStringLiteral("checks"), checks);
    setObjectAt({service, -1}, object);
    edited(true);
    return {service, int(checks.size()) - 1};
}

void DeploymentDraft::remove(Node node)
{
    if (node.service < 0)
        return;
    if (node.check < 0) {
        QJsonArray services = m_deployment.value(QStringLiteral("services")).toArray();
        services.removeAt(node.service);
        m_deployment.insert(QStringLiteral("services"), services);
    } else {
        QJsonObject object = objectAt({node.service, -1});
        QJsonArray checks = object.value(QStringLiteral("checks")).toArray();
        checks.removeAt(node.check);
        object.insert(QStringLiteral("checks"), checks);
        setObjectAt({node.service, -1}, object);
    }
    edited(true);
}

void DeploymentDraft::edited(bool structural)
{
    Q_EMIT changed();
    if (structural)
        Q_EMIT structureChanged();
    validate();
}

void DeploymentDraft::validate()
{
    const quint64 generation = ++m_generation;
    QPointer<DeploymentDraft> self(this);
    QThreadPool::globalInstance()->start(
        [self, generation, json = fileJson(m_deployment), environment = m_environment, secrets = m_secrets] {
            auto result = DeploymentFile::parse(json, fileNameForMessages(), environment, secrets);
            QMetaObject::invokeMethod(self, [self, generation, result = std::move(result)] {
                if (!self || generation != self->m_generation)
                    return; // a later change is being validated
                self->m_validatedGeneration = generation;
                if (const auto* error = std::get_if<ConfigError>(&result)) {
                    self->m_error = *error;
                    self->m_spec.reset();
                } else {
                    self->m_error.reset();
                    self->m_spec = std::get<DeploymentFile>(result).deployments.first();
                }
                Q_EMIT self->validated();
            });
        });
}

DeploymentDraft::Node DeploymentDraft::nodeOf(const QString& keyPath, QString* key)
{
    // deployments[0].services[2].checks[1].timeout → {2, 1}, "timeout"
    static const QRegularExpression pattern(
        QStringLiteral("^deployments\\[0\\](?:\\.services\\[(\\d+)\\](?:\\.checks\\[(\\d+)\\])?)?(?:\\.(.*))?$"));
    const auto match = pattern.match(keyPath);
    if (!match.hasMatch()) {
        if (key)
            key->clear();
        return {};
    }
    Node node;
    if (match.capturedLength(1))
        node.service = match.captured(1).toInt();
    if (match.capturedLength(2))
        node.check = match.captured(2).toInt();
    if (key) {
        // The member a form shows: "connection.jumps[0].host" stays with "connection.jumps".
        QString rest = match.captured(3);
        const qsizetype bracket = rest.indexOf(u'[');
        if (bracket >= 0)
            rest = rest.left(bracket);
        *key = rest;
    }
    return node;
}

} // namespace okh
