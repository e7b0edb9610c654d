#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

// Deployment files for the config tests: tests/data/config/ holds whole sample files
// (samples/, NAME.env beside one that uses variables), and invalid files each with the exact message loading gives
// beside it (errors/ and profile-errors/: NAME.json, NAME.expected, NAME.env with NAME=value lines when the file uses
// variables; secrets/: NAME.json and NAME.keypath, the key whose secret value the error must not show).
namespace okh::test {

// The argument alone on line 2 of a valid file, so a column in an expected message is the
// position within the argument.
QByteArray inCheck(const char* check); // the only check of service "web" of deployment "local"
QByteArray inConnection(const char* connection); // the connection of deployment "d"

QString configDataDir();
QByteArray configFile(const QString& relativePath); // tests/data/config/PATH
QStringList sampleFilePaths(); // every samples/*.json

// Rows json (QByteArray), env (QStringList), file (its name, for messages), expected (QString)
// from every NAME.json in `dir` (errors, profile-errors).
void addErrorRows(const QString& dir);
// Rows json, keyPath from secrets/.
void addSecretRows();

} // namespace okh::test
