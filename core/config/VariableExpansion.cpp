#include "VariableExpansion.h"

#include <QCoreApplication>

namespace okh {

namespace {

bool isValidName(QStringView name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        const bool letter = (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || c == u'_';
        const bool digit = c >= u'0' && c <= u'9';
        if (!letter && !(digit && i > 0))
            return false;
    }
    return true;
}

} // namespace

VariableExpansion expandVariables(const QString& text, const QProcessEnvironment& environment)
{
    if (!text.contains(u'$'))
        return {text, {}};
    QString out;
    out.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c != u'$') {
            out += c;
            ++i;
            continue;
        }
        if (QStringView(text).mid(i).startsWith(QLatin1String("$${"))) {
            out += QLatin1String("${");
            i += 3;
            continue;
        }
        if (i + 1 >= text.size() || text[i + 1] != u'{') {
            out += c;
            ++i;
            continue;
        }
        const qsizetype close = text.indexOf(u'}', i + 2);
        if (close < 0) {
            return {{},
                    QCoreApplication::translate("okh::VariableExpansion",
                                                "unterminated \"${\": write ${NAME}, or $${ for a literal \"${\"")};
        }
        const QStringView reference = QStringView(text).mid(i + 2, close - i - 2);
        const qsizetype defaultMarker = reference.indexOf(QLatin1String(":-"));
        const QStringView name = defaultMarker >= 0 ? reference.left(defaultMarker) : reference;
        if (!isValidName(name)) {
            return {{},
                    QCoreApplication::translate("okh::VariableExpansion",
                                                "\"${%1}\" is not a valid variable reference: names are letters, "
                                                "digits and '_', not starting with a digit")
                        .arg(reference.toString())};
        }
        const QString key = name.toString();
        if (defaultMarker >= 0) {
            const QString value = environment.value(key);
            out += value.isEmpty() ? reference.mid(defaultMarker + 2).toString() : value;
        } else if (environment.contains(key)) {
            out += environment.value(key);
        } else {
            return {
                {},
                QCoreApplication::translate("okh::VariableExpansion", "environment variable %1 is not set").arg(key)};
        }
        i = close + 1;
    }
    return {out, {}};
}

} // namespace okh
