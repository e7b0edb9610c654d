#include "DeploymentLoader.h"

#include "secrets/Keychain.h"

#include <QEventLoop>
#include <QPointer>
#include <QThreadPool>
#include <memory>

namespace okh {

// What the first step read: every file's bytes, or the first file's error.
struct DeploymentLoader::Read
{
    QList<QByteArray> contents;
    QStringList keychainKeys;
    std::optional<ConfigError> error;
};

DeploymentLoader::DeploymentLoader(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<Outcome>();
}

void DeploymentLoader::load(const QStringList& paths, const QProcessEnvironment& environment)
{
    QPointer<DeploymentLoader> self(this);
    QThreadPool::globalInstance()->start([self, paths, environment] {
        auto read = std::make_shared<Read>();
        for (const QString& path : paths) {
            auto bytes = DeploymentFile::read(path);
            if (auto* error = std::get_if<ConfigError>(&bytes)) {
                read->error = *error;
                break;
            }
            for (const QString& key : DeploymentFile::keychainReferences(std::get<QByteArray>(bytes))) {
                if (!read->keychainKeys.contains(key))
                    read->keychainKeys << key;
            }
            read->contents << std::get<QByteArray>(bytes);
        }
        QMetaObject::invokeMethod(self, [self, paths, environment, read] {
            if (self)
                self->lookUp(paths, environment, read);
        });
    });
}

void DeploymentLoader::lookUp(const QStringList& paths, const QProcessEnvironment& environment,
                              std::shared_ptr<Read> read)
{
    if (read->error) {
        Q_EMIT finished(paths, *read->error);
        return;
    }
    if (read->keychainKeys.isEmpty()) {
        parse(paths, environment, read, {});
        return;
    }
    keychain::read(read->keychainKeys, this, [this, paths, environment, read](const KeychainValues& values) {
        parse(paths, environment, read, values);
    });
}

void DeploymentLoader::parse(const QStringList& paths, const QProcessEnvironment& environment,
                             std::shared_ptr<Read> read, const KeychainValues& keychain)
{
    QPointer<DeploymentLoader> self(this);
    QThreadPool::globalInstance()->start([self, paths, environment, read, keychain] {
        QList<DeploymentFile> files;
        std::optional<ConfigError> error;
        for (qsizetype i = 0; i < paths.size() && !error; ++i) {
            auto parsed = DeploymentFile::parse(read->contents.at(i), paths.at(i), environment, keychain);
            if (auto* e = std::get_if<ConfigError>(&parsed))
                error = *e;
            else
                files << std::get<DeploymentFile>(std::move(parsed));
        }
        QMetaObject::invokeMethod(self, [self, paths, files = std::move(files), error] {
            if (!self)
                return;
            if (error)
                Q_EMIT self->finished(paths, *error);
            else
                Q_EMIT self->finished(paths, files);
        });
    });
}

DeploymentFile::Result DeploymentLoader::loadNow(const QString& path, const QProcessEnvironment& environment)
{
    DeploymentLoader loader;
    QEventLoop loop;
    DeploymentFile::Result result = ConfigError{};
    connect(&loader, &DeploymentLoader::finished, &loop, [&](const QStringList&, const Outcome& outcome) {
        if (const auto* error = std::get_if<ConfigError>(&outcome))
            result = *error;
        else
            result = std::get<QList<DeploymentFile>>(outcome).first();
        loop.quit();
    });
    loader.load({path}, environment);
    loop.exec();
    return result;
}

} // namespace okh
