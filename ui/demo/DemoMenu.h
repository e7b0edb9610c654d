#pragma once

#include <QHash>
#include <QMenu>

class QAction;

namespace okh {

class StandinHost;

// The Demo menu of the stand-in deployment: stop and start each of its services, to watch a
// failure, its root cause and its recovery. An entry says what it will do ("Stop redis",
// "Start redis") and is disabled while that service is being stopped or started.
class DemoMenu : public QMenu
{
    Q_OBJECT
public:
    explicit DemoMenu(StandinHost& host, QWidget* parent = nullptr);

    QAction* actionFor(const QString& service) const { return m_actions.value(service); }
    // "redis (the cache and Celery's broker)": what a newcomer needs to know of each service.
    static QString describe(const QString& service);

private:
    void toggle(const QString& service);
    void update(const QString& service);

    StandinHost& m_host;
    QHash<QString, QAction*> m_actions;
    QAction* m_stateLine = nullptr;
    bool m_ready = false;
};

} // namespace okh
