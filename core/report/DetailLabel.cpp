#include "DetailLabel.h"

namespace okh {

QString DetailLabel::forKey(const QString& key)
{
    // Keys with a name after the colon: translate the kind, keep the name.
    static const QString component = QStringLiteral("component: ");
    static const QString worker = QStringLiteral("worker: ");
    static const QString reply = QStringLiteral("reply: ");
    static const QString header = QStringLiteral("header: ");
    if (key.startsWith(component))
        return tr("component %1").arg(key.mid(component.size()));
    if (key.startsWith(worker))
        return tr("worker %1").arg(key.mid(worker.size()));
    if (key.startsWith(header))
        return tr("header %1").arg(key.mid(header.size()));
    if (key.startsWith(reply))
        return tr("reply from %1").arg(key.mid(reply.size()));

    if (key == QLatin1String("age seconds"))
        return tr("age (seconds)");
    if (key == QLatin1String("body"))
        return tr("body");
    if (key == QLatin1String("body truncated"))
        return tr("body truncated");
    if (key == QLatin1String("command"))
        return tr("command");
    if (key == QLatin1String("context"))
        return tr("runs in");
    if (key == QLatin1String("error"))
        return tr("error");
    if (key == QLatin1String("exit code"))
        return tr("exit code");
    if (key == QLatin1String("location"))
        return tr("redirects to");
    if (key == QLatin1String("outcome"))
        return tr("outcome");
    if (key == QLatin1String("output"))
        return tr("output");
    if (key == QLatin1String("path"))
        return tr("path");
    if (key == QLatin1String("peer"))
        return tr("peer address");
    if (key == QLatin1String("phase"))
        return tr("stage");
    if (key == QLatin1String("probe said"))
        return tr("the probe said");
    if (key == QLatin1String("reply"))
        return tr("reply");
    if (key == QLatin1String("server"))
        return tr("server");
    if (key == QLatin1String("server message"))
        return tr("server message");
    if (key == QLatin1String("sqlstate"))
        return tr("SQLSTATE");
    if (key == QLatin1String("status"))
        return tr("HTTP status");
    if (key == QLatin1String("stderr"))
        return tr("error output");
    if (key == QLatin1String("subscribers"))
        return tr("subscribers");
    return key; // a key added without a label here still shows
}

} // namespace okh
