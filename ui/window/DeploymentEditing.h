#pragma once

#include <QObject>
#include <QString>

namespace okh {

class DeploymentEditor;
class MainWindow;
class NewDeploymentWizard;

// Opens the deployment editor for the window's deployments — one editor per deployment, raised
// when asked again — and hands what it saves to MainWindow::applySaved.
class DeploymentEditing : public QObject
{
    Q_OBJECT

public:
    explicit DeploymentEditing(MainWindow& window);

    // The wizard (the openklant profile's options, page by page); finishing opens the editor
    // on the result, which saves under AppConfigLocation/deployments/ by default.
    NewDeploymentWizard* newDeployment();
    // nullptr when no deployment of that name is open.
    DeploymentEditor* edit(const QString& deployment);

private:
    DeploymentEditor* show(DeploymentEditor* editor);

    MainWindow& m_window;
};

} // namespace okh
