#include "ExecContext.h"

namespace okh {

namespace {

// A name that starts with '-' would be read as an option by docker or kubectl.
bool isSafeName(const QString& name)
{
    return !name.isEmpty() && !name.startsWith(u'-') && !name.contains(QChar(0));
}

bool isSafeOptional(const QString& name)
{
    return name.isEmpty() || isSafeName(name);
}

} // namespace

QString ExecContext::validationError() const
{
    switch (kind) {
    case Kind::Local:
        return {};
    case Kind::Docker:
        if (!isSafeName(container))
            return tr("docker: a container name is required and must not start with '-'");
        return {};
    case Kind::Compose:
        if (!isSafeName(service))
            return tr("compose: a service name is required and must not start with '-'");
        if (!isSafeOptional(projectDirectory))
            return tr("compose: the project directory must not start with '-'");
        for (const auto& f : composeFiles) {
            if (!isSafeName(f))
                return tr("compose: file names must not be empty or start with '-'");
        }
        return {};
    case Kind::Kubectl:
        if (!isSafeName(pod))
            return tr("kubectl: a pod name is required and must not start with '-'");
        if (!isSafeOptional(container) || !isSafeOptional(kubeNamespace) || !isSafeOptional(kubeContext))
            return tr("kubectl: container, namespace and context must not start with '-'");
        return {};
    }
    return {};
}

QStringList ExecContext::wrap(const QStringList& command) const
{
    if (!validationError().isEmpty() || command.isEmpty())
        return {};
    QStringList argv;
    switch (kind) {
    case Kind::Local:
        return command;
    case Kind::Docker:
        argv = {QStringLiteral("docker"), QStringLiteral("exec"), container};
        break;
    case Kind::Compose:
        argv = {QStringLiteral("docker"), QStringLiteral("compose")};
        if (!projectDirectory.isEmpty())
            argv << QStringLiteral("--project-directory") << projectDirectory;
        for (const auto& f : composeFiles)
            argv << QStringLiteral("-f") << f;
        // -T: no pseudo-terminal, the checks run unattended.
        argv << QStringLiteral("exec") << QStringLiteral("-T") << service;
        break;
    case Kind::Kubectl:
        argv = {QStringLiteral("kubectl")};
        if (!kubeContext.isEmpty())
            argv << QStringLiteral("--context") << kubeContext;
        if (!kubeNamespace.isEmpty())
            argv << QStringLiteral("-n") << kubeNamespace;
        argv << QStringLiteral("exec") << pod;
        if (!container.isEmpty())
            argv << QStringLiteral("-c") << container;
        argv << QStringLiteral("--");
        break;
    }
    return argv + command;
}

QString ExecContext::describe() const
{
    switch (kind) {
    case Kind::Local:
        return tr("this machine");
    case Kind::Docker:
        return QStringLiteral("docker exec ") + container;
    case Kind::Compose:
        return QStringLiteral("docker compose exec ") + service;
    case Kind::Kubectl: {
        QString text = QStringLiteral("kubectl exec ");
        if (!kubeNamespace.isEmpty())
            text += QStringLiteral("-n ") + kubeNamespace + u' ';
        text += pod;
        if (!container.isEmpty())
            text += QStringLiteral(" -c ") + container;
        return text;
    }
    }
    return {};
}

QString shellQuote(const QString& argument)
{
    QString quoted = argument;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}

QString shellJoin(const QStringList& argv)
{
    QStringList parts;
    for (const auto& a : argv)
        parts.append(shellQuote(a));
    return parts.join(u' ');
}

QStringList boundedArgv(const QStringList& argv, std::chrono::milliseconds limit)
{
    // A second late, so the caller's own deadline reports the timeout first.
    const qint64 seconds = (limit.count() + 999) / 1000 + 1;
    return QStringList{QStringLiteral("timeout"), QStringLiteral("-s"), QStringLiteral("KILL"),
                       QString::number(seconds)}
    + argv;
}

} // namespace okh
