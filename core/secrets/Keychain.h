#pragma once

#include "config/DeploymentWriter.h"
#include "config/VariableExpansion.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <chrono>
#include <functional>

// The OS keychain (the freedesktop Secret Service on Linux: gnome-keyring, KWallet) through
// QtKeychain, for the passwords a deployment file refers to as ${keychain:KEY}. Entries are
// stored under the service serviceName(), never in a plain-text fallback file. Every call is
// asynchronous and answers on the thread it was made from (which needs an event loop), once,
// within `timeout` — a keychain that does not answer is reported, not waited for — and not
// at all when `context` is gone by then.
namespace okh::keychain {

using namespace std::chrono_literals;

QString serviceName(); // the application id

// Every key's value or the reason it has none (KeychainValues::failures).
void read(const QStringList& keys, QObject* context, std::function<void(const KeychainValues&)> done,
          std::chrono::milliseconds timeout = 15s);
// Stores every entry; `done` gets an empty string, or the first failure naming its key.
void write(const QList<KeychainEntry>& entries, QObject* context, std::function<void(const QString& error)> done,
           std::chrono::milliseconds timeout = 15s);
// Deletes the entries (a key that is not there is no failure).
void remove(const QStringList& keys, QObject* context, std::function<void(const QString& error)> done,
            std::chrono::milliseconds timeout = 15s);

} // namespace okh::keychain
