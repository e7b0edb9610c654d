#include "ManualClock.h"
#include "alert/AlertPlanner.h"
#include "alert/Muting.h"

#include <QMap>
#include <QTest>

using namespace okh;
using namespace std::chrono_literals;

namespace {

// A scenario is a list of steps at whole seconds:
//   "10 redis=down web=down<redis"  services' statuses (up, down, out, unknown; "<x": caused by x;
//                                   "prod/nginx=down": another deployment than "acc")
//   "20 ack redis"                  acknowledge redis of acc
//   "20 maintenance 100"            acc muted for 100 s
// Every second the test expires muting and calls take(), as the desktop's timer does, and
// writes down "SECOND title" for each notification.
struct Scenario
{
    ManualClock clock;
    Muting muting{clock};
    AlertPlanner planner;
    QMap<QString, QMap<QString, ServiceAssessment>> state; // deployment → service → assessment
    QStringList order; // "deployment/service" as first named
    QList<Alert> alerts;

    explicit Scenario(const AlertPlanner::Options& options)
        : planner(clock, muting, options)
    { }

    void setStatus(const QString& word)
    {
        const qsizetype eq = word.indexOf(u'=');
        QString name = word.left(eq);
        if (!name.contains(u'/'))
            name.prepend(QStringLiteral("acc/"));
        const QString deployment = name.section(u'/', 0, 0);
        const QString service = name.section(u'/', 1);
        QString value = word.mid(eq + 1);
        ServiceAssessment a;
        a.service = service;
        if (value.contains(u'<')) {
            a.causedBy = value.section(u'<', 1).split(u',');
            value = value.section(u'<', 0, 0);
        }
        if (value == u"up") {
            a.status = ProbeStatus::Healthy;
            a.conclusion = ServiceAssessment::Conclusion::Serving;
        } else if (value == u"down" || value == u"out") {
            a.status = ProbeStatus::Unhealthy;
            a.conclusion = value == u"down" ? ServiceAssessment::Conclusion::WouldRestart
                                            : ServiceAssessment::Conclusion::OutOfRotation;
            a.rootCause = a.causedBy.isEmpty();
            a.causeReason
                = a.rootCause ? QStringLiteral("not answering") : QStringLiteral("waits for ") + a.causedBy.join(u',');
        } else {
            QCOMPARE_EQ(value, QStringLiteral("unknown"));
            a.status = ProbeStatus::Unknown;
        }
        if (!order.contains(name))
            order.append(name);
        state[deployment][service] = a;
    }

    void observe(const QString& deployment)
    {
        DeploymentSnapshot snapshot;
        snapshot.name = deployment;
        for (const QString& name : std::as_const(order)) {
            if (name.section(u'/', 0, 0) == deployment)
                snapshot.services.append(state[deployment][name.section(u'/', 1)]);
        }
        planner.observe(snapshot);
    }

    void apply(const QStringList& words)
    {
        if (words.first() == u"ack") {
            muting.acknowledge(QStringLiteral("acc"), words.at(1), QStringLiteral("alice"));
            return;
        }
        if (words.first() == u"maintenance") {
            muting.setMaintenance(QStringLiteral("acc"), std::chrono::seconds(words.at(1).toInt()));
            return;
        }
        QStringList touched;
        for (const QString& word : words) {
            setStatus(word);
            const QString deployment = word.contains(u'/') ? word.section(u'/', 0, 0) : QStringLiteral("acc");
            if (!touched.contains(deployment))
                touched.append(deployment);
        }
        for (const QString& deployment : std::as_const(touched))
            observe(deployment);
    }

    QStringList run(const QStringList& steps, int endSecond)
    {
        QMultiMap<int, QStringList> at;
        for (const QString& step : steps) {
            QStringList words = step.split(u' ', Qt::SkipEmptyParts);
            at.insert(words.takeFirst().toInt(), words);
        }
        QStringList told;
        for (int second = 0; second <= endSecond; ++second) {
            clock.set(qint64(second) * 1000);
            const QList<QStringList> now = at.values(second);
            for (auto it = now.crbegin(); it != now.crend(); ++it) // QMultiMap: latest inserted first
                apply(*it);
            muting.expire();
            while (const std::optional<Alert> alert = planner.take()) {
                told.append(QStringLiteral("%1 %2").arg(second).arg(alert->title));
                alerts.append(*alert);
            }
            const qint64 due = planner.nextDueMs();
            if (due != 0 && due < clock.nowMs())
                told.append(QStringLiteral("%1 overdue").arg(second)); // take() left something due
        }
        return told;
    }
};

AlertPlanner::Options options(int throttleMinutes)
{
    AlertPlanner::Options o;
    o.rules.throttle = std::chrono::minutes(throttleMinutes);
    return o;
}

} // namespace

class TestAlertPlanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scenarios_data()
    {
        QTest::addColumn<QStringList>("steps");
        QTest::addColumn<int>("throttleMinutes");
        QTest::addColumn<QString>("rules"); // rules switched off: "unknown+" switches unknown on
        QTest::addColumn<QStringList>("expected");

        const QString up = QStringLiteral("0 redis=up web=up celery=up");
        const auto row
            = [](const char* name, const QStringList& steps, int throttle, const QString& rules,
                 const QStringList& expected) { QTest::newRow(name) << steps << throttle << rules << expected; };
        row("healthy from the start: nothing", {up}, 5, {}, {});
        row("not known at first, then healthy: nothing",
            {QStringLiteral("0 redis=unknown web=unknown"), QStringLiteral("4 redis=up web=up")}, 5, {}, {});
        row("down from the start", {QStringLiteral("0 redis=down web=up")}, 5, {}, {QStringLiteral("3 redis is down")});
        row("root cause first, its consequences folded in",
            {up, QStringLiteral("10 web=down<redis"), QStringLiteral("11 redis=down celery=out<redis")}, 5, {},
            {QStringLiteral("13 redis is down — explains web, celery")});
        row("a blip shorter than the group window is not told",
            {up, QStringLiteral("10 redis=down"), QStringLiteral("11 redis=up")}, 5, {}, {});
        row("down, then healthy again", {up, QStringLiteral("10 redis=down"), QStringLiteral("100 redis=up")}, 1, {},
            {QStringLiteral("13 redis is down"), QStringLiteral("103 redis is healthy again")});
        row("throttled: the recovery waits for the period's end",
            {up, QStringLiteral("10 redis=down"), QStringLiteral("20 redis=up")}, 5, {},
            {QStringLiteral("13 redis is down"), QStringLiteral("313 redis is healthy again")});
        row("throttled: back to what was told, nothing to tell",
            {up, QStringLiteral("10 redis=down"), QStringLiteral("20 redis=up"), QStringLiteral("30 redis=down")}, 5,
            {}, {QStringLiteral("13 redis is down")});
        row("flapping is told once, then when it settles",
            {up, QStringLiteral("10 redis=down"), QStringLiteral("20 redis=up"), QStringLiteral("30 redis=down"),
             QStringLiteral("40 redis=up"), QStringLiteral("50 redis=down"), QStringLiteral("60 redis=up"),
             QStringLiteral("70 redis=down"), QStringLiteral("80 redis=up")},
            0, {},
            {QStringLiteral("13 redis is down"), QStringLiteral("23 redis is healthy again"),
             QStringLiteral("33 redis is down"), QStringLiteral("43 redis keeps changing: 4 changes in a short time"),
             QStringLiteral("383 redis is healthy again")});
        row("acknowledged: quiet until it recovers, then told",
            {up, QStringLiteral("10 redis=down"), QStringLiteral("20 ack redis"), QStringLiteral("90 redis=out"),
             QStringLiteral("100 redis=up"), QStringLiteral("200 redis=down")},
            1, {},
            {QStringLiteral("13 redis is down"), QStringLiteral("103 redis is healthy again"),
             QStringLiteral("203 redis is down")});
        row("maintenance: quiet for its length, then what is still wrong",
            {up, QStringLiteral("5 maintenance 100"), QStringLiteral("10 redis=down"),
             QStringLiteral("20 web=down<redis")},
            5, {}, {QStringLiteral("105 redis is down — explains web")});
        row("maintenance: what recovered within it is not told",
            {up, QStringLiteral("5 maintenance 100"), QStringLiteral("10 redis=down"), QStringLiteral("50 redis=up")},
            5, {}, {});
        row("unknown is not told by default", {up, QStringLiteral("10 redis=unknown"), QStringLiteral("20 redis=up")},
            0, {}, {});
        row("unknown told when asked for", {up, QStringLiteral("10 redis=unknown"), QStringLiteral("20 redis=up")}, 0,
            QStringLiteral("unknown+"),
            {QStringLiteral("13 redis cannot be checked"), QStringLiteral("23 redis is healthy again")});
        row("down, then unknown (SSH lost): still down, then recovered",
            {up, QStringLiteral("10 redis=down"), QStringLiteral("20 redis=unknown"), QStringLiteral("30 redis=up")}, 0,
            {}, {QStringLiteral("13 redis is down"), QStringLiteral("33 redis is healthy again")});
        row("recoveries switched off", {up, QStringLiteral("10 redis=down"), QStringLiteral("100 redis=up")}, 0,
            QStringLiteral("recovered-"), {QStringLiteral("13 redis is down")});
        row("out of rotation switched off", {up, QStringLiteral("10 web=out"), QStringLiteral("20 redis=down")}, 0,
            QStringLiteral("outOfRotation-"), {QStringLiteral("23 redis is down")});
        row("all switched off", {up, QStringLiteral("10 redis=down")}, 0, QStringLiteral("enabled-"), {});
        row("two deployments at once: one notification",
            {up, QStringLiteral("1 prod/nginx=up"), QStringLiteral("10 redis=down prod/nginx=down")}, 5, {},
            {QStringLiteral("13 redis is down")});
    }

    void scenarios()
    {
        QFETCH(QStringList, steps);
        QFETCH(int, throttleMinutes);
        QFETCH(QString, rules);
        QFETCH(QStringList, expected);

        AlertPlanner::Options o = options(throttleMinutes);
        o.rules.unknown = rules.contains(QStringLiteral("unknown+"));
        o.rules.recovered = !rules.contains(QStringLiteral("recovered-"));
        o.rules.outOfRotation = !rules.contains(QStringLiteral("outOfRotation-"));
        o.rules.enabled = !rules.contains(QStringLiteral("enabled-"));
        Scenario scenario(o);
        const QStringList told = scenario.run(steps, 700);
        if (told != expected)
            qWarning().noquote() << told.mid(0, 12).join(QStringLiteral(" | "));
        QCOMPARE(told, expected);
    }

    // The text: the root cause's reason and deployment first, the other deployments' lines after.
    void body()
    {
        Scenario scenario(options(5));
        scenario.run({QStringLiteral("0 redis=up web=up prod/nginx=up"),
                      QStringLiteral("10 redis=down web=down<redis prod/nginx=down")},
                     20);
        QCOMPARE(scenario.alerts.size(), 1);
        const Alert& alert = scenario.alerts.first();
        QCOMPARE(alert.body, QStringLiteral("acc: not answering\nprod: nginx is down"));
        QVERIFY(alert.problem);
        QCOMPARE(alert.items.size(), 2);
        QCOMPARE(alert.items.at(0).explains, QStringList{QStringLiteral("web")});
    }

    // The acknowledgement is dropped when the service recovers: the next incident is told.
    void acknowledgementEndsWithRecovery()
    {
        Scenario scenario(options(0));
        scenario.run({QStringLiteral("0 redis=down"), QStringLiteral("5 ack redis")}, 10);
        QVERIFY(scenario.muting.acknowledgement(QStringLiteral("acc"), QStringLiteral("redis")));
        QCOMPARE(scenario.muting.acknowledgement(QStringLiteral("acc"), QStringLiteral("redis"))->user,
                 QStringLiteral("alice"));
        scenario.apply({QStringLiteral("redis=up")});
        QVERIFY(!scenario.muting.acknowledgement(QStringLiteral("acc"), QStringLiteral("redis")));
    }

    // Turning notifications on again does not replay what happened while they were off.
    void enablingDoesNotReplay()
    {
        AlertPlanner::Options o = options(0);
        o.rules.enabled = false;
        Scenario scenario(o);
        QCOMPARE(scenario.run({QStringLiteral("0 redis=up"), QStringLiteral("5 redis=down")}, 10), QStringList());
        NotificationRules on = o.rules;
        on.enabled = true;
        scenario.planner.setRules(on);
        scenario.clock.set(60'000);
        QVERIFY(!scenario.planner.take());
    }
};

QTEST_GUILESS_MAIN(TestAlertPlanner)
#include "tst_alertplanner.moc"
