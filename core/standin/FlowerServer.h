#pragma once

#include "ManagedProcess.h"

#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace okh::standin {

// The Flower stand-in (resources/standin/flower/flower_standin.py, Python's standard library
// only: Flower itself is not packaged for Debian) on a 127.0.0.1 port: its start page and
// /healthcheck behind HTTP basic authentication, as Flower started with --basic-auth.
class FlowerServer
{
public:
    FlowerServer();
    ~FlowerServer();
    FlowerServer(const FlowerServer&) = delete;
    FlowerServer& operator=(const FlowerServer&) = delete;

    // Starts and waits until it answers HTTP. Empty user: no authentication.
    bool start(const QString& user = {}, const QString& password = {});
    void stop();
    bool isRunning() const;

    // From the next start on, listen on this port (0, the default: a free port at each start).
    void setPort(quint16 port) { m_fixedPort = port; }
    quint16 port() const { return m_port; }
    qint64 pid() const;

    QString errorString() const { return m_errorString; }
    QString logTail(int maxLines = 30) const;

private:
    bool startOnce(const QString& user, const QString& password, bool* portTaken);

    QTemporaryDir m_dir;
    std::unique_ptr<ManagedProcess> m_process;
    QString m_errorString;
    quint16 m_port = 0;
    quint16 m_fixedPort = 0;
};

} // namespace okh::standin
