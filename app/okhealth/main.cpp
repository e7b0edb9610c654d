#include "translations/Catalogues.h"
#include "window/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("okhealth"));
    QApplication::setApplicationDisplayName(QStringLiteral("OK Health"));
    QApplication::setOrganizationName(QStringLiteral("okhealth"));
    QApplication::setApplicationVersion(QStringLiteral(OKHEALTH_VERSION_STRING));
    okh::installTranslations();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("okh::main", "Live health of Open Klant deployments."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QCoreApplication::translate("okh::main", "Deployment files to open."),
                                 QStringLiteral("[FILE…]"));
    parser.process(app);

    okh::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.open(parser.positionalArguments());
    else
        window.openLast(); // what was open last time, if it is still there
    return QApplication::exec();
}
