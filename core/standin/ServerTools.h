#pragma once

#include <QByteArray>
#include <QLoggingCategory>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

Q_DECLARE_LOGGING_CATEGORY(lcStandin)

namespace okh::standin {

// What the stand-in servers share: free ports, short commands run to completion, raw TCP
// exchanges to tell when a server answers, log tails for error messages. All of it blocks,
// which is why the servers are started on a thread of their own (never the GUI thread).

// A TCP port on 127.0.0.1 that nothing listens on right now (bind to 0, read, close).
quint16 freePort();

// Where the servers' site files are (resources/standin: the Django site, the Celery app, the
// nginx config template): OKHEALTH_STANDIN_DIR, else an installed copy (PREFIX/share/okhealth/
// standin), else OKHEALTH_SOURCE_DIR/resources/standin, else the source tree this was built from.
QString resourceDirectory();

// The outcome of a short-lived command run to completion (or killed at its deadline).
struct CommandResult
{
    bool started = false;
    bool finished = false; // false: still running at the deadline, then killed
    int exitCode = -1;
    QByteArray standardOutput;
    QByteArray standardError;

    bool succeeded() const { return started && finished && exitCode == 0; }
    QByteArray allOutput() const { return QByteArray(standardOutput + standardError); }
    // One line for an error message: exit code and both output streams.
    QString describe() const;
};

// Runs program to completion, blocking, without an event loop; kills it after timeoutMs.
CommandResult runCommand(const QString& program, const QStringList& arguments, int timeoutMs = 10000,
                         const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment());

// Connects to 127.0.0.1:port, sends request (may be empty) and returns what arrives until the
// first pause of pauseMs after some bytes, or until timeoutMs. Empty when nothing arrived
// (refused, silent peer, stopped process). Blocking; needs no event loop.
QByteArray tcpExchange(quint16 port, const QByteArray& request, int timeoutMs = 2000, int pauseMs = 100);

// The last maxLines lines of a text file (a server's log), for failure messages.
QString fileTail(const QString& path, int maxLines = 30);

} // namespace okh::standin
