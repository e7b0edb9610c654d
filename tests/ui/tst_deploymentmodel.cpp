#include "RecordedBatches.h"
#include "model/DeploymentModel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace okh;

// The dashboard's model under QAbstractItemModelTester: structure from the deployment spec,
// state from recorded feed batches, the roles the tiles paint and the root-cause line.
class TestDeploymentModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void structureAndBatches()
    {
        DeploymentModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDeployments({test::recordedDeployment()});
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex deployment = model.index(0, 0);
        QCOMPARE(model.rowCount(deployment), 5);
        const QModelIndex web = model.serviceIndex(QStringLiteral("acceptance"), QStringLiteral("web"));
        QCOMPARE(web.row(), 1);
        QCOMPARE(web.parent(), deployment);
        QCOMPARE(model.rowCount(web), 3);
        const QModelIndex readyz
            = model.checkIndex({QStringLiteral("acceptance"), QStringLiteral("web"), QStringLiteral("readyz")});
        QCOMPARE(readyz.parent(), web);
        QCOMPARE(readyz.data(DeploymentModel::StateTextRole).toString(), QStringLiteral("no result yet"));
        QCOMPARE(ProbeStatus(readyz.data(DeploymentModel::StatusRole).toInt()), ProbeStatus::Unknown);

        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.apply(test::healthyBatch(now));
        QVERIFY(changed.size() >= 7);
        QCOMPARE(ProbeStatus(deployment.data(DeploymentModel::StatusRole).toInt()), ProbeStatus::Healthy);
        QCOMPARE(deployment.data(DeploymentModel::CauseLineRole).toString(), QString());

        model.apply(test::redisDownBatch(now));
        QCOMPARE(ProbeStatus(deployment.data(DeploymentModel::StatusRole).toInt()), ProbeStatus::Unhealthy);
        QCOMPARE(ProbeStatus(readyz.data(DeploymentModel::StatusRole).toInt()), ProbeStatus::Unhealthy);
        QVERIFY(readyz.data(DeploymentModel::SummaryRole)
                    .toString()
                    .startsWith(QLatin1String("HTTP 500 Internal Server Error: Cache backend: default")));
        QCOMPARE(readyz.data(DeploymentModel::RecentRole).value<QList<RecentResult>>().size(), 30);
        QCOMPARE(web.data(DeploymentModel::CausedByRole).toStringList(), QStringList{QStringLiteral("redis")});
        const QModelIndex redis = model.serviceIndex(QStringLiteral("acceptance"), QStringLiteral("redis"));
        QVERIFY(redis.data(DeploymentModel::RootCauseRole).toBool());
        // Tiles keep file order whatever fails: redis stays third.
        QCOMPARE(redis.row(), 2);
        QCOMPARE(deployment.data(DeploymentModel::CauseLineRole).toString(),
                 QStringLiteral("redis is failing (not answering on 127.0.0.1:6379) — explains web, celery"));

        // A check of a deployment that is not (or no longer) in the model is ignored.
        MonitorBatch stray;
        CheckSnapshot other;
        other.key = {QStringLiteral("gone"), QStringLiteral("web"), QStringLiteral("readyz")};
        stray.checks = {other};
        model.apply(stray);
        QCOMPARE(model.rowCount(), 1);
    }

    // An edited deployment: its structure anew, renamed or not; the other keeps its state.
    void replaceDeployment()
    {
        DeploymentModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        DeploymentSpec other = test::recordedDeployment();
        other.name = QStringLiteral("other");
        model.setDeployments({test::recordedDeployment(), other});
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        model.apply(test::healthyBatch(now));
        const auto status = [&model](const QString& deployment) {
            return ProbeStatus(model.deploymentIndex(deployment).data(DeploymentModel::StatusRole).toInt());
        };
        QCOMPARE(status(QStringLiteral("acceptance")), ProbeStatus::Healthy);

        DeploymentSpec edited = other;
        edited.name = QStringLiteral("renamed");
        edited.services.removeLast();
        model.replaceDeployment(QStringLiteral("other"), edited);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(!model.deploymentIndex(QStringLiteral("other")).isValid());
        QCOMPARE(model.deploymentIndex(QStringLiteral("renamed")).row(), 1);
        QCOMPARE(model.rowCount(model.deploymentIndex(QStringLiteral("renamed"))), 4);
        QCOMPARE(status(QStringLiteral("acceptance")), ProbeStatus::Healthy); // kept

        DeploymentSpec added = other;
        added.name = QStringLiteral("added");
        model.replaceDeployment(QString(), added);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.deploymentIndex(QStringLiteral("added")).row(), 2);
        QCOMPARE(status(QStringLiteral("added")), ProbeStatus::Unknown);
    }

    void causeLine_data()
    {
        QTest::addColumn<DeploymentSnapshot>("summary");
        QTest::addColumn<QString>("expected");
        DeploymentSnapshot healthy;
        QTest::newRow("nothing failing") << healthy << QString();
        DeploymentSnapshot unreachable;
        unreachable.reachable = false;
        unreachable.transportError = QStringLiteral("host key unknown (SHA256:abc)");
        QTest::newRow("SSH connection down")
            << unreachable << QStringLiteral("cannot reach deployment: host key unknown (SHA256:abc)");
        DeploymentSnapshot nothing;
        nothing.deploymentCause = QStringLiteral("nothing answers on 127.0.0.1: is the deployment running?");
        QTest::newRow("deployment-level cause") << nothing << nothing.deploymentCause;
        DeploymentSnapshot two;
        ServiceAssessment redis;
        redis.service = QStringLiteral("redis");
        redis.rootCause = true;
        redis.causeReason = QStringLiteral("not answering on 127.0.0.1:6379");
        ServiceAssessment web;
        web.service = QStringLiteral("web");
        web.rootCause = true;
        ServiceAssessment nginx;
        nginx.service = QStringLiteral("nginx");
        nginx.causedBy = {QStringLiteral("web")};
        two.services = {redis, web, nginx};
        QTest::newRow("two roots, one explains nginx")
            << two
            << QStringLiteral("redis is failing (not answering on 127.0.0.1:6379); web is failing — explains nginx");
    }
    void causeLine()
    {
        QFETCH(DeploymentSnapshot, summary);
        QFETCH(QString, expected);
        QCOMPARE(DeploymentModel::causeLine(summary), expected);
    }
};

QTEST_MAIN(TestDeploymentModel)
#include "tst_deploymentmodel.moc"
