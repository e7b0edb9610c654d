#include "PassphraseRequests.h"

namespace okh {

PassphraseRequests::PassphraseRequests(QObject* parent)
    : QObject(parent)
{ }

PassphraseSource PassphraseRequests::source()
{
    return [this](const QString& keyFile) { return ask(keyFile); };
}

std::optional<QString> PassphraseRequests::ask(const QString& keyFile)
{
    {
        std::lock_guard lock(m_mutex);
        if (const auto given = m_given.constFind(keyFile); given != m_given.constEnd()) {
            const QString passphrase = *given;
            m_given.erase(given);
            return passphrase;
        }
        if (m_refused.contains(keyFile) || m_pending.contains(keyFile))
            return std::nullopt;
        m_pending.insert(keyFile);
    }
    Q_EMIT requested(keyFile);
    return std::nullopt;
}

void PassphraseRequests::answer(const QString& keyFile, const std::optional<QString>& passphrase)
{
    {
        std::lock_guard lock(m_mutex);
        m_pending.remove(keyFile);
        if (passphrase) {
            m_given.insert(keyFile, *passphrase);
            m_answeredOnce.insert(keyFile);
        } else {
            m_given.remove(keyFile);
            m_refused.insert(keyFile);
        }
    }
    Q_EMIT answered(keyFile);
}

bool PassphraseRequests::isPending(const QString& keyFile) const
{
    std::lock_guard lock(m_mutex);
    return m_pending.contains(keyFile);
}

bool PassphraseRequests::wasAnswered(const QString& keyFile) const
{
    std::lock_guard lock(m_mutex);
    return m_answeredOnce.contains(keyFile);
}

} // namespace okh
