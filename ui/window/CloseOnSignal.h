#pragma once

#include <QObject>
#include <QPointer>

class QSocketNotifier;
class QWidget;

namespace okh {

// SIGINT, SIGTERM and SIGHUP close the window as File → Quit does (monitors stopped, history
// saved, the stand-in's servers stopped) instead of ending the process where it stands: Ctrl+C
// in the terminal that ran scripts/run must not leave servers behind. The handler only writes
// a byte to a socket pair (async-signal-safe); the close happens in the event loop.
class CloseOnSignal : public QObject
{
    Q_OBJECT
public:
    explicit CloseOnSignal(QWidget& window, QObject* parent = nullptr);
    ~CloseOnSignal() override;

private:
    QPointer<QWidget> m_window;
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace okh
