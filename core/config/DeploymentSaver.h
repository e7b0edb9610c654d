#pragma once

#include "config/DeploymentFile.h"

#include <QObject>
#include <QString>

namespace okh {

// Saves a deployment file without blocking its thread: DeploymentWriter's passwords go to the OS
// keychain first, then the file (which refers to them) is written with QSaveFile on the thread
// pool, so a failure at any step leaves the file on disk as it was.
class DeploymentSaver : public QObject
{
    Q_OBJECT

public:
    explicit DeploymentSaver(QObject* parent = nullptr);

    // finished() follows, once per call.
    void save(const QString& path, const DeploymentFile& file);

Q_SIGNALS:
    // `error` is empty on success; otherwise it says what failed (path, key), never a secret.
    void finished(const QString& path, const QString& error);

private:
    void writeFile(const QString& path, const QByteArray& json);
};

} // namespace okh
