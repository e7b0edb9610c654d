#pragma once

#include <QString>

namespace okh {

// One problem in a deployment file, positioned so editors and people can jump to it.
struct ConfigError
{
    QString file; // as given to DeploymentFile::load/parse
    int line = 0; // 1-based; 0 when the position is not known
    int column = 0; // 1-based, in characters (UTF-8 code points) from the start of the line
    QString keyPath; // deployments[0].services[2].checks[1].timeout; empty for syntax errors
    QString message; // translated

    // "file:line:col: key.path: message", "file: key.path: message" without a position and
    // "file:line:col: message" without a key path (the form compilers use, so editors link it).
    QString toString() const;

    friend bool operator==(const ConfigError&, const ConfigError&) = default;
};

} // namespace okh
