#include "Autostart.h"

#include "InstallPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace okh {

namespace {

// Exec= quoting (desktop entry specification, "The Exec key"): the argument in double quotes,
// with ", `, $ and \ escaped by a backslash.
QString quotedArgument(const QString& argument)
{
    QString out;
    for (const QChar c : argument) {
        if (c == u'"' || c == u'`' || c == u'$' || c == u'\\')
            out += u'\\';
        out += c;
    }
    return u'"' + out + u'"';
}

} // namespace

QString Autostart::entryPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
        .filePath(QStringLiteral("autostart/") + applicationId() + QStringLiteral(".desktop"));
}

QByteArray Autostart::entry(const QString& program)
{
    QString exec = quotedArgument(program);
    exec.replace(u'%', QStringLiteral("%%"));
    const QString text = QStringLiteral("[Desktop Entry]\n"
                                        "Type=Application\n"
                                        "Name=OK Health\n"
                                        "Comment=Live health of Open Klant deployments\n"
                                        "Exec=%1\n"
                                        "Icon=%2\n"
                                        "Terminal=false\n"
                                        "X-GNOME-Autostart-enabled=true\n")
                             .arg(exec, applicationId());
    return text.toUtf8();
}

std::optional<QString> Autostart::apply(bool enabled, const QString& program)
{
    const QString path = entryPath();
    if (!enabled) {
        if (QFile::exists(path) && !QFile::remove(path))
            return QCoreApplication::translate("okh::Autostart", "cannot remove %1").arg(path);
        return std::nullopt;
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return QCoreApplication::translate("okh::Autostart", "cannot create the folder of %1").arg(path);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return QCoreApplication::translate("okh::Autostart", "cannot write %1: %2").arg(path, file.errorString());
    }
    file.write(entry(program));
    if (!file.commit())
        return QCoreApplication::translate("okh::Autostart", "cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

bool Autostart::isEnabled()
{
    return QFile::exists(entryPath());
}

} // namespace okh
