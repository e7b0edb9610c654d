#include "TerminalPassphrase.h"

#include <QCoreApplication>
#include <cstdio>
#include <fcntl.h>
#include <mutex>
#include <termios.h>
#include <unistd.h>

namespace okh {

std::optional<QString> askPassphraseOnTerminal(const QString& keyFile)
{
    static std::mutex terminal; // tunnels of several deployments may ask at once
    std::lock_guard lock(terminal);
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    const QByteArray prompt = QCoreApplication::translate("okh::TerminalPassphrase", "Enter passphrase for key '%1': ")
                                  .arg(keyFile)
                                  .toUtf8();
    [[maybe_unused]] auto written = ::write(fd, prompt.constData(), size_t(prompt.size()));
    termios saved{};
    const bool isTty = ::tcgetattr(fd, &saved) == 0;
    if (isTty) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    QByteArray line;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n')
        line.append(c);
    if (isTty)
        ::tcsetattr(fd, TCSAFLUSH, &saved);
    written = ::write(fd, "\n", 1);
    ::close(fd);
    QString passphrase = QString::fromUtf8(line);
    line.fill('\0'); // do not leave the secret in freed memory longer than needed
    return passphrase;
}

} // namespace okh
