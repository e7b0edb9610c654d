#include "TestSupport.h"
#include "celery/WorkerFinder.h"
#include "config/RedisUrl.h"
#include "editor/DeploymentEditor.h"
#include "editor/WorkerPicker.h"
#include "standin/CeleryWorker.h"
#include "standin/RedisServer.h"
#include "translations/Catalogues.h"

#include <QDir>
#include <QJsonArray>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace okh;

// "Find workers" against a real Celery 5.2 worker on a real redis-server: the worker's node
// name is found (it is the container's hostname in production, which is why the editor offers
// the list); a broker without workers gives an empty list and no problem; a broker that cannot
// be reached is a problem, never "no workers".
class TestWorkerFinder : public QObject
{
    Q_OBJECT

    standin::RedisServer m_redis;
    test::CeleryWorker m_worker;

    static std::pair<QStringList, QString> find(const RedisTarget& broker)
    {
        WorkerFinder finder(broker);
        QSignalSpy finished(&finder, &WorkerFinder::finished);
        finder.start(std::chrono::milliseconds(2500));
        if (!finished.wait(10000))
            return {{}, QStringLiteral("did not finish")};
        return {finished.first().at(0).toStringList(), finished.first().at(1).toString()};
    }
    RedisTarget broker(int db) const
    {
        RedisTarget target;
        target.host = QStringLiteral("127.0.0.1");
        target.port = m_redis.port();
        target.db = db;
        return target;
    }

private Q_SLOTS:
    void initTestCase()
    {
        installTranslations(QStringLiteral("en")); // the plural forms, as the app shows them
        QString why;
        if (!test::CeleryWorker::isAvailable(&why))
            QFAIL(qPrintable(why));
        QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
        test::CeleryWorker::Options options;
        options.brokerUrl = redisUrl(broker(2));
        options.nodeName = QStringLiteral("celery@8c2f0e1a9b7d");
        QVERIFY2(m_worker.start(options), qPrintable(m_worker.errorString()));
    }

    void findsTheWorker()
    {
        const auto [workers, problem] = find(broker(2));
        QCOMPARE(workers, QStringList{QStringLiteral("celery@8c2f0e1a9b7d")});
        QCOMPARE(problem, QString());
    }

    // In the editor: Find Workers beside a ping check's worker list, the pick added to it.
    void editorOffersTheNames()
    {
        const QJsonObject ping{{QStringLiteral("name"), QStringLiteral("ping")},
                               {QStringLiteral("type"), QStringLiteral("celery-ping")},
                               {QStringLiteral("role"), QStringLiteral("liveness")},
                               {QStringLiteral("timeout"), QStringLiteral("5s")},
                               {QStringLiteral("broker"), redisUrl(broker(2))},
                               {QStringLiteral("workers"), QJsonArray{}}};
        const QJsonObject deployment{
            {QStringLiteral("name"), QStringLiteral("d")},
            {QStringLiteral("connection"), QJsonObject{{QStringLiteral("type"), QStringLiteral("direct")}}},
            {QStringLiteral("services"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("celery")},
                                    {QStringLiteral("kind"), QStringLiteral("celery-worker")},
                                    {QStringLiteral("checks"), QJsonArray{ping}}}}}};
        DeploymentEditor editor(new DeploymentDraft(deployment, {}), {});
        editor.resize(960, 640);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(test::spinUntil([&] { return editor.draft().isValidated(); }, 5000));
        QVERIFY2(!editor.draft().error(),
                 qPrintable(editor.draft().error() ? editor.draft().error()->toString() : QString()));
        editor.select({0, 0});
        WorkerPicker* picker = editor.workerPicker();
        QVERIFY(picker);
        QSignalSpy found(picker, &WorkerPicker::found);
        picker->button()->click();
        QVERIFY(found.wait(10000));
        QCOMPARE(found.first().first().toStringList(), QStringList{QStringLiteral("celery@8c2f0e1a9b7d")});
        QListWidget* list = picker->list();
        QVERIFY(list->isVisibleTo(&editor));
        QVERIFY(QDir().mkpath(QStringLiteral(OKHEALTH_SCREENSHOT_DIR)));
        QVERIFY(editor.grab().save(QStringLiteral(OKHEALTH_SCREENSHOT_DIR "/editor-find-workers-en.png")));
        Q_EMIT list->itemActivated(list->item(0));
        QCOMPARE(editor.draft().value({0, 0}, QStringLiteral("workers")).toArray(),
                 QJsonArray{QStringLiteral("celery@8c2f0e1a9b7d")});
    }

    void noWorkerIsNoProblem()
    {
        const auto [workers, problem] = find(broker(5)); // Celery's channels are per database
        QCOMPARE(workers, QStringList());
        QCOMPARE(problem, QString());
    }

    void unreachableBrokerIsAProblem()
    {
        QTcpServer closed; // a port that is free: bound, then released
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        RedisTarget target = broker(0);
        target.port = closed.serverPort();
        closed.close();
        const auto [workers, problem] = find(target);
        QCOMPARE(workers, QStringList());
        QVERIFY2(!problem.isEmpty(), "the broker's trouble is said");
    }
};

QTEST_MAIN(TestWorkerFinder)
#include "tst_workerfinder.moc"
