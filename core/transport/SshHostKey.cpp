#include "SshHostKey.h"

#include "util/LogCategories.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace okh {

namespace {
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(okh::SshHostKey)
};
} // namespace

bool trustHostKey(const SshHostKey& key, QString* error)
{
    const QFileInfo info(key.knownHostsFile);
    if (key.knownHostsLine.isEmpty() || key.knownHostsLine.contains('\n')) {
        *error = Text::tr("no host key to add");
        return false;
    }
    const QString folder = info.absolutePath();
    if (!QFileInfo::exists(folder)) {
        if (!QDir().mkpath(folder)) {
            *error = Text::tr("cannot create %1").arg(QDir::toNativeSeparators(folder));
            return false;
        }
        QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    const bool existed = info.exists();
    QFile out(key.knownHostsFile);
    if (!out.open(QIODevice::Append)) {
        *error = Text::tr("cannot write %1: %2").arg(QDir::toNativeSeparators(key.knownHostsFile), out.errorString());
        return false;
    }
    if (!existed)
        out.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    // A file whose last line has no newline would otherwise glue the two entries together.
    QByteArray line = key.knownHostsLine + '\n';
    if (out.size() > 0) {
        QFile last(key.knownHostsFile);
        if (last.open(QIODevice::ReadOnly) && last.seek(last.size() - 1) && last.read(1) != "\n")
            line.prepend('\n');
    }
    if (out.write(line) != line.size() || !out.flush()) {
        *error = Text::tr("cannot write %1: %2").arg(QDir::toNativeSeparators(key.knownHostsFile), out.errorString());
        return false;
    }
    qCInfo(lcSsh) << "trusted host key for" << key.knownHostsName << key.fingerprint << "in" << key.knownHostsFile;
    return true;
}

} // namespace okh
