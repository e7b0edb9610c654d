#include "SshServer.h"
#include "TestSupport.h"
#include "config/DeploymentFile.h"
#include "config/DeploymentLoader.h"
#include "editor/ConnectionTester.h"
#include "editor/DeploymentDraft.h"
#include "editor/DeploymentEditor.h"
#include "editor/FieldEditor.h"
#include "model/DeploymentModel.h"
#include "settings/AppSettings.h"
#include "translations/Catalogues.h"
#include "window/DeploymentEditing.h"
#include "window/MainWindow.h"
#include "window/RecentFiles.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace okh;
using Node = DeploymentDraft::Node;

Q_DECLARE_METATYPE(okh::DeploymentDraft::Node)

namespace {

bool waitValidated(const DeploymentDraft& draft)
{
    return test::spinUntil([&] { return draft.isValidated(); }, 5000);
}

// The loader's own verdict on the draft's JSON: what the editor must show.
std::optional<ConfigError> loaderError(const DeploymentDraft& draft)
{
    const QByteArray json = QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                                      {QStringLiteral("deployments"), QJsonArray{draft.json()}}})
                                .toJson();
    const auto result = DeploymentFile::parse(json, DeploymentDraft::fileNameForMessages());
    if (const auto* error = std::get_if<ConfigError>(&result))
        return *error;
    return std::nullopt;
}

DeploymentFile::Result loadNow(const QString& path)
{
    return DeploymentLoader::loadNow(path);
}

} // namespace

// The deployment editor (offscreen): a draft from the openklant profile is valid; an edit the
// loader refuses shows the loader's message under the field it names, disables Save and never
// writes; a saved file loads to the same spec; in the window, saving restarts only the edited
// deployment and keeps the file's other deployments as they were.
class TestDeploymentEditor : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        installTranslations(QStringLiteral("en")); // plural forms as the app shows them
        QSettings().clear();
        RecentFiles::clear();
        QFile::remove(MainWindow::historyPath());
    }
    void cleanupTestCase() { QSettings().clear(); }

    void nodeOf_data()
    {
        QTest::addColumn<QString>("keyPath");
        QTest::addColumn<Node>("node");
        QTest::addColumn<QString>("key");
        QTest::newRow("deployment key") << QStringLiteral("deployments[0].name") << Node{} << QStringLiteral("name");
        QTest::newRow("connection") << QStringLiteral("deployments[0].connection.host") << Node{}
                                    << QStringLiteral("connection.host");
        QTest::newRow("jump host") << QStringLiteral("deployments[0].connection.jumps[1].port") << Node{}
                                   << QStringLiteral("connection.jumps");
        QTest::newRow("service") << QStringLiteral("deployments[0].services[3].kind") << Node{3, -1}
                                 << QStringLiteral("kind");
        QTest::newRow("check") << QStringLiteral("deployments[0].services[2].checks[11].timeout") << Node{2, 11}
                               << QStringLiteral("timeout");
        QTest::newRow("worker") << QStringLiteral("deployments[0].services[0].checks[0].workers[0]") << Node{0, 0}
                                << QStringLiteral("workers");
        QTest::newRow("object itself") << QStringLiteral("deployments[0].services[1].checks[0]") << Node{1, 0}
                                       << QString();
        QTest::newRow("syntax error") << QString() << Node{} << QString();
    }
    void nodeOf()
    {
        QFETCH(QString, keyPath);
        QFETCH(Node, node);
        QFETCH(QString, key);
        QString actualKey;
        QCOMPARE(DeploymentDraft::nodeOf(keyPath, &actualKey), node);
        QCOMPARE(actualKey, key);
    }

    void profileDraftIsValid()
    {
        DeploymentDraft* draft = DeploymentDraft::fromOpenKlantProfile(QStringLiteral("new"));
        std::unique_ptr<DeploymentDraft> owner(draft);
        QVERIFY(waitValidated(*draft));
        QVERIFY2(!draft->error(), qPrintable(draft->error() ? draft->error()->toString() : QString()));
        QVERIFY(draft->serviceCount() >= 6);
        QVERIFY(!draft->json().contains(QStringLiteral("profile"))); // every check spelled out
    }

    // One source of truth: the message under the field is the loader's, for the key it names.
    void inlineErrorIsTheLoadersMessage_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("fieldShowingIt");
        QTest::newRow("timeout") << QStringLiteral("timeout") << QJsonValue(QStringLiteral("abc"))
                                 << QStringLiteral("timeout");
        QTest::newRow("role") << QStringLiteral("role") << QJsonValue(QStringLiteral("livenes"))
                              << QStringLiteral("role");
        QTest::newRow("threshold") << QStringLiteral("failureThreshold") << QJsonValue(0)
                                   << QStringLiteral("failureThreshold");
        QTest::newRow("url") << QStringLiteral("url") << QJsonValue(QStringLiteral("ftp://web/"))
                             << QStringLiteral("url");
        QTest::newRow("name") << QStringLiteral("name") << QJsonValue(QStringLiteral("has space"))
                              << QStringLiteral("name");
    }
    void inlineErrorIsTheLoadersMessage()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, fieldShowingIt);
        DeploymentEditor editor(DeploymentDraft::fromOpenKlantProfile(QStringLiteral("edit")), {});
        DeploymentDraft& draft = editor.draft();
        QVERIFY(waitValidated(draft));
        // The first http check of the first service (web's).
        Node check{0, 0};
        QCOMPARE(draft.value(check, QStringLiteral("type")).toString(), QStringLiteral("http"));
        editor.select(check);
        draft.setValue(check, key, value);
        QVERIFY(!editor.saveButton()->isEnabled()); // not before this edit is validated
        QVERIFY(waitValidated(draft));
        const auto expected = loaderError(draft);
        QVERIFY2(expected, "the loader refuses the edit");
        QVERIFY(draft.error());
        QCOMPARE(draft.error()->message, expected->message);
        FieldEditor* field = editor.fieldEditor(fieldShowingIt);
        QVERIFY(field);
        QCOMPARE(field->error(), expected->message);
        QVERIFY2(editor.statusText().endsWith(expected->message), qPrintable(editor.statusText()));
        QVERIFY(!editor.saveButton()->isEnabled());
        // Saving anyway writes nothing.
        const QString path = m_dir.filePath(QStringLiteral("never.json"));
        editor.saveTo(path);
        QTest::qWait(100);
        QVERIFY(!QFile::exists(path));
    }

    void typeChangeKeepsOnlyTheNewTypesKeys()
    {
        std::unique_ptr<DeploymentDraft> draft(DeploymentDraft::fromOpenKlantProfile(QStringLiteral("t")));
        const Node check{0, 0};
        QVERIFY(draft->value(check, QStringLiteral("url")).isString());
        draft->setCheckType(check, QStringLiteral("tcp"));
        QVERIFY(draft->value(check, QStringLiteral("url")).isUndefined());
        draft->setValue(check, QStringLiteral("host"), QStringLiteral("web"));
        draft->setValue(check, QStringLiteral("port"), 8000);
        QVERIFY(waitValidated(*draft));
        QVERIFY2(!draft->error(), qPrintable(draft->error() ? draft->error()->toString() : QString()));
        QCOMPARE(draft->spec()->services.at(0).checks.at(0).typeKey(), QStringLiteral("tcp"));
    }

    // Add Check gives the new check the Preferences' interval and timeout.
    void addCheckTakesTheSettingsTimings()
    {
        AppSettings::instance().setValue(AppSettings::Key::CheckIntervalSeconds, 30);
        AppSettings::instance().setValue(AppSettings::Key::CheckTimeoutSeconds, 5);
        DeploymentEditor editor(DeploymentDraft::fromOpenKlantProfile(QStringLiteral("timings")), {});
        DeploymentDraft& draft = editor.draft();
        editor.select({1, -1});
        const int before = draft.checkCount(1);
        const QList<QPushButton*> buttons = editor.findChildren<QPushButton*>();
        const auto add = std::find_if(buttons.begin(), buttons.end(),
                                      [](QPushButton* b) { return b->text() == QStringLiteral("Add &Check"); });
        QVERIFY(add != buttons.end());
        (*add)->click();
        QCOMPARE(draft.checkCount(1), before + 1);
        const Node added{1, before};
        QCOMPARE(draft.value(added, QStringLiteral("interval")).toString(), QStringLiteral("30s"));
        QCOMPARE(draft.value(added, QStringLiteral("timeout")).toString(), QStringLiteral("5s"));
        AppSettings::instance().reset(AppSettings::Key::CheckIntervalSeconds);
        AppSettings::instance().reset(AppSettings::Key::CheckTimeoutSeconds);
        const Node plain = draft.addCheck(1);
        QVERIFY(draft.value(plain, QStringLiteral("interval")).isUndefined()); // the format's default
    }

    void savedFileLoadsToTheSameSpec()
    {
        DeploymentEditor editor(DeploymentDraft::fromOpenKlantProfile(QStringLiteral("saved")), {});
        DeploymentDraft& draft = editor.draft();
        const Node service = draft.addService();
        draft.setValue(service, QStringLiteral("name"), QStringLiteral("extra"));
        const Node check = draft.addCheck(service.service);
        draft.setValue(check, QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        draft.setValue(check, QStringLiteral("port"), 9);
        draft.setValue(check, QStringLiteral("interval"), QStringLiteral("30s"));
        QVERIFY(waitValidated(draft));
        QVERIFY2(!draft.error(), qPrintable(draft.error() ? draft.error()->toString() : QString()));
        QVERIFY(editor.saveButton()->isEnabled());
        // The tree shows the new service and check.
        QTreeWidgetItem* root = editor.tree()->topLevelItem(0);
        QCOMPARE(root->child(service.service)->text(0), QStringLiteral("extra"));
        QCOMPARE(root->child(service.service)->child(0)->text(0), QStringLiteral("check-1 (tcp)"));

        const QString path = m_dir.filePath(QStringLiteral("sub/saved.json"));
        QSignalSpy saved(&editor, &DeploymentEditor::saved);
        editor.saveTo(path);
        QVERIFY(saved.wait(5000));
        QCOMPARE(saved.first().at(0).toString(), path);
        const auto loaded = loadNow(path);
        QVERIFY(std::holds_alternative<DeploymentFile>(loaded));
        QVERIFY(std::get<DeploymentFile>(loaded).deployments == QList<DeploymentSpec>{*draft.spec()});
    }

    // In the window: Edit Deployment on one of two deployments of a file, a change saved.
    void windowAppliesTheSave()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const auto deployment = [&](const char* name) {
            return QJsonObject{
                {QStringLiteral("name"), QLatin1String(name)},
                {QStringLiteral("connection"), QJsonObject{{QStringLiteral("type"), QStringLiteral("direct")}}},
                {QStringLiteral("services"),
                 QJsonArray{
                     QJsonObject{{QStringLiteral("name"), QStringLiteral("web")},
                                 {QStringLiteral("kind"), QStringLiteral("web")},
                                 {QStringLiteral("checks"),
                                  QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("port")},
                                                         {QStringLiteral("type"), QStringLiteral("tcp")},
                                                         {QStringLiteral("role"), QStringLiteral("readiness")},
                                                         {QStringLiteral("interval"), QStringLiteral("200ms")},
                                                         {QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                                                         {QStringLiteral("port"), int(server.serverPort())}}}}}}}};
        };
        const QString path = m_dir.filePath(QStringLiteral("two.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                             {QStringLiteral("deployments"),
                                              QJsonArray{deployment("first"), deployment("second")}}})
                       .toJson());
        file.close();

        auto* window = new MainWindow;
        window->setAttribute(Qt::WA_DeleteOnClose);
        QSignalSpy opened(window, &MainWindow::deploymentsOpened);
        window->open({path});
        QVERIFY(opened.wait(5000));
        const auto status = [&](const char* name) {
            return ProbeStatus(window->model()
                                   .serviceIndex(QLatin1String(name), QStringLiteral("web"))
                                   .data(DeploymentModel::StatusRole)
                                   .toInt());
        };
        QVERIFY(test::spinUntil([&] { return status("first") == ProbeStatus::Healthy; }, 5000));
        QVERIFY(test::spinUntil([&] { return status("second") == ProbeStatus::Healthy; }, 5000));

        DeploymentEditor* editor = window->editing().edit(QStringLiteral("second"));
        QVERIFY(editor);
        QCOMPARE(window->editing().edit(QStringLiteral("second")), editor); // one editor per deployment
        DeploymentDraft& draft = editor->draft();
        draft.setValue({0, 0}, QStringLiteral("port"), 1); // nothing listens there
        QVERIFY(waitValidated(draft));
        QVERIFY(editor->saveButton()->isEnabled());
        editor->saveButton()->click();
        QVERIFY(test::spinUntil([&] { return status("second") == ProbeStatus::Unhealthy; }, 8000));
        // The other deployment kept its state (never reset to unknown) and its place in the file.
        QCOMPARE(status("first"), ProbeStatus::Healthy);
        const auto reloaded = loadNow(path);
        QVERIFY(std::holds_alternative<DeploymentFile>(reloaded));
        const DeploymentFile& saved = std::get<DeploymentFile>(reloaded);
        QCOMPARE(saved.names(), (QStringList{QStringLiteral("first"), QStringLiteral("second")}));
        QCOMPARE(std::get<TcpTarget>(saved.deployments.at(1).services.at(0).checks.at(0).target).port, quint16(1));
        QCOMPARE(std::get<TcpTarget>(saved.deployments.at(0).services.at(0).checks.at(0).target).port,
                 server.serverPort());

        QPointer<MainWindow> alive(window);
        window->close();
        QVERIFY(test::spinUntil([&] { return alive.isNull(); }, 10000));
    }

    // Test Connection on an SSH deployment, against a real sshd: the login and the host key's
    // fingerprint; then with an empty known_hosts file, the refusal and the offered key.
    void testConnection()
    {
        test::SshServer ssh;
        QVERIFY2(ssh.start(), qPrintable(ssh.errorString()));
        const QString emptyKnownHosts = m_dir.filePath(QStringLiteral("known_hosts_empty"));
        QFile empty(emptyKnownHosts);
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        const QJsonObject deployment{
            {QStringLiteral("name"), QStringLiteral("remote")},
            {QStringLiteral("connection"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("ssh")},
                         {QStringLiteral("host"), ssh.host()},
                         {QStringLiteral("port"), int(ssh.port())},
                         {QStringLiteral("user"), ssh.user()},
                         {QStringLiteral("identityFiles"), QJsonArray{ssh.clientKey()}},
                         {QStringLiteral("useAgent"), false},
                         {QStringLiteral("knownHostsFile"), ssh.knownHostsFile()},
                         {QStringLiteral("sshConfig"), QStringLiteral("none")}}},
            {QStringLiteral("services"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("web")},
                                    {QStringLiteral("kind"), QStringLiteral("web")},
                                    {QStringLiteral("checks"),
                                     QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("port")},
                                                            {QStringLiteral("type"), QStringLiteral("tcp")},
                                                            {QStringLiteral("role"), QStringLiteral("readiness")},
                                                            {QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                                                            {QStringLiteral("port"), 8000}}}}}}}};
        DeploymentEditor editor(new DeploymentDraft(deployment, {}), {});
        editor.resize(960, 640);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(waitValidated(editor.draft()));
        QVERIFY2(!editor.draft().error(),
                 qPrintable(editor.draft().error() ? editor.draft().error()->toString() : QString()));
        editor.select({});
        const auto button = [&editor] { return editor.connectionTester()->button(); };
        QVERIFY(editor.connectionTester());
        QSignalSpy tested(editor.connectionTester(), &ConnectionTester::tested);
        button()->click();
        QVERIFY(tested.wait(30000));
        QVERIFY2(tested.last().at(0).toBool(), qPrintable(tested.last().at(1).toString()));
        QVERIFY2(tested.last().at(1).toString().contains(ssh.hostKeySha256Fingerprint()),
                 qPrintable(tested.last().at(1).toString()));
        QVERIFY(QDir().mkpath(QStringLiteral(OKHEALTH_SCREENSHOT_DIR)));
        QVERIFY(editor.grab().save(QStringLiteral(OKHEALTH_SCREENSHOT_DIR "/editor-test-connection-en.png")));

        editor.draft().setValue({}, QStringLiteral("connection.knownHostsFile"), emptyKnownHosts);
        QVERIFY(waitValidated(editor.draft()));
        QSignalSpy testedAgain(editor.connectionTester(), &ConnectionTester::tested);
        button()->click();
        QVERIFY(testedAgain.wait(30000));
        QVERIFY(!testedAgain.last().at(0).toBool());
        const QString refused = testedAgain.last().at(1).toString();
        QVERIFY2(refused.startsWith(QStringLiteral("⚠ ")) && refused.contains(ssh.hostKeySha256Fingerprint()),
                 qPrintable(refused));
        QFile after(emptyKnownHosts);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), QByteArray()); // reported, not trusted
    }

    // For docs/desktop.md and a look: an inline error, in English and in Dutch.
    void screenshots_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << QStringLiteral("en");
        QTest::newRow("nl") << QStringLiteral("nl");
    }
    void screenshots()
    {
        QFETCH(QString, language);
        if (language == QLatin1String("nl"))
            installTranslations(language); // ours and Qt's own (Save, Cancel); the last row
        DeploymentEditor editor(DeploymentDraft::fromOpenKlantProfile(QStringLiteral("openklant")), {});
        editor.resize(960, 640);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        const Node check{0, 0};
        editor.select(check);
        editor.draft().setValue(check, QStringLiteral("timeout"), QStringLiteral("5 seconds"));
        editor.fieldEditor(QStringLiteral("timeout"))->setValue(QStringLiteral("5 seconds"));
        QVERIFY(waitValidated(editor.draft()));
        QVERIFY(!editor.fieldEditor(QStringLiteral("timeout"))->error().isEmpty());
        QVERIFY(QDir().mkpath(QStringLiteral(OKHEALTH_SCREENSHOT_DIR)));
        QVERIFY(
            editor.grab().save(QStringLiteral(OKHEALTH_SCREENSHOT_DIR "/editor-inline-error-%1.png").arg(language)));
    }
};

QTEST_MAIN(TestDeploymentEditor)
#include "tst_deploymenteditor.moc"
