#include "DemoMode.h"

#include "demo/DemoMenu.h"
#include "demo/StandinHost.h"
#include "overview/OverviewView.h"
#include "window/MainWindow.h"

#include <QMessageBox>

namespace okh {

DemoMode::DemoMode(MainWindow& window, StandinHost& host)
    : QObject(&window)
    , m_window(window)
    , m_host(host)
{
    m_window.addModeMenu(new DemoMenu(host, &window));
    connect(&host, &StandinHost::starting, this, [this](const QString& service) {
        m_window.overview().setEmptyText(
            tr("Starting a stand-in Open Klant deployment on this computer…\n%1").arg(DemoMenu::describe(service)));
        m_window.showStatus(tr("Starting the stand-in deployment: %1…").arg(service));
    });
    connect(&host, &StandinHost::ready, this, [this](const QString& file) {
        m_window.showStatus(tr("The stand-in deployment is running; the Demo menu stops and starts its services."));
        m_window.open({file}, MainWindow::Remember::No);
    });
    connect(&host, &StandinHost::failed, this, [this](const QString& message) {
        const QString title = tr("The stand-in deployment did not start");
        m_window.overview().setEmptyText(title + QLatin1Char('\n')
                                         + tr("Use File → Open… (Ctrl+O) to open a deployment file."));
        m_window.showStatus(title);
        auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, &m_window);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setTextInteractionFlags(Qt::TextSelectableByMouse);
        box->open();
    });
    connect(&host, &StandinHost::serviceFailed, this, [this](const QString& service, const QString& message) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("%1 did not start").arg(service), message, QMessageBox::Ok,
                                    &m_window);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setTextInteractionFlags(Qt::TextSelectableByMouse);
        box->open();
    });
}

void DemoMode::start()
{
    m_window.overview().setEmptyText(tr("Starting a stand-in Open Klant deployment on this computer…"));
    m_host.start();
}

} // namespace okh
