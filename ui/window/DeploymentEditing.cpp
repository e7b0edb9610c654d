#include "DeploymentEditing.h"

#include "editor/DeploymentEditor.h"
#include "editor/NewDeploymentWizard.h"
#include "window/MainWindow.h"

namespace okh {

DeploymentEditing::DeploymentEditing(MainWindow& window)
    : QObject(&window)
    , m_window(window)
{ }

NewDeploymentWizard* DeploymentEditing::newDeployment()
{
    if (auto* open = m_window.findChild<NewDeploymentWizard*>(); open && open->isVisible()) {
        open->raise();
        open->activateWindow();
        return open;
    }
    QStringList taken;
    for (const DeploymentSpec& d : m_window.deployments())
        taken << d.name;
    auto* wizard = new NewDeploymentWizard(taken, &m_window);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &NewDeploymentWizard::deploymentReady, this, [this, taken](const DeploymentSpec& spec) {
        DeploymentEditor::Target target;
        target.takenNames = taken;
        show(new DeploymentEditor(DeploymentDraft::fromSpec(spec), target, &m_window));
    });
    wizard->open(); // window-modal, no nested event loop
    return wizard;
}

DeploymentEditor* DeploymentEditing::edit(const QString& deployment)
{
    for (auto* open : m_window.findChildren<DeploymentEditor*>()) {
        if (open->property("deployment").toString() == deployment) {
            open->raise();
            open->activateWindow();
            return open;
        }
    }
    const QString path = m_window.fileOf(deployment);
    DeploymentEditor::Target target;
    target.path = path;
    target.previousName = deployment;
    const DeploymentSpec* edited = nullptr;
    for (const DeploymentSpec& d : m_window.deployments()) {
        if (d.name == deployment) {
            edited = &d;
            target.index = int(target.others.size());
        } else if (m_window.fileOf(d.name) == path) {
            target.others << d;
        } else {
            target.takenNames << d.name;
        }
    }
    if (!edited || path.isEmpty())
        return nullptr;
    auto* editor = new DeploymentEditor(DeploymentDraft::fromSpec(*edited), target, &m_window);
    editor->setProperty("deployment", deployment);
    return show(editor);
}

DeploymentEditor* DeploymentEditing::show(DeploymentEditor* editor)
{
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &DeploymentEditor::saved, &m_window, &MainWindow::applySaved);
    editor->open(); // window-modal, no nested event loop: monitoring goes on behind it
    return editor;
}

} // namespace okh
