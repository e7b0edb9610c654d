#include "demo/DemoMode.h"
#include "demo/StandinHost.h"
#include "paint/AppIcons.h"
#include "paint/Theme.h"
#include "settings/AppSettings.h"
#include "translations/Catalogues.h"
#include "tray/TrayIcon.h"
#include "window/CloseOnSignal.h"
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
    // Ties the windows to the installed desktop entry (its icon and name in docks and task bars).
    QGuiApplication::setDesktopFileName(okh::AppIcons::applicationId());
    QApplication::setWindowIcon(okh::AppIcons::application());
    const okh::AppSettings& settings = okh::AppSettings::instance();
    switch (settings.language()) {
    case okh::AppSettings::Language::Dutch:
        okh::installTranslations(QStringLiteral("nl"));
        break;
    case okh::AppSettings::Language::English:
        okh::installTranslations(QStringLiteral("en"));
        break;
    case okh::AppSettings::Language::System:
        okh::installTranslations();
        break;
    }
    okh::Theme::apply(settings.theme());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("okh::main", "Live health of Open Klant deployments."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QCoreApplication::translate("okh::main",
                                    "Start a stand-in Open Klant deployment of real servers on this computer "
                                    "(redis, PostgreSQL, Django, Celery, nginx) and watch it."));
    const QCommandLineOption demoIfNew(
        QStringLiteral("demo-if-new"),
        QCoreApplication::translate("okh::main", "As --demo, unless deployment files were opened before."));
    parser.addOption(demo);
    parser.addOption(demoIfNew);
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QCoreApplication::translate("okh::main", "Deployment files to open."),
                                 QStringLiteral("[FILE…]"));
    parser.process(app);

    okh::MainWindow window;
    okh::CloseOnSignal closeOnSignal(window);
    // Declared after the window: destroyed first, it stops the stand-in's servers (by pid).
    okh::StandinHost standin;
    // Start minimised: only the tray icon where there is a tray, else a minimised window.
    if (!settings.boolValue(okh::AppSettings::Key::StartMinimised))
        window.show();
    else if (!window.trayIcon().isShown())
        window.showMinimized();
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty())
        window.open(files);
    else if (parser.isSet(demo) || (!window.openLast() && parser.isSet(demoIfNew)))
        (new okh::DemoMode(window, standin))->start(); // owned by the window
    return QApplication::exec();
}
