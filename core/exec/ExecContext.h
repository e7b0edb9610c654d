#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <chrono>

namespace okh {

// Where a service's files live and its commands run: this machine, a Docker container, a
// Compose service or a Kubernetes pod. The SSH host wraps the same argv once more, remotely.
struct ExecContext
{
    Q_DECLARE_TR_FUNCTIONS(okh::ExecContext)
public:
    enum class Kind { Local, Docker, Compose, Kubectl };
    Kind kind = Kind::Local;
    QString container; // docker: container name or ID; kubectl: container in the pod (-c), optional
    QString service; // compose: service name
    QString projectDirectory; // compose: --project-directory, optional
    QStringList composeFiles; // compose: -f FILE..., optional
    QString pod; // kubectl
    QString kubeNamespace; // kubectl: -n, optional
    QString kubeContext; // kubectl: --context, optional
    friend bool operator==(const ExecContext&, const ExecContext&) = default;

    // The argv that runs `command` in this context. Arguments are passed as separate argv
    // entries end to end — never through a shell — so names from a deployment file cannot
    // inject shell syntax. Empty when a required name is missing or starts with '-'.
    QStringList wrap(const QStringList& command) const;
    // Why wrap() would refuse, or empty.
    QString validationError() const;
    // "docker exec openklant-celery-1" etc., for reports.
    QString describe() const;
};

// POSIX shell quoting, for the one place a command line must be a string (the SSH exec
// channel): every argument in single quotes, embedded quotes as '\''.
QString shellQuote(const QString& argument);
QString shellJoin(const QStringList& argv);

// argv under GNU timeout(1), killed (its whole process group) a second after `limit`: for SSH
// hosts that have it, since closing an exec channel does not stop its command. Exit status and
// output are argv's own until then.
QStringList boundedArgv(const QStringList& argv, std::chrono::milliseconds limit);

} // namespace okh
