#pragma once

#include "standin/ServerTools.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>

Q_DECLARE_LOGGING_CATEGORY(lcTestFixture)

namespace okh::test {

// The real servers tests start live in core/standin (shared with the desktop app's stand-in
// deployment); test::RedisServer, test::runCommand, ... name them here too.
using namespace okh::standin;

// The repository root (OKHEALTH_SOURCE_DIR, set by ctest).
QString sourceDir();

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

} // namespace okh::test
