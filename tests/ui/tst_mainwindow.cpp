#include "TestSupport.h"
#include "model/DeploymentModel.h"
#include "overview/DeploymentPage.h"
#include "overview/OverviewView.h"
#include "standin/RedisServer.h"
#include "window/MainWindow.h"
#include "window/RecentFiles.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;

// The main window on a real redis-server: a file opened from the command line is loaded off
// the GUI thread and monitored on the app's own thread; stopping redis shows it unhealthy and
// as the root cause within interval + timeout; a broken file is refused with the loader's
// file:line:column message while the deployment that runs keeps running; closing the window
// stops everything without the GUI thread waiting.
class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // history and settings under ~/.qttest
        QFile::remove(MainWindow::historyPath());
        RecentFiles::clear();
        QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
    }

    void monitorsOpensAndCloses()
    {
        const QString file = write(QStringLiteral("good.json"), deploymentJson(m_redis.port()));
        auto* window = new MainWindow;
        window->show();
        QSignalSpy opened(window, &MainWindow::deploymentsOpened);
        window->open({file});
        QVERIFY(opened.wait(5000));
        const QModelIndex redis = window->model().serviceIndex(QStringLiteral("local"), QStringLiteral("redis"));
        QVERIFY(redis.isValid());
        const auto status = [&] { return ProbeStatus(redis.data(DeploymentModel::StatusRole).toInt()); };
        QVERIFY2(test::spinUntil([&] { return status() == ProbeStatus::Healthy; }, 5000), "redis becomes healthy");
        DeploymentPage* page = window->overview().pages().first();
        QCOMPARE(page->causeText(), QStringLiteral("All services healthy."));
        // Remembered for File → Open Recent and the next start without arguments.
        QCOMPARE(RecentFiles::lastOpened(), QStringList{file});
        const QList<QAction*> recent = window->recentMenu()->actions();
        QVERIFY(!recent.isEmpty());
        QCOMPARE(recent.first()->data().toString(), file);
        QVERIFY2(recent.first()->text().startsWith(QStringLiteral("&1 good.json — ")),
                 qPrintable(recent.first()->text()));

        // Help → Documentation (F1) points at docs/desktop.md of this checkout.
        auto* docs = window->findChild<QAction*>(QStringLiteral("documentation"));
        QVERIFY(docs);
        QCOMPARE(docs->shortcut(), QKeySequence(QKeySequence::HelpContents));
        QVERIFY2(QFileInfo::exists(docs->statusTip()), qPrintable(docs->statusTip()));

        // A broken file: the loader's message, and the deployment that runs stays.
        const QString broken = write(QStringLiteral("broken.json"),
                                     "{\n  \"version\": 1,\n  \"deployments\": [\n    {\"name\": 3}\n  ]\n}\n");
        QSignalSpy failed(window, &MainWindow::openFailed);
        window->open({broken});
        QVERIFY(failed.wait(5000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.startsWith(broken + QStringLiteral(":4:")), qPrintable(message));
        QCOMPARE(window->model().rowCount(), 1);

        // redis stops: unhealthy and the root cause within interval (200 ms) × threshold + timeout.
        m_redis.stop();
        QVERIFY2(test::spinUntil([&] { return status() == ProbeStatus::Unhealthy; }, 5000), "redis goes down");
        QVERIFY(test::spinUntil([&] { return redis.data(DeploymentModel::RootCauseRole).toBool(); }, 2000));
        QVERIFY2(
            page->causeText().startsWith(QStringLiteral("Root cause: redis is failing (not answering on 127.0.0.1:")),
            qPrintable(page->causeText()));
        QVERIFY(m_redis.start());

        // Closing: the window stays until the monitoring thread is gone; the GUI thread spins.
        QElapsedTimer clock;
        clock.start();
        window->setAttribute(Qt::WA_DeleteOnClose);
        QPointer<MainWindow> alive(window);
        window->close();
        QVERIFY(alive); // not closed at once: the monitors stop first
        QVERIFY2(test::spinUntil([&] { return alive.isNull(); }, 8000), "the window closes after the monitors stop");
        QVERIFY2(clock.elapsed() < 6000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(QFile::exists(MainWindow::historyPath()));
    }

private:
    static QByteArray deploymentJson(quint16 port)
    {
        const QJsonObject ping{{QStringLiteral("name"), QStringLiteral("ping")},
                               {QStringLiteral("type"), QStringLiteral("redis")},
                               {QStringLiteral("role"), QStringLiteral("readiness")},
                               {QStringLiteral("url"), QStringLiteral("redis://127.0.0.1:%1/0").arg(port)},
                               {QStringLiteral("interval"), QStringLiteral("200ms")},
                               {QStringLiteral("timeout"), QStringLiteral("500ms")}};
        const QJsonObject redis{{QStringLiteral("name"), QStringLiteral("redis")},
                                {QStringLiteral("kind"), QStringLiteral("redis")},
                                {QStringLiteral("checks"), QJsonArray{ping}}};
        const QJsonObject deployment{
            {QStringLiteral("name"), QStringLiteral("local")},
            {QStringLiteral("connection"), QJsonObject{{QStringLiteral("type"), QStringLiteral("direct")}}},
            {QStringLiteral("services"), QJsonArray{redis}}};
        return QJsonDocument(
                   QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("deployments"), QJsonArray{deployment}}})
            .toJson();
    }

    QString write(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            return {};
        return path;
    }

    test::RedisServer m_redis;
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
