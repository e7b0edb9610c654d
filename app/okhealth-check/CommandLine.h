#pragma once

#include <QCommandLineParser>
#include <QStringList>

namespace okh {

// What every okhealth-check command does with its parser, the way click (behind maykin-common's
// typer) does it: --help prints the usage of *this* command, stray arguments are an error.
namespace CommandLine {

enum class Parsed { Run, Done };

// Parses; on --help prints the help (exit 0), on an error or on positional arguments beyond
// `maxPositional` prints click's message (exit 2). `exitCode` is set when Done is returned.
Parsed parse(QCommandLineParser& parser, const QStringList& arguments, int maxPositional, int* exitCode);

} // namespace CommandLine

} // namespace okh
