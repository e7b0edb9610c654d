#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QPointer>
#include <utility>

namespace okh {

// A history query whose answer is shown on the GUI thread, cancellable. It watches the query's
// QFuture with a QFutureWatcher instead of QFuture::then: Qt 6.4's QFuture::cancel() marks the
// continuation chain through a raw pointer, so cancelling a query after its continuation ran
// (and its future was dropped) writes to freed memory — a crash, and once a hang, when closing
// the window under Xvfb. A watcher adds no continuation, so cancel() has nothing to follow.
template<typename T> class PendingQuery
{
public:
    PendingQuery() = default;
    ~PendingQuery() { cancel(); }
    PendingQuery(const PendingQuery&) = delete;
    PendingQuery& operator=(const PendingQuery&) = delete;

    // Cancels the query before (its answer is not wanted any more), then calls show(result) on
    // context's thread when this one answers; never after cancel(), clear() or context's end.
    template<typename Show> void start(QFuture<T> query, QObject* context, Show&& show)
    {
        cancel();
        auto* watcher = new QFutureWatcher<T>(context);
        m_watcher = watcher;
        QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                         [watcher, show = std::forward<Show>(show)]() mutable {
                             if (!watcher->isCanceled() && watcher->future().resultCount() > 0)
                                 show(watcher->result());
                         });
        watcher->setFuture(std::move(query));
    }
    void cancel()
    {
        if (!m_watcher)
            return;
        QFuture<T> query = m_watcher->future();
        query.cancel(); // the store skips a query cancelled before it runs
        release();
    }
    // Forgets the query (after its answer came): nothing is pending.
    void clear() { release(); }
    bool isPending() const { return !m_watcher.isNull(); }

private:
    void release()
    {
        if (!m_watcher)
            return;
        m_watcher->disconnect();
        m_watcher->deleteLater(); // may be inside its own finished()
        m_watcher = nullptr;
    }

    QPointer<QFutureWatcher<T>> m_watcher;
};

} // namespace okh
