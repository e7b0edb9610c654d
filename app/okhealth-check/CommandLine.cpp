#include "CommandLine.h"

#include "Console.h"

#include <QCoreApplication>

namespace okh::CommandLine {

Parsed parse(QCommandLineParser& parser, const QStringList& arguments, int maxPositional, int* exitCode)
{
    constexpr int UsageError = 2; // click's exit code for bad usage
    if (!parser.parse(arguments)) {
        Console::err(parser.errorText() + u'\n');
        *exitCode = UsageError;
        return Parsed::Done;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        // helpText() names the executable's full path; say "okhealth-check COMMAND" instead.
        QString help = parser.helpText();
        help.replace(QCoreApplication::arguments().constFirst(), arguments.constFirst());
        Console::out(help);
        *exitCode = 0;
        return Parsed::Done;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > maxPositional) {
        const QStringList extra = positional.mid(maxPositional);
        Console::err(QCoreApplication::translate("okh::CommandLine", "Error: Got unexpected extra argument(s) (%1)\n",
                                                 nullptr, int(extra.size()))
                         .arg(extra.join(u' ')));
        *exitCode = UsageError;
        return Parsed::Done;
    }
    return Parsed::Run;
}

} // namespace okh::CommandLine
