#include "SilentPeer.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace okh::test {

SilentPeer::SilentPeer(QByteArray banner)
    : m_banner(std::move(banner))
{ }

SilentPeer::~SilentPeer()
{
    stop();
}

bool SilentPeer::start()
{
    if (m_thread) {
        m_errorString = QStringLiteral("already listening on port %1").arg(m_port);
        return false;
    }
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("SilentPeer"));
    m_thread->start();
    m_server = new QTcpServer;
    m_server->moveToThread(m_thread.get());
    // Deleted in its own thread, with the sockets it owns, when the thread finishes.
    QObject::connect(m_thread.get(), &QThread::finished, m_server, &QObject::deleteLater);

    bool listening = false;
    QMetaObject::invokeMethod(
        m_server,
        [this, &listening] {
            listening = m_server->listen(QHostAddress::LocalHost, 0);
            if (!listening) {
                m_errorString = m_server->errorString();
                return;
            }
            m_port = m_server->serverPort();
            QObject::connect(m_server, &QTcpServer::newConnection, m_server, [this] {
                while (QTcpSocket* socket = m_server->nextPendingConnection()) {
                    // The socket stays a child of the server: open until stop().
                    m_accepted.fetch_add(1);
                    if (!m_banner.isEmpty())
                        socket->write(m_banner);
                }
            });
        },
        Qt::BlockingQueuedConnection);
    if (!listening) {
        m_errorString = QStringLiteral("cannot listen on 127.0.0.1: %1").arg(m_errorString);
        stop();
        return false;
    }
    return true;
}

void SilentPeer::stop()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    m_server = nullptr;
    m_thread.reset();
}

} // namespace okh::test
