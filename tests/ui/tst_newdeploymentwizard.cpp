#include "TestSupport.h"
#include "config/DeploymentFile.h"
#include "editor/DeploymentDraft.h"
#include "editor/DeploymentEditor.h"
#include "editor/NewDeploymentWizard.h"
#include "translations/Catalogues.h"
#include "window/DeploymentEditing.h"
#include "window/MainWindow.h"
#include "window/RecentFiles.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace okh;

namespace {

bool validated(NewDeploymentWizard& wizard)
{
    return test::spinUntil([&] { return wizard.draft().isValidated(); }, 5000);
}

const ServiceSpec* service(const DeploymentSpec& spec, const QString& name)
{
    for (const ServiceSpec& s : spec.services) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

} // namespace

// File → New Deployment's wizard (offscreen): the pages fill the openklant profile; what they
// say is validated by the loader, whose message the last page shows and which alone allows
// Finish; finishing opens the editor on the deployment, every check spelled out.
class TestNewDeploymentWizard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        installTranslations(QStringLiteral("en"));
        QSettings().clear();
        RecentFiles::clear();
    }
    void cleanupTestCase() { QSettings().clear(); }

    void pagesFillTheProfile()
    {
        NewDeploymentWizard wizard({});
        wizard.field(QStringLiteral("name"))->setText(QStringLiteral("acceptance"));
        wizard.field(QStringLiteral("web.host"))->setText(QStringLiteral("10.0.0.5"));
        wizard.field(QStringLiteral("web.port"))->setText(QStringLiteral("8001"));
        wizard.field(QStringLiteral("redis.url"))->setText(QStringLiteral("redis://10.0.0.6:6379/1"));
        wizard.field(QStringLiteral("celery.workerName"))->setText(QStringLiteral("celery@8c2f0e1a9b7d"));
        QVERIFY(validated(wizard));
        QVERIFY2(wizard.isValid(), qPrintable(wizard.verdict()));
        QVERIFY2(wizard.verdict().startsWith(QStringLiteral("✓ Valid: 6 services, ")), qPrintable(wizard.verdict()));
        const DeploymentSpec& spec = *wizard.draft().spec();
        QCOMPARE(spec.name, QStringLiteral("acceptance"));
        const auto& web = std::get<HttpTarget>(service(spec, QStringLiteral("web"))->checks.first().target);
        QCOMPARE(web.url.host(), QStringLiteral("10.0.0.5"));
        QCOMPARE(web.url.port(), 8001);
        const ServiceSpec* celery = service(spec, QStringLiteral("celery"));
        QVERIFY(celery);
        bool pinged = false;
        for (const CheckSpec& check : celery->checks) {
            if (const auto* ping = std::get_if<CeleryPingTarget>(&check.target)) {
                pinged = true;
                QCOMPARE(ping->workers, QStringList{QStringLiteral("celery@8c2f0e1a9b7d")});
                QCOMPARE(ping->broker.host, QStringLiteral("10.0.0.6")); // the broker defaults to redis
                QCOMPARE(ping->broker.db, 1);
            }
        }
        QVERIFY(pinged);
    }

    // The last page shows the loader's message and keeps Finish off.
    void verdictIsTheLoaders_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::newRow("port") << QStringLiteral("web.port") << QStringLiteral("99999");
        QTest::newRow("worker name") << QStringLiteral("celery.workerName") << QStringLiteral("docker");
        QTest::newRow("redis url") << QStringLiteral("redis.url") << QStringLiteral("http://redis/");
        QTest::newRow("name") << QStringLiteral("name") << QStringLiteral("has space");
    }
    void verdictIsTheLoaders()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        NewDeploymentWizard wizard({});
        wizard.field(key)->setText(value);
        QVERIFY(validated(wizard));
        QVERIFY(!wizard.isValid());
        const QByteArray json
            = QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                        {QStringLiteral("deployments"), QJsonArray{wizard.draft().json()}}})
                  .toJson();
        const auto loaded = DeploymentFile::parse(json, DeploymentDraft::fileNameForMessages());
        const auto* error = std::get_if<ConfigError>(&loaded);
        QVERIFY(error);
        QVERIFY2(wizard.verdict().endsWith(error->message), qPrintable(wizard.verdict()));
        QVERIFY(wizard.verdict().startsWith(QStringLiteral("⚠ ")));
        QVERIFY(!wizard.page(NewDeploymentWizard::ReviewPage)->isComplete());
    }

    void sshConnection()
    {
        NewDeploymentWizard wizard({});
        wizard.connectionType()->setCurrentIndex(1);
        wizard.field(QStringLiteral("ssh.host"))->setText(QStringLiteral("app.internal"));
        wizard.field(QStringLiteral("ssh.user"))->setText(QStringLiteral("deploy"));
        wizard.field(QStringLiteral("ssh.jump"))->setText(QStringLiteral("jump@bastion.example.org:2222"));
        QVERIFY(validated(wizard));
        QVERIFY2(wizard.isValid(), qPrintable(wizard.verdict()));
        const SshSpec& ssh = wizard.draft().spec()->connection.ssh;
        QCOMPARE(ssh.target.host, QStringLiteral("app.internal"));
        QCOMPARE(ssh.target.user, QStringLiteral("deploy"));
        QCOMPARE(ssh.jumps.size(), 1);
        QCOMPARE(ssh.jumps.first().host, QStringLiteral("bastion.example.org"));
        QCOMPARE(ssh.jumps.first().port, quint16(2222));
        QCOMPARE(ssh.jumps.first().user, QStringLiteral("jump"));
    }

    // From the window: File → New Deployment, Finish, and the editor with the deployment.
    void finishOpensTheEditor()
    {
        MainWindow window;
        NewDeploymentWizard* wizard = window.editing().newDeployment();
        QVERIFY(wizard);
        QCOMPARE(window.editing().newDeployment(), wizard); // one at a time
        QVERIFY(validated(*wizard));
        QVERIFY2(wizard->isValid(), qPrintable(wizard->verdict()));
        wizard->accept();
        DeploymentEditor* editor = nullptr;
        QVERIFY(test::spinUntil([&] { return (editor = window.findChild<DeploymentEditor*>()) != nullptr; }, 2000));
        QVERIFY(test::spinUntil([&] { return editor->draft().isValidated(); }, 5000));
        QVERIFY(!editor->draft().error());
        QCOMPARE(editor->draft().serviceCount(), 6);
        QVERIFY(!editor->draft().json().contains(QStringLiteral("profile"))); // spelled out
    }

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
            installTranslations(language); // the last row
        NewDeploymentWizard wizard({});
        wizard.setWizardStyle(QWizard::ClassicStyle);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.connectionType()->setCurrentIndex(1);
        wizard.field(QStringLiteral("ssh.host"))->setText(QStringLiteral("app.internal"));
        wizard.field(QStringLiteral("ssh.user"))->setText(QStringLiteral("deploy"));
        QVERIFY(validated(wizard));
        QVERIFY(QDir().mkpath(QStringLiteral(OKHEALTH_SCREENSHOT_DIR)));
        QVERIFY(wizard.grab().save(QStringLiteral(OKHEALTH_SCREENSHOT_DIR "/wizard-connection-%1.png").arg(language)));
        wizard.next();
        wizard.next();
        wizard.field(QStringLiteral("celery.workerName"))->setText(QStringLiteral("docker"));
        wizard.next();
        QVERIFY(validated(wizard));
        QTest::qWait(50);
        QVERIFY(wizard.grab().save(QStringLiteral(OKHEALTH_SCREENSHOT_DIR "/wizard-review-%1.png").arg(language)));
    }
};

QTEST_MAIN(TestNewDeploymentWizard)
#include "tst_newdeploymentwizard.moc"
