#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace okh {

// What a well-known health command's exit code says, so an operator reads "ping got no reply"
// instead of "exit 2": maykin-common's worker codes (1 event loop, 2 ping, 4 not ready),
// pg_isready's classes, the shell's 126/127.
class ExitCodeMeaning
{
    Q_DECLARE_TR_FUNCTIONS(okh::ExitCodeMeaning)
public:
    static QString explain(const QStringList& command, int exitCode);
};

} // namespace okh
