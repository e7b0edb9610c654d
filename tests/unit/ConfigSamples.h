#pragma once

#include <QByteArray>

// Deployment-file texts shared by the config tests. They live apart from the test classes
// because moc (Qt 6.4) misreads raw string literals that contain quotes and "//", and these
// are JSON with URLs.
namespace okh::test {

// Each wrapper puts its argument alone on line 2 of a valid file, so a column in an expected
// message is the position within the argument.
QByteArray inCheck(const char* check); // the only check of service "web" of deployment "local"
QByteArray inService(const char* service); // the services of deployment "local"
QByteArray inDeployment(const char* deployment);
QByteArray inConnection(const char* connection); // the connection of deployment "d"

QByteArray completeDeploymentFile(); // every key of every check type
QByteArray environmentDeploymentFile();
QByteArray halfBrokenDeploymentFile();
QByteArray profileOnlyFile();

// Rows for TestDeploymentFile::errors_data(): json, env (NAME=value list), expected.
void addDeploymentFileErrorRows();
// Rows for TestDeploymentFile::errors_data() for the Celery, file and exec check types, http
// basic auth and execution contexts: json, env, expected.
void addCeleryAndExecErrorRows();
// Rows for TestDeploymentFile::errors_data() for ssh connections that need no ssh config (the
// test points HOME at a directory without one): json, env, expected.
void addSshConnectionErrorRows();
// Rows for TestDeploymentFile::secretsStayOutOfErrors_data(): json, keyPath.
void addSecretRows();
// celery-ping, celery-heartbeat, file and exec checks with every key, execution contexts at
// service and check level, http basic auth.
QByteArray celeryDeploymentFile();

// The "openklant" profile with every override, exclude and explicit service merge.
QByteArray profileOverridesFile();
QByteArray profileMergeFile();
// docs/deployment-file.md's nginx recipe: readyz as curl inside the nginx container.
QByteArray nginxInsideFile();
// Rows for TestOpenKlantProfile::errors_data(): json, expected.
void addProfileErrorRows();

} // namespace okh::test
