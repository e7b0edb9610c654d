#pragma once

#include <QString>
#include <sys/types.h>

namespace okh::standin {

// A real X server (Xvfb) on a display number it picks itself (-displayfd), for tests that
// must render through X11 (the screenshot run) rather than the offscreen platform. Start it
// before the QApplication: start() sets DISPLAY and QT_QPA_PLATFORM=xcb. For the screenshot run
// and the GUI benchmark. The destructor stops
// it (SIGTERM, then waits); it also dies with the test process (PDEATHSIG).
class XvfbDisplay
{
public:
    XvfbDisplay() = default;
    ~XvfbDisplay();
    XvfbDisplay(const XvfbDisplay&) = delete;
    XvfbDisplay& operator=(const XvfbDisplay&) = delete;

    // geometry: WIDTHxHEIGHTxDEPTH of screen 0.
    bool start(const QString& geometry = QStringLiteral("1400x900x24"));
    QString display() const { return m_display; }
    pid_t pid() const { return m_pid; }
    QString errorString() const { return m_errorString; }

private:
    pid_t m_pid = 0;
    QString m_display;
    QString m_errorString;
};

} // namespace okh::standin
