#pragma once

#include <QString>
#include <optional>

namespace okh {

// Asks for a key's passphrase on the controlling terminal with echo off (like ssh does).
// Without a terminal (CI, cron) it declines, and the key is skipped. Never stores the answer.
std::optional<QString> askPassphraseOnTerminal(const QString& keyFile);

} // namespace okh
