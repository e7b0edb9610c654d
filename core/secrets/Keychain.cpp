#include "Keychain.h"

#include "util/InstallPaths.h"
#include "util/LogCategories.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>
#include <memory>
#include <qt6keychain/keychain.h>

namespace okh::keychain {

namespace {

class Messages
{
    Q_DECLARE_TR_FUNCTIONS(okh::Keychain)

public:
    static QString noAnswer(std::chrono::milliseconds timeout)
    {
        return tr("the keychain did not answer within %n second(s)", nullptr,
                  int(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
    }
    static QString failed(const QString& reason) { return tr("the keychain failed: %1").arg(reason); }
    static QString entryFailed(const QString& key, const QString& reason)
    {
        return tr("keychain entry \"%1\": %2").arg(key, reason);
    }
};

// Runs one job per key, collects what they say and answers once: when the last job is done or
// at the deadline, whichever comes first. Jobs delete themselves; a job that answers after the
// deadline finds this batch gone and its connection with it.
class Batch : public QObject
{
public:
    using Answer = std::function<void(Batch&)>;

    Batch(QObject* context, std::chrono::milliseconds timeout, Answer answer)
        : m_context(context)
        , m_answer(std::move(answer))
        , m_timeout(timeout)
    {
        m_deadline.setSingleShot(true);
        connect(&m_deadline, &QTimer::timeout, this, [this] { finish(true); });
        m_deadline.start(timeout);
    }

    void add(QKeychain::Job* job, const QString& key, std::function<void(QKeychain::Job&)> onDone)
    {
        m_pending << key;
        job->setAutoDelete(true);
        job->setInsecureFallback(false);
        job->setKey(key);
        connect(job, &QKeychain::Job::finished, this, [this, key, onDone](QKeychain::Job* finished) {
            onDone(*finished);
            m_pending.removeOne(key);
            if (m_pending.isEmpty())
                finish(false);
        });
        job->start();
    }
    void startEmpty()
    {
        if (m_pending.isEmpty())
            QTimer::singleShot(0, this, [this] { finish(false); });
    }

    QStringList pending() const { return m_pending; }
    std::chrono::milliseconds timeout() const { return m_timeout; }
    bool timedOut() const { return m_timedOut; }

private:
    void finish(bool timedOut)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_timedOut = timedOut;
        m_deadline.stop();
        if (m_context)
            m_answer(*this);
        deleteLater();
    }

    QPointer<QObject> m_context;
    Answer m_answer;
    std::chrono::milliseconds m_timeout;
    QTimer m_deadline;
    QStringList m_pending;
    bool m_finished = false;
    bool m_timedOut = false;
};

QString reasonOf(const QKeychain::Job& job)
{
    // QtKeychain's error strings are the backend's own words (libsecret's D-Bus error).
    return Messages::failed(job.errorString());
}

// Writing and removing answer with the first failure, or the first key left unanswered.
Batch::Answer answerFirstError(std::shared_ptr<QString> firstError, std::function<void(const QString&)> done)
{
    return [firstError, done](Batch& b) {
        if (firstError->isEmpty() && b.timedOut())
            *firstError = Messages::entryFailed(b.pending().value(0), Messages::noAnswer(b.timeout()));
        done(*firstError);
    };
}

} // namespace

QString serviceName()
{
    return applicationId();
}

void read(const QStringList& keys, QObject* context, std::function<void(const KeychainValues&)> done,
          std::chrono::milliseconds timeout)
{
    auto values = std::make_shared<KeychainValues>();
    auto* batch = new Batch(context, timeout, [values, done](Batch& b) {
        for (const QString& key : b.pending())
            values->failures.insert(key, Messages::noAnswer(b.timeout()));
        done(*values);
    });
    for (const QString& key : keys) {
        auto* job = new QKeychain::ReadPasswordJob(serviceName());
        batch->add(job, key, [values, key](QKeychain::Job& finished) {
            if (finished.error() == QKeychain::NoError) {
                values->values.insert(key, static_cast<QKeychain::ReadPasswordJob&>(finished).textData());
            } else if (finished.error() != QKeychain::EntryNotFound) {
                values->failures.insert(key, reasonOf(finished));
                qCWarning(lcConfig) << "keychain entry" << key << "could not be read:" << finished.errorString();
            }
        });
    }
    batch->startEmpty();
}

void write(const QList<KeychainEntry>& entries, QObject* context, std::function<void(const QString&)> done,
           std::chrono::milliseconds timeout)
{
    auto firstError = std::make_shared<QString>();
    auto* batch = new Batch(context, timeout, answerFirstError(firstError, done));
    for (const KeychainEntry& entry : entries) {
        auto* job = new QKeychain::WritePasswordJob(serviceName());
        job->setTextData(entry.value);
        batch->add(job, entry.key, [firstError, key = entry.key](QKeychain::Job& finished) {
            if (finished.error() != QKeychain::NoError && firstError->isEmpty())
                *firstError = Messages::entryFailed(key, reasonOf(finished));
        });
    }
    batch->startEmpty();
}

void remove(const QStringList& keys, QObject* context, std::function<void(const QString&)> done,
            std::chrono::milliseconds timeout)
{
    auto firstError = std::make_shared<QString>();
    auto* batch = new Batch(context, timeout, answerFirstError(firstError, done));
    for (const QString& key : keys) {
        auto* job = new QKeychain::DeletePasswordJob(serviceName());
        batch->add(job, key, [firstError, key](QKeychain::Job& finished) {
            const auto error = finished.error();
            if (error != QKeychain::NoError && error != QKeychain::EntryNotFound && firstError->isEmpty())
                *firstError = Messages::entryFailed(key, reasonOf(finished));
        });
    }
    batch->startEmpty();
}

} // namespace okh::keychain
