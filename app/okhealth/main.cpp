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
    window.open(parser.positionalArguments());
    return QApplication::exec();
}
