#include "StandinHost.h"

#include "standin/StandinDeployment.h"

#include <QPointer>
#include <QThread>

namespace okh {

StandinHost::StandinHost(QObject* parent)
    : QObject(parent)
{ }

StandinHost::~StandinHost()
{
    if (!m_thread)
        return;
    // Fallback only (the app shuts down first): the servers must not outlive the app.
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            delete m_standin;
            m_standin = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

QStringList StandinHost::serviceNames()
{
    return standin::StandinDeployment::serviceNames();
}

template<typename Work> void StandinHost::onThread(Work work)
{
    if (m_context)
        QMetaObject::invokeMethod(m_context, std::move(work), Qt::QueuedConnection);
}

void StandinHost::start()
{
    if (m_thread)
        return;
    m_shuttingDown = false;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("okhealth-standin"));
    m_context = new QObject;
    m_context->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread->start();

    QPointer<StandinHost> self(this);
    onThread([this, self] {
        auto* standin = new standin::StandinDeployment;
        const bool ok = standin->start([self](const QString& service) {
            QMetaObject::invokeMethod(self, [self, service] {
                if (self)
                    Q_EMIT self->starting(service);
            });
        });
        const QString error = standin->errorString();
        const QString file = standin->deploymentFile();
        const auto environment = standin->environment();
        if (!ok) {
            delete standin;
            QMetaObject::invokeMethod(self, [self, error] {
                if (self)
                    Q_EMIT self->failed(error);
            });
            return;
        }
        m_standin = standin; // read and written on this thread only
        QMetaObject::invokeMethod(self, [self, file, environment] {
            if (!self)
                return;
            // The deployment file names its passwords as ${VARIABLES}: the loader finds them here.
            for (const auto& [name, value] : environment)
                qputenv(name.toUtf8().constData(), value.toUtf8());
            self->m_running = serviceNames();
            Q_EMIT self->ready(file);
        });
    });
}

void StandinHost::stopService(const QString& service)
{
    control(service, false);
}

void StandinHost::startService(const QString& service)
{
    control(service, true);
}

void StandinHost::control(const QString& service, bool start)
{
    QPointer<StandinHost> self(this);
    onThread([this, self, service, start] {
        if (!m_standin)
            return;
        const bool ok = start ? m_standin->startService(service) : m_standin->stopService(service);
        const bool running = m_standin->isRunning(service);
        const QString error = m_standin->errorString();
        QMetaObject::invokeMethod(self, [self, service, ok, running, error] {
            if (!self)
                return;
            self->report(service, running);
            if (!ok)
                Q_EMIT self->serviceFailed(service, error);
        });
    });
}

void StandinHost::report(const QString& service, bool running)
{
    if (running && !m_running.contains(service))
        m_running.append(service);
    if (!running)
        m_running.removeAll(service);
    Q_EMIT serviceChanged(service, running);
}

void StandinHost::shutdown()
{
    if (!m_thread || m_shuttingDown)
        return;
    m_shuttingDown = true;
    QThread* thread = m_thread;
    onThread([this, thread] {
        delete m_standin; // stops every server, by pid
        m_standin = nullptr;
        thread->quit();
    });
    connect(thread, &QThread::finished, this, [this, thread] {
        thread->deleteLater();
        m_thread = nullptr;
        m_context = nullptr;
        m_running.clear();
        Q_EMIT finished();
    });
}

} // namespace okh
