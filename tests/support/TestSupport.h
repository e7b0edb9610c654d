#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>

Q_DECLARE_LOGGING_CATEGORY(lcTestFixture)

namespace okh::test {

// A TCP port on 127.0.0.1 that nothing listens on right now (bind to 0, read, close).
quint16 freePort();

// The repository root (OKHEALTH_SOURCE_DIR, set by ctest).
QString sourceDir();

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
    // One line for a QVERIFY2 message: exit code and both output streams.
    QString describe() const;
};

// Runs program to completion, blocking, without an event loop; kills it after timeoutMs.
CommandResult runCommand(const QString& program, const QStringList& arguments, int timeoutMs = 10000,
                         const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment());

// Connects to 127.0.0.1:port, sends request (may be empty) and returns what arrives until the
// first pause of pauseMs after some bytes, or until timeoutMs. Empty when nothing arrived
// (refused, silent peer, stopped process). Blocking; needs no event loop.
QByteArray tcpExchange(quint16 port, const QByteArray& request, int timeoutMs = 2000, int pauseMs = 100);

// The environment for an okhealth-check child process whose output a test compares to the
// letter: English messages (LANG and LC_ALL C.UTF-8, no LANGUAGE), no colour (NO_COLOR), and
// no *_proxy variable that could send its loopback requests elsewhere.
QProcessEnvironment cliEnvironment();

// Spins the event loop (servers and probes under test live on it) until `done` holds or maxMs
// have passed; returns `done()`.
template<typename Predicate> bool spinUntil(Predicate done, int maxMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < maxMs)
        QTest::qWait(20);
    return done();
}

// The last maxLines lines of a text file (a server's log), for failure messages.
QString fileTail(const QString& path, int maxLines = 30);

} // namespace okh::test
