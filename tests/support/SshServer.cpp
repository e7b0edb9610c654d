#include "SshServer.h"

#include "TestSupport.h"
#include "standin/ManagedProcess.h"
#include "standin/ProcessTree.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QStandardPaths>
#include <QThread>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace okh::test {

namespace {

// sshd re-executes itself for every connection and refuses to start from a relative path.
const QString kSshd = QStringLiteral("/usr/sbin/sshd");
// Its privilege separation directory (sshd_config(5), "privilege separation"); Debian's
// package creates it only from the systemd unit, so a container may lack it.
const char kPrivsepDir[] = "/run/sshd";
constexpr int kSamePortWaitMs = 3000; // restart(): how long the old port may stay taken
constexpr int kReadyTimeoutMs = 10000;
constexpr int kKeygenTimeoutMs = 30000;
constexpr auto kStopGrace = std::chrono::seconds(5);

// File names inside the temp dir.
const QString kHostEd25519 = QStringLiteral("ssh_host_ed25519_key");
const QString kHostRsa = QStringLiteral("ssh_host_rsa_key");
const QString kWrongHostEd25519 = QStringLiteral("wrong_host_ed25519_key");
const QString kClientEd25519 = QStringLiteral("client_ed25519");
const QString kClientEncrypted = QStringLiteral("client_ed25519_encrypted");
const QString kClientPemRsa = QStringLiteral("client_rsa_pem");
const QString kUnauthorized = QStringLiteral("unauthorized_ed25519");
const QString kAuthorizedKeys = QStringLiteral("authorized_keys");
const QString kKnownHosts = QStringLiteral("known_hosts");
const QString kKnownHostsHashed = QStringLiteral("known_hosts_hashed");
const QString kKnownHostsWrong = QStringLiteral("known_hosts_wrong");
const QString kConfig = QStringLiteral("sshd_config");
const QString kPidFile = QStringLiteral("sshd.pid");
const QString kLog = QStringLiteral("sshd.log");

// ---- the listener's process tree ----

// Waits until the process has stopped, ended, or is no longer the one recorded.
void waitUntilStoppedOrGone(const ProcStat& known)
{
    QDeadlineTimer deadline(1000);
    for (;;) {
        ProcStat now;
        if (!readProcStat(known.pid, &now) || now.startTime != known.startTime || isGoneOrZombie(now.state)
            || now.state == 'T' || now.state == 't' || deadline.hasExpired())
            return;
        QThread::msleep(1);
    }
}

// The process rootPid and everything under it, each stopped with SIGSTOP before its children
// are read, so that nobody forks or exits behind our back. The per-connection sshd processes
// call setsid(), so neither a process group nor a session covers them; only parent links do.
// A process that ends before it is stopped hands its children to the listener (a subreaper),
// which is already stopped and known: the next pass over /proc finds them.
QList<ProcStat> freezeTree(qint64 rootPid)
{
    QList<ProcStat> tree;
    ProcStat root;
    if (rootPid <= 0 || !readProcStat(rootPid, &root))
        return tree;
    QSet<qint64> known{rootPid};
    QList<ProcStat> pending{root};
    while (!pending.isEmpty()) {
        for (const ProcStat& process : std::as_const(pending)) {
            signalIfSame(process, SIGSTOP);
            waitUntilStoppedOrGone(process);
        }
        tree += pending;
        pending.clear();
        for (const ProcStat& candidate : allProcesses()) {
            if (known.contains(candidate.parentPid) && !known.contains(candidate.pid)
                && !isGoneOrZombie(candidate.state)) {
                known.insert(candidate.pid);
                pending << candidate;
            }
        }
    }
    return tree;
}

bool waitAllGone(const QList<ProcStat>& processes, std::chrono::milliseconds timeout)
{
    QDeadlineTimer deadline(timeout);
    for (;;) {
        if (std::none_of(processes.cbegin(), processes.cend(), isSameAndAlive))
            return true;
        if (deadline.hasExpired())
            return false;
        QThread::msleep(10);
    }
}

// ---- keys ----

QByteArray readPublicKeyLine(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().trimmed();
}

// "SHA256:<unpadded base64>" of the key blob, the form of `ssh-keygen -lf` (sshkey.c, SSH_FP_BASE64).
QString sha256Fingerprint(const QString& publicKeyPath)
{
    const QList<QByteArray> fields = readPublicKeyLine(publicKeyPath).split(' ');
    if (fields.size() < 2)
        return {};
    const QByteArray digest
        = QCryptographicHash::hash(QByteArray::fromBase64(fields.at(1)), QCryptographicHash::Sha256);
    return QStringLiteral("SHA256:") + QString::fromLatin1(digest.toBase64(QByteArray::OmitTrailingEquals));
}

// "[127.0.0.1]:port <type> <base64>" for the key in publicKeyPath, without its comment.
QByteArray knownHostsLine(quint16 port, const QString& publicKeyPath)
{
    const QList<QByteArray> fields = readPublicKeyLine(publicKeyPath).split(' ');
    if (fields.size() < 2)
        return {};
    return "[127.0.0.1]:" + QByteArray::number(port) + ' ' + fields.at(0) + ' ' + fields.at(1) + '\n';
}

QString logSince(const QString& path, qint64 offset)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(offset))
        return {};
    return QString::fromLocal8Bit(file.readAll());
}

bool writeFile(const QString& path, const QByteArray& content, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

SshServer::SshServer()
    : m_dir(QStringLiteral("/tmp/okh-sshd-XXXXXX"))
{ }

SshServer::~SshServer()
{
    stop();
}

bool SshServer::start(const Options& options)
{
    if (isRunning()) {
        m_errorString = QStringLiteral("sshd already running on port %1").arg(m_port);
        return false;
    }
    if (!m_dir.isValid()) {
        m_errorString = QStringLiteral("cannot create a temp dir: %1").arg(m_dir.errorString());
        return false;
    }
    if (!QFileInfo(kSshd).isExecutable()) {
        m_errorString = QStringLiteral("%1 not found (Debian package openssh-server)").arg(kSshd);
        return false;
    }
    if (::getpwnam("sshd") == nullptr) {
        m_errorString = QStringLiteral("no sshd account for privilege separation (Debian package openssh-server)");
        return false;
    }
    // sshd insists on a root-owned directory that only root can write to.
    if (::mkdir(kPrivsepDir, 0755) != 0 && errno != EEXIST) {
        m_errorString = QStringLiteral("cannot create %1: %2")
                            .arg(QString::fromLatin1(kPrivsepDir), QString::fromLocal8Bit(::strerror(errno)));
        return false;
    }
    m_options = options;
    if (!prepareKeys())
        return false;

    if (m_port == 0) {
        return startWithPortRetry([this](bool* portTaken) {
            m_port = 0; // startOnce() picks a fresh one
            return startOnce(portTaken);
        });
    }
    // restart(): the same port, which the old listener may hold for a moment.
    QDeadlineTimer samePortDeadline(kSamePortWaitMs);
    for (;;) {
        bool portTaken = false;
        if (startOnce(&portTaken))
            return true;
        if (!portTaken || samePortDeadline.hasExpired())
            return false;
        QThread::msleep(100);
    }
}

bool SshServer::prepareKeys()
{
    if (m_keysReady)
        return true;
    const QString keygen = QStandardPaths::findExecutable(QStringLiteral("ssh-keygen"));
    if (keygen.isEmpty()) {
        m_errorString = QStringLiteral("ssh-keygen not found on PATH (Debian package openssh-client)");
        return false;
    }
    struct KeySpec
    {
        QString file;
        QStringList typeArguments;
        QString passphrase;
    };
    const QList<KeySpec> keys{
        {kHostEd25519, {QStringLiteral("-t"), QStringLiteral("ed25519")}, {}},
        {kHostRsa, {QStringLiteral("-t"), QStringLiteral("rsa"), QStringLiteral("-b"), QStringLiteral("2048")}, {}},
        {kWrongHostEd25519, {QStringLiteral("-t"), QStringLiteral("ed25519")}, {}},
        {kClientEd25519, {QStringLiteral("-t"), QStringLiteral("ed25519")}, {}},
        {kClientEncrypted, {QStringLiteral("-t"), QStringLiteral("ed25519")}, passphrase()},
        // -m PEM: the traditional "BEGIN RSA PRIVATE KEY" form that every libssh2 reads.
        {kClientPemRsa,
         {QStringLiteral("-t"), QStringLiteral("rsa"), QStringLiteral("-b"), QStringLiteral("2048"),
          QStringLiteral("-m"), QStringLiteral("PEM")},
         {}},
        {kUnauthorized, {QStringLiteral("-t"), QStringLiteral("ed25519")}, {}},
    };
    for (const KeySpec& key : keys) {
        const QString path = m_dir.filePath(key.file);
        QFile::remove(path);
        QFile::remove(path + QStringLiteral(".pub"));
        const CommandResult result = runCommand(
            keygen,
            QStringList{QStringLiteral("-q"), QStringLiteral("-N"), key.passphrase} + key.typeArguments
                + QStringList{QStringLiteral("-C"), QStringLiteral("okh-test-") + key.file, QStringLiteral("-f"), path},
            kKeygenTimeoutMs);
        if (!result.succeeded()) {
            m_errorString = QStringLiteral("ssh-keygen for %1 failed: %2").arg(key.file, result.describe());
            return false;
        }
    }
    m_keysReady = true;
    return true;
}

bool SshServer::writeConfig()
{
    if (!QDir().mkpath(sessionHome())) {
        m_errorString = QStringLiteral("cannot create %1").arg(sessionHome());
        return false;
    }
    QByteArray authorized = readPublicKeyLine(clientPublicKey()) + '\n'
        + readPublicKeyLine(m_dir.filePath(kClientEncrypted + QStringLiteral(".pub"))) + '\n'
        + readPublicKeyLine(m_dir.filePath(kClientPemRsa + QStringLiteral(".pub"))) + '\n';
    if (!m_options.authorizedKeysExtra.isEmpty())
        authorized += m_options.authorizedKeysExtra.toUtf8().trimmed() + '\n';
    if (!writeFile(m_dir.filePath(kAuthorizedKeys), authorized, &m_errorString))
        return false;

    QStringList lines = m_options.extraConfig;
    lines << QStringLiteral("ListenAddress 127.0.0.1") << QStringLiteral("Port %1").arg(m_port)
          << QStringLiteral("HostKey %1").arg(m_dir.filePath(kHostEd25519))
          << QStringLiteral("HostKey %1").arg(m_dir.filePath(kHostRsa))
          << QStringLiteral("PidFile %1").arg(m_dir.filePath(kPidFile))
          << QStringLiteral("AuthorizedKeysFile %1").arg(m_dir.filePath(kAuthorizedKeys))
          // QTemporaryDir under /tmp: StrictModes would reject the sticky, world-writable /tmp.
          << QStringLiteral("StrictModes no") << QStringLiteral("PasswordAuthentication no")
          << QStringLiteral("KbdInteractiveAuthentication no") << QStringLiteral("PubkeyAuthentication yes")
          << QStringLiteral("HostbasedAuthentication no")
          << QStringLiteral("PermitRootLogin prohibit-password")
          // Without PAM a locked account ('!' in /etc/shadow) cannot log in even with a key.
          << QStringLiteral("UsePAM no")
          // Nothing from the account's own ~/.ssh: no rc script, no known_hosts.
          << QStringLiteral("PermitUserRC no") << QStringLiteral("IgnoreUserKnownHosts yes")
          << QStringLiteral("AllowTcpForwarding %1")
                 .arg(m_options.allowTcpForwarding ? QStringLiteral("yes") : QStringLiteral("no"))
          << QStringLiteral("PermitOpen any") << QStringLiteral("GatewayPorts no") << QStringLiteral("X11Forwarding no")
          << QStringLiteral("AllowAgentForwarding no") << QStringLiteral("PermitTunnel no")
          << QStringLiteral("PrintMotd no")
          << QStringLiteral("Subsystem sftp internal-sftp")
          // bash runs ~/.bashrc even for `ssh host command` (Debian builds it with
          // SSH_SOURCE_BASHRC); the machine's own dotfiles (a pyenv hook that takes a lock) must
          // not run, nor hang, in test sessions. SetEnv overrides the account's HOME.
          << QStringLiteral("SetEnv HOME=%1").arg(sessionHome())
          // The default 10:30:100 starts dropping unauthenticated connections at 10: too few for
          // tests that open many sessions at once.
          << QStringLiteral("MaxStartups 100") << QStringLiteral("LogLevel DEBUG1");
    if (m_options.clientAliveIntervalSeconds > 0) {
        lines << QStringLiteral("ClientAliveInterval %1").arg(m_options.clientAliveIntervalSeconds)
              << QStringLiteral("ClientAliveCountMax %1").arg(m_options.clientAliveCountMax);
    }
    if (m_options.acceptSshRsaSha1)
        lines << QStringLiteral("HostKeyAlgorithms +ssh-rsa") << QStringLiteral("PubkeyAcceptedAlgorithms +ssh-rsa");
    return writeFile(configFile(), lines.join(QLatin1Char('\n')).toUtf8() + '\n', &m_errorString);
}

bool SshServer::startOnce(bool* portTaken)
{
    if (m_port == 0)
        m_port = freePort();
    if (!writeConfig())
        return false;

    // known_hosts files name the port; the hashed one via ssh-keygen itself (-H rewrites in
    // place and keeps a .old copy).
    const QByteArray known = knownHostsLines();
    const QByteArray wrong = knownHostsLine(m_port, m_dir.filePath(kWrongHostEd25519 + QStringLiteral(".pub")));
    if (!writeFile(knownHostsFile(), known, &m_errorString) || !writeFile(hashedKnownHostsFile(), known, &m_errorString)
        || !writeFile(wrongKnownHostsFile(), wrong, &m_errorString))
        return false;
    const CommandResult hashed
        = runCommand(QStandardPaths::findExecutable(QStringLiteral("ssh-keygen")),
                     {QStringLiteral("-q"), QStringLiteral("-H"), QStringLiteral("-f"), hashedKnownHostsFile()});
    QFile::remove(hashedKnownHostsFile() + QStringLiteral(".old"));
    if (!hashed.succeeded()) {
        m_errorString = QStringLiteral("ssh-keygen -H failed: %1").arg(hashed.describe());
        return false;
    }

    const QString logPath = m_dir.filePath(kLog);
    const qint64 logOffset = QFileInfo(logPath).size(); // the log of an earlier run stays above
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardOutputFile(logPath, QIODevice::Append);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setWorkingDirectory(m_dir.path());
    // A child subreaper (prctl(2), kept across execve): what a session leaves behind when its
    // sshd process ends (a shell command still running) is re-parented to the listener instead
    // of init, so it stays in the tree that stop() and kill() end.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL); });
    // -D: no daemon, so the pid is the listener's; -E: the log file (also of every connection).
    const QStringList arguments{QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"),
                                configFile(),         QStringLiteral("-E"), logPath};
    m_process->start(kSshd, arguments);
    if (!m_process->waitForStarted(5000)) {
        m_errorString = QStringLiteral("cannot start %1: %2").arg(kSshd, m_process->errorString());
        m_process.reset();
        return false;
    }

    // Ready when this sshd has logged its bind and a connection gets its identification string
    // (RFC 4253 section 4.2); the log line tells it from another server that holds the port.
    const QString listening = QStringLiteral("Server listening on 127.0.0.1 port %1.").arg(m_port);
    QDeadlineTimer deadline(kReadyTimeoutMs);
    while (!deadline.hasExpired()) {
        if (!isRunning()) {
            const QString log = logSince(logPath, logOffset).trimmed();
            *portTaken = log.contains(QLatin1String("Address already in use"));
            m_errorString = QStringLiteral("sshd exited during start (exit code %1); log:\n%2")
                                .arg(m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1)
                                .arg(log);
            m_process.reset();
            return false;
        }
        if (logSince(logPath, logOffset).contains(listening)
            && tcpExchange(m_port, {}, 1000, 50).startsWith("SSH-2.0-"))
            return true;
        QThread::msleep(20);
    }
    m_errorString = QStringLiteral("sshd on port %1 sent no SSH-2.0 banner within %2 ms; log:\n%3")
                        .arg(m_port)
                        .arg(kReadyTimeoutMs)
                        .arg(logTail());
    kill();
    return false;
}

void SshServer::signalTree(bool crash)
{
    if (!isRunning())
        return;
    const QList<ProcStat> tree = freezeTree(m_process->processId());
    if (crash) {
        for (const ProcStat& process : tree)
            signalIfSame(process, SIGKILL);
    } else {
        // Queued while stopped, handled once continued.
        for (const ProcStat& process : tree)
            signalIfSame(process, SIGTERM);
        for (const ProcStat& process : tree)
            signalIfSame(process, SIGCONT);
    }
    if (waitAllGone(tree, kStopGrace))
        return;
    if (!crash)
        qCWarning(lcTestFixture) << "sshd processes did not end within" << kStopGrace.count()
                                 << "s of SIGTERM, killing";
    for (const ProcStat& process : tree)
        signalIfSame(process, SIGKILL);
    if (!waitAllGone(tree, kStopGrace))
        qCWarning(lcTestFixture) << "sshd processes survived SIGKILL for" << kStopGrace.count() << "s";
}

// The listener is our child: collect its exit status (QProcess reaps it), whatever ended it.
void SshServer::reapListener()
{
    if (!m_process)
        return;
    if (!m_process->waitForFinished(5000) && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_process.reset();
}

void SshServer::stop()
{
    if (!m_process)
        return;
    signalTree(false);
    reapListener();
}

void SshServer::kill()
{
    if (!m_process)
        return;
    signalTree(true);
    reapListener();
}

bool SshServer::restart()
{
    if (m_port == 0) {
        m_errorString = QStringLiteral("restart() before a successful start()");
        return false;
    }
    stop();
    return start(m_options);
}

bool SshServer::isRunning() const
{
    if (!m_process)
        return false;
    // Lets QProcess reap an ended listener without an event loop.
    m_process->waitForFinished(0);
    return m_process->state() != QProcess::NotRunning;
}

qint64 SshServer::pid() const
{
    return isRunning() ? m_process->processId() : 0;
}

QList<qint64> SshServer::connectionPids() const
{
    QList<qint64> pids;
    const qint64 listener = pid();
    if (listener == 0)
        return pids;
    QHash<qint64, QList<qint64>> children;
    for (const ProcStat& process : allProcesses()) {
        if (!isGoneOrZombie(process.state))
            children[process.parentPid] << process.pid;
    }
    QList<qint64> pending{listener};
    while (!pending.isEmpty()) {
        const QList<qint64> next = children.value(pending.takeFirst());
        pids << next;
        pending << next;
    }
    return pids;
}

QString SshServer::user() const
{
    const passwd* account = ::getpwuid(::geteuid());
    return account != nullptr ? QString::fromLocal8Bit(account->pw_name) : QStringLiteral("root");
}

QString SshServer::clientKey() const
{
    return m_dir.filePath(kClientEd25519);
}

QString SshServer::clientPublicKey() const
{
    return clientKey() + QStringLiteral(".pub");
}

QByteArray SshServer::clientPublicKeyLine() const
{
    return readPublicKeyLine(clientPublicKey());
}

QString SshServer::encryptedClientKey() const
{
    return m_dir.filePath(kClientEncrypted);
}

QString SshServer::pemRsaClientKey() const
{
    return m_dir.filePath(kClientPemRsa);
}

QString SshServer::unauthorizedClientKey() const
{
    return m_dir.filePath(kUnauthorized);
}

QString SshServer::knownHostsFile() const
{
    return m_dir.filePath(kKnownHosts);
}

QString SshServer::hashedKnownHostsFile() const
{
    return m_dir.filePath(kKnownHostsHashed);
}

QString SshServer::wrongKnownHostsFile() const
{
    return m_dir.filePath(kKnownHostsWrong);
}

QByteArray SshServer::knownHostsLines() const
{
    if (m_port == 0)
        return {};
    return knownHostsLine(m_port, hostPublicKey()) + knownHostsLine(m_port, rsaHostPublicKey());
}

QString SshServer::hostPublicKey() const
{
    return m_dir.filePath(kHostEd25519 + QStringLiteral(".pub"));
}

QString SshServer::rsaHostPublicKey() const
{
    return m_dir.filePath(kHostRsa + QStringLiteral(".pub"));
}

QString SshServer::hostKeySha256Fingerprint() const
{
    return sha256Fingerprint(hostPublicKey());
}

QString SshServer::rsaHostKeySha256Fingerprint() const
{
    return sha256Fingerprint(rsaHostPublicKey());
}

QString SshServer::sessionHome() const
{
    return m_dir.filePath(QStringLiteral("home"));
}

QString SshServer::configFile() const
{
    return m_dir.filePath(kConfig);
}

QString SshServer::logTail(int maxLines) const
{
    // sshd -e ends its lines with "\r\n" (log.c), also when -E sends them to the file.
    return fileTail(m_dir.filePath(kLog), maxLines).remove(QLatin1Char('\r'));
}

bool SshServer::writeKnownHosts(const QString& filePath, const QList<const SshServer*>& servers, QString* error)
{
    QString ignored;
    QString* message = error != nullptr ? error : &ignored;
    QByteArray content;
    for (const SshServer* server : servers) {
        const QByteArray lines = server->knownHostsLines();
        if (lines.isEmpty()) {
            *message = QStringLiteral("server in %1 has no port or host key yet").arg(server->directory());
            return false;
        }
        content += lines;
    }
    return writeFile(filePath, content, message);
}

} // namespace okh::test
