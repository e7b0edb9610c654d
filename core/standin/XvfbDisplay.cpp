#include "XvfbDisplay.h"

#include <QByteArray>
#include <csignal>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace okh::standin {

bool XvfbDisplay::start(const QString& geometry)
{
    int fds[2];
    if (::pipe(fds) != 0) {
        m_errorString = QStringLiteral("pipe() failed");
        return false;
    }
    const QByteArray fd = QByteArray::number(fds[1]);
    const QByteArray screen = geometry.toLatin1();
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        m_errorString = QStringLiteral("fork() failed");
        return false;
    }
    if (pid == 0) {
        ::close(fds[0]);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(125);
        // Xvfb writes the display number it chose to fd, then a newline.
        ::execlp("Xvfb", "Xvfb", "-displayfd", fd.constData(), "-screen", "0", screen.constData(), "-nolisten", "tcp",
                 "-noreset", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    m_pid = pid;
    ::close(fds[1]);
    QByteArray number;
    pollfd readable{fds[0], POLLIN, 0};
    while (!number.endsWith('\n') && ::poll(&readable, 1, 10000) > 0) {
        char buffer[16];
        const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n <= 0)
            break;
        number.append(buffer, n);
    }
    ::close(fds[0]);
    if (!number.endsWith('\n')) {
        m_errorString = QStringLiteral("Xvfb did not report a display within 10 s (is the xvfb package installed?)");
        return false;
    }
    m_display = QStringLiteral(":%1").arg(QString::fromLatin1(number.trimmed()));
    qputenv("DISPLAY", m_display.toLatin1());
    qputenv("QT_QPA_PLATFORM", "xcb");
    return true;
}

XvfbDisplay::~XvfbDisplay()
{
    if (m_pid <= 0)
        return;
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
}

} // namespace okh::standin
