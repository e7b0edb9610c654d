#pragma once

#include "config/DeploymentFile.h"

#include <QList>
#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>
#include <variant>

namespace okh {

// Loads deployment files without blocking its thread: the files are read and parsed on the
// thread pool, and between the two the ${keychain:KEY} entries they refer to are looked up in
// the OS keychain (asynchronously, on this object's thread). All or nothing, like
// DeploymentFile::load: the first error of any file, or every file.
class DeploymentLoader : public QObject
{
    Q_OBJECT

public:
    using Outcome = std::variant<QList<DeploymentFile>, ConfigError>;

    explicit DeploymentLoader(QObject* parent = nullptr);

    // finished() follows, once per call, in the order of the calls.
    void load(const QStringList& paths,
              const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment());

    // The same for one file, waiting for it in a local event loop: for the command line.
    static DeploymentFile::Result
    loadNow(const QString& path, const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment());

Q_SIGNALS:
    void finished(const QStringList& paths, const okh::DeploymentLoader::Outcome& outcome);

private:
    struct Read;
    void lookUp(const QStringList& paths, const QProcessEnvironment& environment, std::shared_ptr<Read> read);
    void parse(const QStringList& paths, const QProcessEnvironment& environment, std::shared_ptr<Read> read,
               const KeychainValues& keychain);
};

} // namespace okh

Q_DECLARE_METATYPE(okh::DeploymentLoader::Outcome)
