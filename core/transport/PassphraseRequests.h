#pragma once

#include "SshSession.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <mutex>

namespace okh {

// Key passphrases asked of a person without making the SSH thread wait: source() answers at
// once — with a passphrase given since, consumed by that one login, or with "none" after
// asking through requested(). answer() gives (or refuses) it from any thread; answered()
// tells the session to try again now. Passphrases live in memory only, until one login uses
// them; a wrong one is asked for again, a refused key is not asked for again.
class PassphraseRequests : public QObject
{
    Q_OBJECT
public:
    explicit PassphraseRequests(QObject* parent = nullptr);

    // For MonitoringSession::Options::passphrases. Valid while this object lives.
    PassphraseSource source();
    // nullopt: the person declined; that key is left out from now on.
    void answer(const QString& keyFile, const std::optional<QString>& passphrase);
    bool isPending(const QString& keyFile) const;
    // Whether a passphrase for the key was given before (so a new request means it was wrong).
    bool wasAnswered(const QString& keyFile) const;

Q_SIGNALS:
    // From an SSH thread (connect queued to the GUI): once per key until it is answered.
    void requested(const QString& keyFile);
    void answered(const QString& keyFile);

private:
    std::optional<QString> ask(const QString& keyFile);

    mutable std::mutex m_mutex;
    QHash<QString, QString> m_given;
    QSet<QString> m_pending;
    QSet<QString> m_refused;
    QSet<QString> m_answeredOnce;
};

} // namespace okh
