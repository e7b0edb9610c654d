#include "ServerTools.h"

#include "util/InstallPaths.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>

Q_LOGGING_CATEGORY(lcStandin, "okhealth.standin")

namespace okh::standin {

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        qFatal("cannot bind a free port on 127.0.0.1");
    return server.serverPort();
}

QString resourceDirectory()
{
    const QString explicitDir = qEnvironmentVariable("OKHEALTH_STANDIN_DIR");
    if (!explicitDir.isEmpty())
        return explicitDir;
    if (const QString installed = installedDataDir(QStringLiteral("standin")); !installed.isEmpty())
        return installed;
    const QString source = qEnvironmentVariable("OKHEALTH_SOURCE_DIR", QStringLiteral(OKHEALTH_SOURCE_DIR_FALLBACK));
    return QDir(source).filePath(QStringLiteral("resources/standin"));
}

QString CommandResult::describe() const
{
    if (!started)
        return QStringLiteral("did not start: %1").arg(QString::fromLocal8Bit(standardError));
    return QStringLiteral("%1, exit code %2; stdout: %3; stderr: %4")
        .arg(finished ? QStringLiteral("finished") : QStringLiteral("killed at deadline"))
        .arg(exitCode)
        .arg(QString::fromLocal8Bit(standardOutput).trimmed(), QString::fromLocal8Bit(standardError).trimmed());
}

CommandResult runCommand(const QString& program, const QStringList& arguments, int timeoutMs,
                         const QProcessEnvironment& environment)
{
    CommandResult result;
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, arguments);
    if (!process.waitForStarted(5000)) {
        result.standardError = process.errorString().toLocal8Bit();
        return result;
    }
    result.started = true;
    result.finished = process.waitForFinished(timeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.standardOutput = process.readAllStandardOutput();
    result.standardError = process.readAllStandardError();
    return result;
}

QByteArray tcpExchange(quint16 port, const QByteArray& request, int timeoutMs, int pauseMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(int(deadline.remainingTime())))
        return {};
    if (!request.isEmpty()) {
        socket.write(request);
        socket.waitForBytesWritten(int(deadline.remainingTime()));
    }
    QByteArray received;
    while (!deadline.hasExpired()) {
        const int wait = received.isEmpty() ? int(deadline.remainingTime()) : pauseMs;
        if (!socket.waitForReadyRead(wait)) {
            received += socket.readAll(); // data that came with the close
            break;
        }
        received += socket.readAll();
    }
    return received;
}

QString fileTail(const QString& path, int maxLines)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("(no log at %1)").arg(path);
    // Logs of these fixtures are small; read the whole file and keep the end.
    const QList<QByteArray> lines = file.readAll().split('\n');
    qsizetype first = qMax<qsizetype>(0, lines.size() - maxLines - 1);
    QStringList tail;
    for (qsizetype i = first; i < lines.size(); ++i)
        tail << QString::fromLocal8Bit(lines.at(i));
    return tail.join(QLatin1Char('\n')).trimmed();
}

} // namespace okh::standin
