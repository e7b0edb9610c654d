#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QThread;

namespace okh {

namespace standin {
class StandinDeployment;
}

// The stand-in deployment's thread (docs/desktop.md, "First start"): starting PostgreSQL,
// migrating the site and waiting for the Celery worker take seconds of blocking calls, so the
// StandinDeployment lives on a thread of its own and the GUI thread only sends requests and
// gets signals. shutdown() stops every server on that thread and then reports finished().
class StandinHost : public QObject
{
    Q_OBJECT
public:
    explicit StandinHost(QObject* parent = nullptr);
    // A host that was not shut down stops its servers here, waiting for the thread.
    ~StandinHost() override;

    void start();
    void stopService(const QString& service);
    void startService(const QString& service);
    void shutdown();
    bool isRunning() const { return m_thread != nullptr; }
    // Whether a service is running, as last reported (false before ready()).
    bool isServiceRunning(const QString& service) const { return m_running.contains(service); }
    static QStringList serviceNames();

Q_SIGNALS:
    // Before each service starts, by its profile name ("redis", "db", …).
    void starting(const QString& service);
    // Every server answers; the file to open. Its variables (passwords) are set in this
    // process's environment by then.
    void ready(const QString& deploymentFile);
    void failed(const QString& message);
    void serviceChanged(const QString& service, bool running);
    void serviceFailed(const QString& service, const QString& message);
    void finished();

private:
    template<typename Work> void onThread(Work work);
    // Starts or stops one service on the thread; serviceChanged() (and serviceFailed()) after.
    void control(const QString& service, bool start);
    void report(const QString& service, bool running);

    QThread* m_thread = nullptr;
    QObject* m_context = nullptr; // lives on m_thread: queued work runs there
    standin::StandinDeployment* m_standin = nullptr; // created, used and deleted on m_thread
    QStringList m_running;
    bool m_shuttingDown = false;
};

} // namespace okh
