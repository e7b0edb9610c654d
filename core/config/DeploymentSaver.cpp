#include "DeploymentSaver.h"

#include "config/DeploymentWriter.h"
#include "secrets/Keychain.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QSaveFile>
#include <QThreadPool>

namespace okh {

namespace {

class Messages
{
    Q_DECLARE_TR_FUNCTIONS(okh::DeploymentSaver)

public:
    static QString cannotWrite(const QString& path, const QString& reason)
    {
        return tr("%1: cannot save: %2").arg(path, reason);
    }
    static QString keychainFailed(const QString& path, const QString& reason)
    {
        return tr("%1: not saved, the passwords could not be stored: %2").arg(path, reason);
    }
};

QString writeAtomically(const QString& path, const QByteArray& json)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return Messages::cannotWrite(
            path, QCoreApplication::translate("okh::DeploymentSaver", "cannot create its directory"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Messages::cannotWrite(path, file.errorString());
    file.write(json);
    if (!file.commit())
        return Messages::cannotWrite(path, file.errorString());
    return {};
}

} // namespace

DeploymentSaver::DeploymentSaver(QObject* parent)
    : QObject(parent)
{ }

void DeploymentSaver::save(const QString& path, const DeploymentFile& file)
{
    DeploymentWriter::Output output = DeploymentWriter::write(file);
    if (output.secrets.isEmpty()) {
        writeFile(path, output.json);
        return;
    }
    const QByteArray json = output.json;
    keychain::write(output.secrets, this, [this, path, json](const QString& error) {
        if (!error.isEmpty()) {
            Q_EMIT finished(path, Messages::keychainFailed(path, error));
            return;
        }
        writeFile(path, json);
    });
}

void DeploymentSaver::writeFile(const QString& path, const QByteArray& json)
{
    QPointer<DeploymentSaver> self(this);
    QThreadPool::globalInstance()->start([self, path, json] {
        const QString error = writeAtomically(path, json);
        QMetaObject::invokeMethod(self, [self, path, error] {
            if (self)
                Q_EMIT self->finished(path, error);
        });
    });
}

} // namespace okh
