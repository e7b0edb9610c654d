#include "SshServer.h"
#include "TestSupport.h"
#include "model/DeploymentModel.h"
#include "overview/DeploymentPage.h"
#include "overview/OverviewView.h"
#include "ssh/HostKeyDialog.h"
#include "ssh/PassphraseDialog.h"
#include "ssh/SshPrompts.h"
#include "window/MainWindow.h"
#include "window/RecentFiles.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;

// The desktop app's SSH questions on a real OpenSSH server: an unknown host key opens the trust
// dialog with the fingerprint OpenSSH prints, and trusting adds exactly that key and connects;
// a changed key gets a warning, is never offered for trust and known_hosts stays as it was; a
// locked key's passphrase is asked for, again when wrong, and never lands in a file. Until
// then the deployment is unreachable and its checks unknown, never unhealthy.
class TestSshPrompts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QFile::remove(MainWindow::historyPath());
        RecentFiles::clear();
        QVERIFY2(m_ssh.start(), qPrintable(m_ssh.errorString()));
    }

    // A failed test leaves its window open: close it, so the next one can have the history.
    void cleanup()
    {
        if (m_window)
            closeWindow(m_window);
    }

    void unknownKeyTrustedAddsExactlyThatKey()
    {
        const QString knownHosts = m_dir.filePath(QStringLiteral("unknown/known_hosts"));
        MainWindow* window = openWindow(deployment(knownHosts, m_ssh.clientKey()));
        QVERIFY(window);
        QVERIFY2(test::spinUntil([&] { return window->sshPrompts().hostKeyDialog() != nullptr; }, 15'000),
                 "the trust dialog opens");
        HostKeyDialog* dialog = window->sshPrompts().hostKeyDialog();
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->fingerprintText(), m_ssh.hostKeySha256Fingerprint());
        QCOMPARE(dialog->deployment(), QStringLiteral("remote"));
        QCOMPARE(dialog->key().knownHostsFile, knownHosts);
        QVERIFY(dialog->declineButton()->isDefault()); // Enter does not trust
        QVERIFY(!QFile::exists(knownHosts));
        screenshot(*dialog, QStringLiteral("ssh-unknown-host-key"));
        QVERIFY(test::spinUntil([&] { return notUnhealthy(*window); }, 2000)); // the next batch says so

        const QByteArray line = dialog->key().knownHostsLine;
        dialog->trustButton()->click();
        const QModelIndex remote = window->model().deploymentIndex(QStringLiteral("remote"));
        QVERIFY2(test::spinUntil([&] { return remote.data(DeploymentModel::ReachableRole).toBool(); }, 10'000),
                 "connects once trusted");
        QFile written(knownHosts);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), line + '\n');
        QVERIFY2(test::spinUntil([&] { return status(*window) == ProbeStatus::Healthy; }, 10'000), "checks pass");
        QVERIFY(closeWindow(window));
    }

    void changedKeyIsRefused()
    {
        const QString knownHosts = m_dir.filePath(QStringLiteral("changed_known_hosts"));
        QVERIFY(QFile::copy(m_ssh.wrongKnownHostsFile(), knownHosts));
        QFile file(knownHosts);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray before = file.readAll();
        file.close();
        MainWindow* window = openWindow(deployment(knownHosts, m_ssh.clientKey()));
        QVERIFY(window);
        QVERIFY2(test::spinUntil([&] { return window->sshPrompts().warning() != nullptr; }, 15'000), "a warning");
        QMessageBox* warning = window->sshPrompts().warning();
        QVERIFY2(warning->text().contains(QStringLiteral("different host key")), qPrintable(warning->text()));
        QVERIFY(warning->informativeText().contains(m_ssh.hostKeySha256Fingerprint()));
        QCOMPARE(warning->buttons().size(), 1); // nothing to trust it with
        screenshot(*warning, QStringLiteral("ssh-changed-host-key"));
        QTest::qWait(1500); // a retry or two: still no trust dialog
        QVERIFY(!window->sshPrompts().hostKeyDialog());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before);
        DeploymentPage* page = window->overview().pages().value(0);
        QVERIFY2(page->causeText().startsWith(QStringLiteral("cannot reach deployment: HOST KEY CHANGED")),
                 qPrintable(page->causeText()));
        QVERIFY(notUnhealthy(*window));
        QVERIFY(closeWindow(window));
    }

    void passphraseAskedAgainWhenWrong()
    {
        MainWindow* window = openWindow(deployment(m_ssh.knownHostsFile(), m_ssh.encryptedClientKey()));
        QVERIFY(window);
        SshPrompts& prompts = window->sshPrompts();
        QVERIFY2(test::spinUntil([&] { return prompts.passphraseDialog() != nullptr; }, 15'000), "asked");
        QPointer<PassphraseDialog> first = prompts.passphraseDialog();
        QCOMPARE(first->keyFile(), m_ssh.encryptedClientKey());
        QVERIFY2(first->message().contains(QStringLiteral("protected by a passphrase")), qPrintable(first->message()));
        QCOMPARE(first->passphraseEdit()->echoMode(), QLineEdit::Password);
        screenshot(*first, QStringLiteral("ssh-passphrase"));
        QTest::keyClicks(first->passphraseEdit(), QStringLiteral("not it"));
        first->accept();
        QVERIFY2(
            test::spinUntil([&] { return prompts.passphraseDialog() && prompts.passphraseDialog() != first; }, 15'000),
            "asked again");
        PassphraseDialog* again = prompts.passphraseDialog();
        QVERIFY2(again->message().contains(QStringLiteral("did not unlock")), qPrintable(again->message()));
        QTest::keyClicks(again->passphraseEdit(), m_ssh.passphrase());
        again->accept();
        const QModelIndex remote = window->model().deploymentIndex(QStringLiteral("remote"));
        QVERIFY2(test::spinUntil([&] { return remote.data(DeploymentModel::ReachableRole).toBool(); }, 10'000),
                 "connects with the right passphrase");
        QVERIFY(closeWindow(window));
        QSettings settings;
        settings.sync();
        QFile stored(settings.fileName());
        QVERIFY(stored.open(QIODevice::ReadOnly));
        QVERIFY(!stored.readAll().contains(m_ssh.passphrase().toUtf8()));
    }

private:
    QString deployment(const QString& knownHosts, const QString& key)
    {
        const QJsonObject check{{QStringLiteral("name"), QStringLiteral("port")},
                                {QStringLiteral("type"), QStringLiteral("tcp")},
                                {QStringLiteral("role"), QStringLiteral("readiness")},
                                {QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                                {QStringLiteral("port"), m_ssh.port()},
                                {QStringLiteral("interval"), QStringLiteral("300ms")},
                                {QStringLiteral("timeout"), QStringLiteral("2s")}};
        const QJsonObject service{{QStringLiteral("name"), QStringLiteral("gateway")},
                                  {QStringLiteral("kind"), QStringLiteral("nginx")},
                                  {QStringLiteral("checks"), QJsonArray{check}}};
        const QJsonObject connection{{QStringLiteral("type"), QStringLiteral("ssh")},
                                     {QStringLiteral("host"), m_ssh.host()},
                                     {QStringLiteral("port"), m_ssh.port()},
                                     {QStringLiteral("user"), m_ssh.user()},
                                     {QStringLiteral("identityFiles"), QJsonArray{key}},
                                     {QStringLiteral("useAgent"), false},
                                     {QStringLiteral("knownHostsFile"), knownHosts},
                                     {QStringLiteral("hostKeyPolicy"), QStringLiteral("strict")}};
        const QJsonObject d{{QStringLiteral("name"), QStringLiteral("remote")},
                            {QStringLiteral("connection"), connection},
                            {QStringLiteral("services"), QJsonArray{service}}};
        const QByteArray json
            = QJsonDocument(QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("deployments"), QJsonArray{d}}})
                  .toJson();
        const QString path = m_dir.filePath(QStringLiteral("deployment-%1.json").arg(++m_files));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(json) != json.size())
            return {};
        return path;
    }

    MainWindow* openWindow(const QString& file)
    {
        auto* window = new MainWindow;
        m_window = window;
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->show();
        window->open({file});
        if (!test::spinUntil([&] { return window->model().rowCount() == 1; }, 5000)) {
            delete window;
            return nullptr;
        }
        return window;
    }

    static bool closeWindow(MainWindow* window)
    {
        QPointer<MainWindow> alive(window);
        window->close();
        return test::spinUntil([&] { return alive.isNull(); }, 10'000);
    }

    static ProbeStatus status(const MainWindow& window)
    {
        const QModelIndex gateway = window.model().serviceIndex(QStringLiteral("remote"), QStringLiteral("gateway"));
        return ProbeStatus(gateway.data(DeploymentModel::StatusRole).toInt());
    }

    // The monitor's own trouble: unknown, never the service's failure.
    static bool notUnhealthy(const MainWindow& window)
    {
        const QModelIndex remote = window.model().deploymentIndex(QStringLiteral("remote"));
        return !remote.data(DeploymentModel::ReachableRole).toBool() && status(window) == ProbeStatus::Unknown;
    }

    static void screenshot(QWidget& widget, const QString& name)
    {
        const QString dir = QStringLiteral(OKHEALTH_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        QVERIFY(widget.grab().save(dir + u'/' + name + QStringLiteral(".png")));
    }

    test::SshServer m_ssh;
    QTemporaryDir m_dir;
    int m_files = 0;
    QPointer<MainWindow> m_window;
};

QTEST_MAIN(TestSshPrompts)
#include "tst_sshprompts.moc"
