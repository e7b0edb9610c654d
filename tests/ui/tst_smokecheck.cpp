#include "TestSupport.h"
#include "model/DeploymentModel.h"
#include "smoke/SmokeCheckDialog.h"
#include "smoke/SmokeReportModel.h"
#include "standin/StandinDeployment.h"
#include "window/MainWindow.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>
#include <memory>

using namespace okh;

// Run Smoke Check in the real main window on the stand-in's real servers: all healthy; redis
// stopped → redis's row first and failed, web's because of it; the JUnit export has one
// testcase per check; with "wait until ready", the check waits while redis is down and passes
// once it is back.
class TestSmokeCheck : public QObject
{
    Q_OBJECT

    std::unique_ptr<standin::StandinDeployment> m_standin;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;

    SmokeCheckDialog* runAndWait(bool waitReady = false, const std::function<void()>& whileWaiting = {})
    {
        SmokeCheckDialog* dialog = m_window->openSmokeCheck(QStringLiteral("standin"));
        if (!dialog)
            return nullptr;
        QSignalSpy finished(dialog, &SmokeCheckDialog::finished);
        // The dialog starts with the options last used (QSettings); each test says its own.
        dialog->setWaitReady(waitReady, 60);
        dialog->run();
        if (whileWaiting) {
            // Two rounds in, the condition it waits for is put right.
            if (!test::spinUntil([&] { return dialog->model().rowCount() > 0 || finished.size() > 0; }, 30000))
                return nullptr;
            whileWaiting();
        }
        if (finished.isEmpty() && !finished.wait(60000)) {
            qWarning("no report; the dialog says: %s",
                     qPrintable(dialog->findChild<QLabel*>(QStringLiteral("verdict"))->text()));
            return nullptr;
        }
        return dialog;
    }

    int rowOf(const SmokeReportModel& model, const QString& service)
    {
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.index(row, SmokeReportModel::Name).data().toString() == service)
                return row;
        }
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QFile::remove(MainWindow::historyPath());
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        standin::StandinDeployment::Options options;
        options.name = QStringLiteral("standin");
        m_standin = std::make_unique<standin::StandinDeployment>(options);
        QVERIFY2(m_standin->start(), qPrintable(m_standin->errorString()));
        for (const auto& [name, value] : m_standin->environment())
            qputenv(name.toUtf8().constData(), value.toUtf8());
        m_window = std::make_unique<MainWindow>();
        m_window->show();
        QSignalSpy opened(m_window.get(), &MainWindow::deploymentsOpened);
        m_window->open({m_standin->deploymentFile()}, MainWindow::Remember::No);
        QVERIFY(opened.wait(10000));
        // The monitors run (a first status is in) before a smoke check is asked for.
        const QModelIndex deployment = m_window->model().deploymentIndex(QStringLiteral("standin"));
        QVERIFY(test::spinUntil(
            [&] { return ProbeStatus(deployment.data(DeploymentModel::StatusRole).toInt()) == ProbeStatus::Healthy; },
            30000));
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_standin.reset();
    }

    void allHealthy()
    {
        SmokeCheckDialog* dialog = runAndWait();
        QVERIFY(dialog);
        QAbstractItemModelTester tester(&dialog->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY2(dialog->report().gatingChecksHealthy(), qPrintable(dialog->report().deployment));
        QCOMPARE(dialog->model().rowCount(), standin::StandinDeployment::serviceNames().size());
        for (int row = 0; row < dialog->model().rowCount(); ++row)
            QCOMPARE(dialog->model().index(row, SmokeReportModel::Result).data().toString(), QStringLiteral("passed"));
        dialog->close();
    }

    void redisDownFailsItsRowFirst()
    {
        QVERIFY(m_standin->stopService(QStringLiteral("redis")));
        SmokeCheckDialog* dialog = runAndWait();
        QVERIFY(dialog);
        SmokeReportModel& model = dialog->model();
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.index(0, SmokeReportModel::Name).data().toString(), QStringLiteral("redis"));
        QCOMPARE(model.index(0, SmokeReportModel::Result).data().toString(), QStringLiteral("failed"));
        QCOMPARE(model.index(0, SmokeReportModel::Summary).data().toString(), QStringLiteral("root cause"));
        const int web = rowOf(model, QStringLiteral("web"));
        QVERIFY(web > 0);
        QCOMPARE(model.index(web, SmokeReportModel::Summary).data().toString(),
                 QStringLiteral("because redis is failing"));
        const int db = rowOf(model, QStringLiteral("db"));
        QCOMPARE(model.index(db, SmokeReportModel::Result).data().toString(), QStringLiteral("passed"));
        QVERIFY2(
            dialog->findChild<QLabel*>(QStringLiteral("cause"))->text().startsWith(QStringLiteral("root cause: redis")),
            qPrintable(dialog->findChild<QLabel*>(QStringLiteral("cause"))->text()));
        QVERIFY(QDir().mkpath(QStringLiteral(OKHEALTH_SCREENSHOT_DIR)));
        QVERIFY(dialog->grab().save(QStringLiteral(OKHEALTH_SCREENSHOT_DIR "/smoke-redis-down-offscreen.png")));

        // JUnit: one testcase per check, redis's ping a failure.
        const QString junit = m_dir.filePath(QStringLiteral("smoke.xml"));
        QSignalSpy exported(dialog, &SmokeCheckDialog::exported);
        dialog->exportTo(ReportExport::Format::Junit, junit);
        QVERIFY(exported.wait(5000));
        QFile file(junit);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        int testcases = 0;
        int failures = 0;
        QString current;
        QStringList failed;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == QLatin1String("testcase")) {
                ++testcases;
                current = xml.attributes().value(QLatin1String("classname")).toString() + u'/'
                    + xml.attributes().value(QLatin1String("name")).toString();
            } else if (xml.name() == QLatin1String("failure")) {
                ++failures;
                failed << current;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(testcases, dialog->report().checkCount());
        QVERIFY2(failed.filter(QStringLiteral("redis")).size() >= 1, qPrintable(failed.join(u' ')));
        QCOMPARE(failures, dialog->report().countGating(ProbeStatus::Unhealthy));

        // Markdown for the ticket: the same verdict, root cause first.
        const QString markdown = m_dir.filePath(QStringLiteral("smoke.md"));
        dialog->exportTo(ReportExport::Format::Markdown, markdown);
        QVERIFY(exported.wait(5000));
        QFile md(markdown);
        QVERIFY(md.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(md.readAll());
        QVERIFY2(text.contains(QStringLiteral("**root cause: redis")), qPrintable(text));
        for (const auto& [name, value] : m_standin->environment())
            QVERIFY2(!text.contains(value), qPrintable(name));
        dialog->close();
    }

    void waitsUntilRedisIsBack()
    {
        QVERIFY(!m_standin->isRunning(QStringLiteral("redis")));
        bool restarted = false;
        SmokeCheckDialog* dialog
            = runAndWait(true, [&] { restarted = m_standin->startService(QStringLiteral("redis")); });
        QVERIFY(restarted);
        QVERIFY(dialog);
        QVERIFY2(dialog->report().gatingChecksHealthy(),
                 qPrintable(QString::number(dialog->report().countGating(ProbeStatus::Unhealthy))));
        dialog->close();
    }

    void unknownDeploymentSaysSo()
    {
        SmokeCheckDialog* dialog = m_window->openSmokeCheck(QStringLiteral("no-such-deployment"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), 5000);
        QVERIFY2(
            dialog->findChild<QLabel*>(QStringLiteral("verdict"))->text().contains(QStringLiteral("is not monitored")),
            qPrintable(dialog->findChild<QLabel*>(QStringLiteral("verdict"))->text()));
        dialog->close();
    }
};

QTEST_MAIN(TestSmokeCheck)
#include "tst_smokecheck.moc"
