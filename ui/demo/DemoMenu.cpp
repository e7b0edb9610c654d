#include "DemoMenu.h"

#include "demo/StandinHost.h"

#include <QAction>

namespace okh {

DemoMenu::DemoMenu(StandinHost& host, QWidget* parent)
    : QMenu(tr("&Demo"), parent)
    , m_host(host)
{
    m_stateLine = addAction(tr("Starting the stand-in deployment…"));
    m_stateLine->setEnabled(false);
    addSeparator();
    const QStringList services = StandinHost::serviceNames();
    for (int i = 0; i < services.size(); ++i) {
        const QString& service = services.at(i);
        QAction* action = addAction(QString(), this, [this, service] { toggle(service); });
        // Ctrl+Alt+1…6: one per service, in the order they start.
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        action->setStatusTip(describe(service));
        m_actions.insert(service, action);
        update(service);
    }
    connect(&m_host, &StandinHost::ready, this, [this] {
        m_ready = true;
        m_stateLine->setText(tr("Stand-in deployment on this computer"));
        for (const QString& service : StandinHost::serviceNames())
            update(service);
    });
    connect(&m_host, &StandinHost::failed, this, [this] {
        m_stateLine->setText(tr("The stand-in deployment did not start"));
        m_ready = false;
        for (const QString& service : StandinHost::serviceNames())
            update(service);
    });
    connect(&m_host, &StandinHost::serviceChanged, this, [this](const QString& service) {
        m_actions.value(service)->setData(QVariant()); // no longer busy
        update(service);
    });
    connect(&m_host, &StandinHost::serviceFailed, this, [this](const QString& service) {
        m_actions.value(service)->setData(QVariant());
        update(service);
    });
}

QString DemoMenu::describe(const QString& service)
{
    if (service == QLatin1String("redis"))
        return tr("redis: the cache of the web app and the broker of the Celery worker");
    if (service == QLatin1String("db"))
        return tr("db: the PostgreSQL database of the web app and the worker");
    if (service == QLatin1String("web"))
        return tr("web: the Django app with maykin-common's health URLs");
    if (service == QLatin1String("celery"))
        return tr("celery: the Celery worker, writing its liveness and readiness files");
    if (service == QLatin1String("celery-flower"))
        return tr("celery-flower: a stand-in for Flower, behind basic authentication");
    if (service == QLatin1String("nginx"))
        return tr("nginx: in front of web, with the documentation's health locations");
    return service;
}

void DemoMenu::toggle(const QString& service)
{
    QAction* action = m_actions.value(service);
    const bool running = m_host.isServiceRunning(service);
    action->setData(running ? QStringLiteral("stopping") : QStringLiteral("starting"));
    update(service);
    if (running)
        m_host.stopService(service);
    else
        m_host.startService(service);
}

void DemoMenu::update(const QString& service)
{
    QAction* action = m_actions.value(service);
    const QString busy = action->data().toString();
    if (busy == QLatin1String("stopping"))
        action->setText(tr("Stopping %1…").arg(service));
    else if (busy == QLatin1String("starting"))
        action->setText(tr("Starting %1…").arg(service));
    else if (m_host.isServiceRunning(service))
        action->setText(tr("Stop %1").arg(service));
    else
        action->setText(tr("Start %1").arg(service));
    action->setEnabled(m_ready && busy.isEmpty());
}

} // namespace okh
