#pragma once

#include "config/ConfigError.h"
#include "config/DeploymentSpec.h"
#include "config/VariableExpansion.h"

#include <QJsonObject>
#include <QObject>
#include <QProcessEnvironment>
#include <optional>

namespace okh {

// One deployment being edited, as the deployment file writes it (DeploymentWriter's explicit
// form, passwords as ${keychain:KEY} references with their values beside, in memory only). Every
// change is validated by the loader itself — DeploymentFile::parse on the thread pool, the
// latest change winning — so the editor shows the file format's own messages and there is no
// second validator. Nothing here touches the disk or the keychain: DeploymentSaver saves.
class DeploymentDraft : public QObject
{
    Q_OBJECT

public:
    // What a form edits: the deployment (service < 0), a service, or one of its checks.
    struct Node
    {
        int service = -1;
        int check = -1;
        friend bool operator==(const Node&, const Node&) = default;
    };

    DeploymentDraft(const QJsonObject& deployment, const KeychainValues& secrets,
                    const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
                    QObject* parent = nullptr);
    static DeploymentDraft* fromSpec(const DeploymentSpec& spec, QObject* parent = nullptr);
    // A new deployment from the openklant profile with its defaults, every check spelled out.
    static DeploymentDraft* fromOpenKlantProfile(const QString& name, QObject* parent = nullptr);

    QJsonObject json() const { return m_deployment; }
    // The whole deployment anew (the wizard builds it from its pages).
    void setJson(const QJsonObject& deployment);

    int serviceCount() const;
    int checkCount(int service) const;
    QString nameOf(Node node) const;

    // `key` may name a member of an object member: "connection.host".
    QJsonValue value(Node node, const QString& key) const;
    // An empty string, array or object removes the key (the format's default applies).
    void setValue(Node node, const QString& key, const QJsonValue& value);
    // Passwords: the text of the key's ${keychain:…} reference, or the key's own text.
    QString secret(Node node, const QString& key) const;
    void setSecret(Node node, const QString& key, const QString& text);

    // A check of another type: the keys only the old type had are dropped with it.
    void setCheckType(Node check, const QString& type);
    Node addService();
    // A tcp check with these timings (the settings' defaults for new checks).
    Node addCheck(int service, std::chrono::seconds interval = std::chrono::seconds(10),
                  std::chrono::seconds timeout = std::chrono::seconds(1));
    void remove(Node node);

    // After the last change was validated: its spec, or the loader's first error.
    bool isValidated() const { return m_validatedGeneration == m_generation; }
    const std::optional<DeploymentSpec>& spec() const { return m_spec; }
    const std::optional<ConfigError>& error() const { return m_error; }
    // Where an error's key path points: the node and the key inside it ("connection.host").
    static Node nodeOf(const QString& keyPath, QString* key = nullptr);
    static QString fileNameForMessages();
    // "Valid: 6 services, 14 checks" for the validated spec; empty without one.
    QString validSummary() const;

Q_SIGNALS:
    void changed(); // values or structure; validation follows
    void structureChanged(); // services or checks added, removed or renamed
    void validated();

private:
    QJsonObject objectAt(Node node) const;
    void setObjectAt(Node node, const QJsonObject& object);
    void edited(bool structural);
    void validate();

    QJsonObject m_deployment;
    KeychainValues m_secrets;
    QProcessEnvironment m_environment;
    quint64 m_generation = 0;
    quint64 m_validatedGeneration = 0;
    std::optional<DeploymentSpec> m_spec;
    std::optional<ConfigError> m_error;
};

} // namespace okh
