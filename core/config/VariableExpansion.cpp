#include "VariableExpansion.h"

#include <QCoreApplication>
#include <QUrl>
#include <optional>

namespace okh {

namespace {

const QLatin1String keychainPrefix("keychain:");

// The messages' translation context (lupdate reads it from the macro).
class Messages
{
    Q_DECLARE_TR_FUNCTIONS(okh::VariableExpansion)

public:
    static QString unterminated();
    static QString badKeychainKey(const QString& key);
    static QString keychainNotFound(const QString& key);
    static QString keychainFailed(const QString& key, const QString& reason);
    static QString noName();
    static QString badName(const QString& name, QChar bad);
    static QString nestedDefault(const QString& name);
    static QString unset(const QString& name);
};

QString Messages::unterminated()
{
    return tr("unterminated \"${\": write ${NAME}, or $${ for a literal \"${\"");
}
QString Messages::badKeychainKey(const QString& key)
{
    return tr("\"${keychain:%1}\" is not a keychain key: keys are letters, digits and '.', '_', '-', '/'").arg(key);
}
QString Messages::keychainNotFound(const QString& key)
{
    return tr("keychain entry \"%1\" was not found").arg(key);
}
QString Messages::keychainFailed(const QString& key, const QString& reason)
{
    return tr("keychain entry \"%1\": %2").arg(key, reason);
}
QString Messages::noName()
{
    return tr("\"${}\" names no variable");
}
QString Messages::badName(const QString& name, QChar bad)
{
    return tr("\"${%1\" is followed by %2, which a variable name cannot hold: names are letters, digits and '_', "
              "not starting with a digit; a default is written ${NAME:-default}")
        .arg(name, u'\'' + QString(bad) + u'\'');
}
QString Messages::nestedDefault(const QString& name)
{
    return tr("the default of ${%1:-…} holds another \"${\": nested references are not supported").arg(name);
}
QString Messages::unset(const QString& name)
{
    return tr("environment variable %1 is not set").arg(name);
}

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

// One pass over `text`: literal runs go to `literal`, each "${…}" body to `reference` (which
// returns its replacement or an error). The only tokenizer, so that expanding and listing the
// keychain references can never disagree on what a reference is.
template<typename Literal, typename Reference> QString scan(const QString& text, Literal literal, Reference reference)
{
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype dollar = text.indexOf(u'$', i);
        if (dollar < 0) {
            literal(QStringView(text).mid(i));
            break;
        }
        literal(QStringView(text).mid(i, dollar - i));
        if (QStringView(text).mid(dollar).startsWith(QLatin1String("$${"))) {
            literal(u"${");
            i = dollar + 3;
            continue;
        }
        if (dollar + 1 >= text.size() || text[dollar + 1] != u'{') {
            literal(u"$");
            i = dollar + 1;
            continue;
        }
        const qsizetype close = text.indexOf(u'}', dollar + 2);
        if (close < 0)
            return Messages::unterminated();
        const QString error = reference(QStringView(text).mid(dollar + 2, close - dollar - 2));
        if (!error.isEmpty())
            return error;
        i = close + 1;
    }
    return {};
}

// The value of ${keychain:KEY}, or an error naming the key.
std::optional<QString> keychainValue(QStringView key, const KeychainValues& keychain, QString* error)
{
    const QString k = key.toString();
    if (!isValidKeychainKey(key)) {
        *error = Messages::badKeychainKey(k);
        return std::nullopt;
    }
    const auto found = keychain.values.constFind(k);
    if (found != keychain.values.constEnd())
        return *found;
    const QString failure = keychain.failures.value(k);
    *error = failure.isEmpty() ? Messages::keychainNotFound(k) : Messages::keychainFailed(k, failure);
    return std::nullopt;
}

} // namespace

bool isValidKeychainKey(QStringView key)
{
    if (key.isEmpty())
        return false;
    for (const QChar c : key) {
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        if (!alnum && c != u'.' && c != u'_' && c != u'-' && c != u'/')
            return false;
    }
    return true;
}

QString keychainReference(const QString& key)
{
    return QStringLiteral("${") + keychainPrefix + key + u'}';
}

VariableExpansion expandVariables(const QString& text, const QProcessEnvironment& environment,
                                  const KeychainValues& keychain, ExpansionTarget target)
{
    if (!text.contains(u'$'))
        return {text, {}};
    QString out;
    out.reserve(text.size());
    const auto literal = [&out](QStringView part) { out += part; };
    const auto reference = [&](QStringView reference) -> QString {
        if (reference.startsWith(keychainPrefix)) {
            QString error;
            const auto value = keychainValue(reference.mid(keychainPrefix.size()), keychain, &error);
            if (!value)
                return error;
            out += target == ExpansionTarget::Url ? QString::fromUtf8(QUrl::toPercentEncoding(*value)) : *value;
            return {};
        }
        const qsizetype defaultMarker = reference.indexOf(QLatin1String(":-"));
        const QStringView name = defaultMarker >= 0 ? reference.left(defaultMarker) : reference;
        if (name.isEmpty())
            return Messages::noName();
        if (!isValidName(name)) {
            // Only the name up to the character that spoils it: the rest may be a secret (a
            // default written ${PW-secret}) or a command's text.
            qsizetype bad = 0;
            while (bad < name.size() && isValidName(name.left(bad + 1)))
                ++bad;
            return Messages::badName(name.left(bad).toString(), name.at(bad));
        }
        if (defaultMarker >= 0 && reference.mid(defaultMarker + 2).contains(QLatin1String("${"))) {
            return Messages::nestedDefault(name.toString());
        }
        const QString key = name.toString();
        if (defaultMarker >= 0) {
            const QString value = environment.value(key);
            out += value.isEmpty() ? reference.mid(defaultMarker + 2).toString() : value;
        } else if (environment.contains(key)) {
            out += environment.value(key);
        } else {
            return Messages::unset(key);
        }
        return {};
    };
    const QString error = scan(text, literal, reference);
    if (!error.isEmpty())
        return {{}, error};
    return {out, {}};
}

QStringList keychainReferences(const QString& text)
{
    QStringList keys;
    if (!text.contains(QLatin1String("${")))
        return keys;
    scan(
        text, [](QStringView) {},
        [&keys](QStringView reference) -> QString {
            if (reference.startsWith(keychainPrefix)) {
                const QStringView key = reference.mid(keychainPrefix.size());
                if (isValidKeychainKey(key) && !keys.contains(key))
                    keys << key.toString();
            }
            return {};
        });
    return keys;
}

} // namespace okh
