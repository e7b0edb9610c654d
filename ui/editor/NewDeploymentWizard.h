#pragma once

#include "config/DeploymentSpec.h"

#include <QHash>
#include <QWizard>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace okh {

class ConnectionTester;
class DeploymentDraft;
class WorkerPicker;

// File → New Deployment (docs/desktop.md, "New deployment"): an Open Klant deployment in four
// pages — name and connection (Test Connection), hosts and ports per service, the broker and
// the Celery worker name (Find Workers), and the loader's verdict on all of it. The pages fill
// the openklant profile's options; a DeploymentDraft validates them as typed, so the verdict is
// the deployment file's own message. Finishing hands the deployment to the editor to save.
class NewDeploymentWizard : public QWizard
{
    Q_OBJECT

public:
    enum Page { ConnectionPage, ServicesPage, CeleryPage, ReviewPage };

    explicit NewDeploymentWizard(const QStringList& takenNames, QWidget* parent = nullptr);

    // The page's input for a key: "name", "ssh.host", "web.port", "celery.workerName", …
    QLineEdit* field(const QString& key) const { return m_fields.value(key); }
    QComboBox* connectionType() const { return m_connection; }
    DeploymentDraft& draft() const { return *m_draft; }
    ConnectionTester* connectionTester() const { return m_tester; }
    WorkerPicker* workerPicker() const { return m_picker; }
    QString verdict() const;
    bool isValid() const;

Q_SIGNALS:
    // Finish: the deployment, for the editor.
    void deploymentReady(const okh::DeploymentSpec& spec);

private:
    QWizardPage* connectionPage();
    QWizardPage* servicesPage();
    QWizardPage* celeryPage();
    QWizardPage* reviewPage();
    QLineEdit* addField(QFormLayout* form, const QString& key, const QString& label, const QString& placeholder = {});
    QJsonObject deploymentJson() const;
    void rebuild();
    void showVerdict();

    QStringList m_takenNames;
    DeploymentDraft* m_draft = nullptr;
    QHash<QString, QLineEdit*> m_fields;
    QComboBox* m_connection = nullptr;
    ConnectionTester* m_tester = nullptr;
    WorkerPicker* m_picker = nullptr;
    QLabel* m_verdict = nullptr;
    QWizardPage* m_review = nullptr;
};

} // namespace okh
