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
        if (name.isEmpty()) {
            return {{}, QCoreApplication::translate("okh::VariableExpansion", "\"${}\" names no variable")};
        }
        if (!isValidName(name)) {
            // Only the name up to the character that spoils it: the rest may be a secret (a
            // default written ${PW-secret}) or a command's text.
            qsizetype bad = 0;
            while (bad < name.size() && isValidName(name.left(bad + 1)))
                ++bad;
            return {{},
                    QCoreApplication::translate("okh::VariableExpansion",
                                                "\"${%1\" is followed by %2, which a variable name cannot hold: "
                                                "names are letters, digits and '_', not starting with a digit; a "
                                                "default is written ${NAME:-default}")
                        .arg(name.left(bad).toString(), u'\'' + name.at(bad) + u'\'')};
        }
        if (defaultMarker >= 0 && reference.mid(defaultMarker + 2).contains(QLatin1String("${"))) {
            return {{},
                    QCoreApplication::translate("okh::VariableExpansion",
                                                "the default of ${%1:-…} holds another \"${\": nested references "
                                                "are not supported")
                        .arg(name.toString())};
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
