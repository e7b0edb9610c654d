#include "Catalogues.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace okh {

void installTranslations(const QString& language)
{
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    if (!language.isEmpty())
        QLocale::setDefault(locale); // dates, numbers and plurals in the same language
    auto* app = QCoreApplication::instance();
    // The user's language, else English (LANG=C, de_DE): the English catalogue gives the plural
    // forms ("1 check failing", "2 checks failing") that the source's "check(s)" stands for.
    const QString catalogues = QStringLiteral(":/i18n");
    auto* own = new QTranslator(app);
    if (own->load(locale, QStringLiteral("okhealth"), QStringLiteral("_"), catalogues)
        || own->load(QStringLiteral("okhealth_en"), catalogues))
        QCoreApplication::installTranslator(own);
    // Qt's own texts (QCommandLineParser's help, dialog buttons) in the language of ours, not a third one.
    const QLocale shown = own->isEmpty() ? locale : QLocale(own->language());
    auto* qt = new QTranslator(app);
    if (qt->load(shown, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
}

} // namespace okh
