#include "ConfigError.h"

namespace okh {

QString ConfigError::toString() const
{
    QString out = file;
    if (line > 0)
        out += u':' + QString::number(line) + u':' + QString::number(column > 0 ? column : 1);
    out += QStringLiteral(": ");
    if (!keyPath.isEmpty())
        out += keyPath + QStringLiteral(": ");
    return out + message;
}

} // namespace okh
