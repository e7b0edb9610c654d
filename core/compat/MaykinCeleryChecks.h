#pragma once

#include <QString>
#include <chrono>
#include <optional>

namespace okh {

// The file halves of maykin-common's worker-health-check and beat-health-check
// (docs/cli.md; upstream maykin_common/cli.py), with their exact
// messages. The files live on this machine: the commands run inside the container.
class MaykinCeleryChecks
{
public:
    struct FileVerdict
    {
        bool ok = false;
        QString message; // stdout on success, stderr on failure
        std::optional<qint64> ageSeconds;
    };

    // Event-loop liveness (worker) and beat liveness: exists, is a regular file, and
    // int(now - mtime) <= maxAge.
    static FileVerdict livenessFile(const QString& path, qint64 maxAgeSeconds);
    static FileVerdict beatFile(const QString& path, qint64 maxAgeSeconds);
    static FileVerdict readinessFile(const QString& path);

    // "45s", "2m", "2.5m", "1.5h": beat's age format.
    static QString formatBeatAge(qint64 seconds);
    // How the Python command prints a path option: str(PurePosixPath(p)), and for beat's
    // file Path.resolve().
    static QString pythonPath(const QString& path);
    static QString resolvedPath(const QString& path);
    // CELERY_WORKER_NAME, else celery@<hostname>.
    static QString defaultWorkerName();
};

} // namespace okh
