#pragma once

#include "config/CheckTypes.h"
#include "config/DeploymentSpec.h"
#include "editor/DeploymentDraft.h"

#include <QDialog>
#include <QHash>

class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QTreeWidget;
class QTreeWidgetItem;

namespace okh {

class ConnectionTester;
class DeploymentSaver;
class WorkerPicker;
class FieldEditor;

// Deployment → Edit Deployment and File → New Deployment (docs/desktop.md, "Editing
// deployments"): the deployment's services and checks in a tree, a form for the one selected,
// and under the fields the loader's own message for the key it blames (DeploymentDraft
// validates every change). Save is possible only when the loader accepts the deployment; it
// writes the file through DeploymentSaver (passwords to the keychain, then QSaveFile).
class DeploymentEditor : public QDialog
{
    Q_OBJECT

public:
    // Where a save goes: the file, the other deployments it holds (kept as they are) and the
    // place of this one among them; an empty path asks for one (a new deployment).
    struct Target
    {
        QString path;
        QList<DeploymentSpec> others;
        int index = 0;
        QString previousName; // empty for a new deployment
        QStringList takenNames; // deployments open from other files
    };

    DeploymentEditor(DeploymentDraft* draft, const Target& target, QWidget* parent = nullptr);

    DeploymentDraft& draft() const { return *m_draft; }
    QTreeWidget* tree() const { return m_tree; }
    QPushButton* saveButton() const { return m_save; }
    QString statusText() const;
    // The form's Find Workers (a Celery check) and Test Connection (SSH), when shown.
    WorkerPicker* workerPicker() const { return m_workerPicker; }
    ConnectionTester* connectionTester() const { return m_connectionTester; }
    // The form's editor of `key` for the node shown, or nullptr.
    FieldEditor* fieldEditor(const QString& key) const;
    void select(DeploymentDraft::Node node);
    // Saves to `path` (Save As, and the tests); the default is the target's path.
    void saveTo(const QString& path);

Q_SIGNALS:
    void saved(const QString& path, const okh::DeploymentSpec& spec, const QString& previousName);

private:
    void rebuildTree();
    void showForm(DeploymentDraft::Node node);
    void addField(QFormLayout* form, const CheckField& field);
    void addWorkerFinder(QFormLayout* form, DeploymentDraft::Node node);
    void addConnectionTest(QFormLayout* form);
    void showValidation();
    void showErrorPlace();
    void chooseSavePath();
    QString defaultPath() const;
    QString placeOf(DeploymentDraft::Node node) const;
    DeploymentDraft::Node currentNode() const;

    DeploymentDraft* m_draft;
    Target m_target;
    DeploymentSaver* m_saver = nullptr;
    QTreeWidget* m_tree = nullptr;
    QScrollArea* m_formArea = nullptr;
    QLabel* m_formError = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_showError = nullptr;
    QPushButton* m_addService = nullptr;
    QPushButton* m_addCheck = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_save = nullptr;
    QPushButton* m_saveAs = nullptr;
    DeploymentDraft::Node m_shown{-2, -2};
    QHash<QString, FieldEditor*> m_fields;
    WorkerPicker* m_workerPicker = nullptr;
    ConnectionTester* m_connectionTester = nullptr;
    bool m_saving = false;
};

} // namespace okh
