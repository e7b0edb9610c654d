#include "config/OpenKlantProfile.h"
#include "engine/RootCause.h"

#include <QTest>

using namespace okh;

namespace {

// The openklant profile on loopback: web :8000, nginx :8080, redis :6379, db :5432.
QList<ServiceSpec> profile()
{
    OpenKlantProfile::Settings settings;
    settings.web.host = QStringLiteral("127.0.0.1");
    settings.nginx.host = QStringLiteral("127.0.0.1");
    settings.redis.host = QStringLiteral("127.0.0.1");
    settings.db.host = QStringLiteral("127.0.0.1");
    settings.flower.host = QStringLiteral("127.0.0.1");
    return OpenKlantProfile::expand(settings);
}

// What a probe reports for an outcome word, as the probes build it (kind, status detail,
// django-health-check component details). "components:A,B" is an HTTP 500 naming A and B.
ProbeResult resultFor(const QString& outcome)
{
    const auto failed = [](FailureKind kind) { return ProbeResult::unhealthy(QStringLiteral("failed")).because(kind); };
    if (outcome == u"refused")
        return failed(FailureKind::Refused);
    if (outcome == u"unresolved")
        return ProbeResult::unknown(QStringLiteral("cannot resolve")).because(FailureKind::Unresolved);
    if (outcome == u"no-connection")
        return failed(FailureKind::NoConnection);
    if (outcome == u"no-answer")
        return failed(FailureKind::NoAnswer);
    if (outcome == u"stale")
        return failed(FailureKind::FileStale);
    if (outcome == u"missing")
        return failed(FailureKind::FileMissing);
    if (outcome == u"no-reply")
        return failed(FailureKind::NoReply);
    if (outcome == u"ssh-down")
        return ProbeResult::unknown(QStringLiteral("tunnel down"));
    if (outcome.startsWith(u"http")) {
        ProbeResult r = failed(FailureKind::Answered);
        r.details.append({QStringLiteral("status"), outcome.mid(4)});
        return r;
    }
    if (outcome.startsWith(u"components:")) {
        ProbeResult r = failed(FailureKind::Answered);
        r.details.append({QStringLiteral("status"), QStringLiteral("500")});
        r.details.append({QStringLiteral("component: MigrationsHealthCheck"), QStringLiteral("working")});
        for (const QString& c : outcome.mid(11).split(u','))
            r.details.append({QStringLiteral("component: ") + c, QStringLiteral("unavailable: failed")});
        return r;
    }
    qFatal("unknown outcome %s", qPrintable(outcome));
}

// `results`: "service/check=outcome"; every other check of the profile is healthy.
RootCause::Analysis analyse(const QStringList& results)
{
    QHash<QString, QString> outcomes;
    for (const QString& r : results) {
        const qsizetype eq = r.indexOf(u'=');
        outcomes.insert(r.left(eq), r.mid(eq + 1));
    }
    QList<RootCause::Service> services;
    for (const ServiceSpec& spec : profile()) {
        RootCause::Service s{spec.name, spec.dependsOn, spec.components, false, false, {}};
        for (const CheckSpec& check : spec.checks) {
            const QString outcome = outcomes.take(spec.name + u'/' + check.name);
            s.add(check, outcome.isEmpty() ? ProbeResult::healthy(QStringLiteral("ok")) : resultFor(outcome));
        }
        services.append(s);
    }
    if (!outcomes.isEmpty())
        qFatal("no such check: %s", qPrintable(outcomes.keys().join(u' ')));
    return RootCause::analyse(services);
}

} // namespace

// The evidence rules of docs/engine.md ("Services and root causes"): each row is what the
// checks returned, and what the analysis must conclude and say.
class TestRootCause : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void analyse_data()
    {
        QTest::addColumn<QStringList>("results");
        QTest::addColumn<QStringList>("roots");
        QTest::addColumn<QStringList>("consequences"); // "service<-cause,cause"
        QTest::addColumn<QStringList>("reasons"); // "service~text the reason contains"
        QTest::addColumn<QString>("deploymentCause"); // text it contains; empty: none

        const QStringList webRefused{QStringLiteral("web/healthz=refused"), QStringLiteral("web/livez=refused"),
                                     QStringLiteral("web/readyz=refused")};
        const QStringList nginxBadGateway{QStringLiteral("nginx/readyz=http502")};

        QTest::newRow("redis down: web's cache, the worker's broker and nginx follow")
            << QStringList{QStringLiteral("redis/ping=refused"),
                           QStringLiteral("web/healthz=components:Cache backend: default"),
                           QStringLiteral("web/readyz=components:Cache backend: default"),
                           QStringLiteral("celery/ping=refused"),
                           QStringLiteral("celery-flower/http=http500"),
                           QStringLiteral("nginx/readyz=http502")}
            << QStringList{QStringLiteral("redis")}
            << QStringList{QStringLiteral("web<-redis"), QStringLiteral("celery<-redis"),
                           QStringLiteral("celery-flower<-redis"), QStringLiteral("nginx<-web")}
            << QStringList{QStringLiteral("redis~not answering on 127.0.0.1:6379"),
                           QStringLiteral("web~readyz names Cache backend: default"),
                           QStringLiteral("celery~ping cannot reach the broker at 127.0.0.1:6379"),
                           QStringLiteral("nginx~readyz: HTTP 502 from the proxy")}
            << QString();
        QTest::newRow("redis and web down: web is its own root, nginx is web's")
            << QStringList{QStringLiteral("redis/ping=refused"), QStringLiteral("celery/ping=refused")} + webRefused
                + nginxBadGateway
            << QStringList{QStringLiteral("web"), QStringLiteral("redis")}
            << QStringList{QStringLiteral("nginx<-web"), QStringLiteral("celery<-redis")}
            << QStringList{QStringLiteral("web~not answering on 127.0.0.1:8000"),
                           QStringLiteral("celery~ping cannot reach the broker")}
            << QString();
        QTest::newRow("db and web down") << QStringList{QStringLiteral("db/pg_isready=refused")} + webRefused
                + nginxBadGateway << QStringList{QStringLiteral("web"), QStringLiteral("db")}
                                         << QStringList{QStringLiteral("nginx<-web")}
                                         << QStringList{QStringLiteral("db~not answering on 127.0.0.1:5432"),
                                                        QStringLiteral("web~not answering on 127.0.0.1:8000")}
                                         << QString();
        QTest::newRow("db down: readyz names the database")
            << QStringList{QStringLiteral("db/pg_isready=refused"),
                           QStringLiteral("web/readyz=components:DatabaseBackend"),
                           QStringLiteral("web/healthz=components:DatabaseBackend,MigrationsHealthCheck")}
            << QStringList{QStringLiteral("db")} << QStringList{QStringLiteral("web<-db")}
            << QStringList{QStringLiteral("web~readyz names DatabaseBackend")} << QString();
        QTest::newRow("a generic 500 while the database is down")
            << QStringList{QStringLiteral("db/pg_isready=refused"), QStringLiteral("web/readyz=http500")}
            << QStringList{QStringLiteral("db")} << QStringList{QStringLiteral("web<-db")}
            << QStringList{QStringLiteral("web~readyz: HTTP 500")} << QString();
        QTest::newRow("a generic 500 with healthy dependencies is web's own")
            << QStringList{QStringLiteral("web/readyz=http500")} << QStringList{QStringLiteral("web")} << QStringList()
            << QStringList{QStringLiteral("web~readyz: HTTP 500")} << QString();
        QTest::newRow("web names DatabaseBackend while db answers the monitor")
            << QStringList{QStringLiteral("web/readyz=components:DatabaseBackend")}
            << QStringList{QStringLiteral("web")} << QStringList()
            << QStringList{QStringLiteral("web~readyz names DatabaseBackend, but db answers the monitor: check web's "
                                          "credentials, network and settings for it")}
            << QString();
        QTest::newRow("a component that stands for no service is web's own")
            << QStringList{QStringLiteral("redis/ping=refused"),
                           QStringLiteral("web/readyz=components:DefaultFileStorageHealthCheck")}
            << QStringList{QStringLiteral("web"), QStringLiteral("redis")} << QStringList()
            << QStringList{QStringLiteral("web~readyz reports DefaultFileStorageHealthCheck failing")} << QString();
        QTest::newRow("nginx up, web down: the 502 is web's consequence")
            << webRefused + nginxBadGateway << QStringList{QStringLiteral("web")}
            << QStringList{QStringLiteral("nginx<-web")}
            << QStringList{QStringLiteral("nginx~readyz: HTTP 502 from the proxy")} << QString();
        QTest::newRow("nginx itself down with web up")
            << QStringList{QStringLiteral("nginx/healthz=refused"), QStringLiteral("nginx/livez=refused"),
                           QStringLiteral("nginx/readyz=refused")}
            << QStringList{QStringLiteral("nginx")} << QStringList()
            << QStringList{QStringLiteral("nginx~not answering on 127.0.0.1:8080")} << QString();
        QTest::newRow("a frozen worker with redis up is its own root")
            << QStringList{QStringLiteral("celery/ping=no-reply"), QStringLiteral("celery/event-loop=stale")}
            << QStringList{QStringLiteral("celery")} << QStringList() << QStringList{QStringLiteral("celery~ping")}
            << QString();
        QTest::newRow("a frozen worker while redis is down too is still its own root")
            << QStringList{QStringLiteral("redis/ping=refused"), QStringLiteral("celery/ping=refused"),
                           QStringLiteral("celery/event-loop=stale")}
            << QStringList{QStringLiteral("celery"), QStringLiteral("redis")} << QStringList()
            << QStringList{QStringLiteral("celery~event-loop")} << QString();
        QTest::newRow("a broker that accepts but does not answer")
            << QStringList{QStringLiteral("redis/ping=no-answer"), QStringLiteral("celery/ping=no-answer")}
            << QStringList{QStringLiteral("redis")} << QStringList{QStringLiteral("celery<-redis")}
            << QStringList{QStringLiteral("celery~cannot reach the broker")} << QString();
        QTest::newRow("a slow web while the database hangs")
            << QStringList{QStringLiteral("db/pg_isready=no-answer"), QStringLiteral("web/readyz=no-answer")}
            << QStringList{QStringLiteral("db")} << QStringList{QStringLiteral("web<-db")}
            << QStringList{QStringLiteral("web~accepts connections but does not answer in time")} << QString();
        QTest::newRow("everything down: nothing answers on the host")
            << QStringList{QStringLiteral("redis/ping=refused"),    QStringLiteral("db/pg_isready=refused"),
                           QStringLiteral("celery/ping=refused"),   QStringLiteral("celery/event-loop=missing"),
                           QStringLiteral("celery/ready=missing"),  QStringLiteral("celery-flower/http=refused"),
                           QStringLiteral("nginx/healthz=refused"), QStringLiteral("nginx/livez=refused"),
                           QStringLiteral("nginx/readyz=refused")}
                + webRefused
            << QStringList{QStringLiteral("web"), QStringLiteral("nginx"),  QStringLiteral("redis"),
                           QStringLiteral("db"),  QStringLiteral("celery"), QStringLiteral("celery-flower")}
            << QStringList() << QStringList{QStringLiteral("nginx~not answering on 127.0.0.1:8080")}
            << QStringLiteral("nothing answers on 127.0.0.1: is the deployment running");
        QTest::newRow("names that do not resolve anywhere")
            << QStringList{QStringLiteral("redis/ping=unresolved"),         QStringLiteral("db/pg_isready=unresolved"),
                           QStringLiteral("celery-flower/http=unresolved"), QStringLiteral("celery/ping=unresolved"),
                           QStringLiteral("celery/event-loop=ssh-down"),    QStringLiteral("celery/ready=ssh-down")}
                + QStringList{QStringLiteral("web/healthz=unresolved"), QStringLiteral("web/livez=unresolved"),
                              QStringLiteral("web/readyz=unresolved"),  QStringLiteral("nginx/healthz=unresolved"),
                              QStringLiteral("nginx/livez=unresolved"), QStringLiteral("nginx/readyz=unresolved")}
            << QStringList() << QStringList() << QStringList()
            << QStringLiteral("nothing answers on 127.0.0.1: is the deployment running, and are these the right "
                              "host and ports?");
        QTest::newRow("one service down is no deployment-level cause")
            << QStringList{QStringLiteral("redis/ping=refused")} << QStringList{QStringLiteral("redis")}
            << QStringList() << QStringList() << QString();
        QTest::newRow("an unknown check blames nobody")
            << QStringList{QStringLiteral("redis/ping=ssh-down"), QStringLiteral("web/readyz=ssh-down")}
            << QStringList() << QStringList() << QStringList() << QString();
    }
    void analyse()
    {
        QFETCH(QStringList, results);
        QFETCH(QStringList, roots);
        QFETCH(QStringList, consequences);
        QFETCH(QStringList, reasons);
        QFETCH(QString, deploymentCause);

        const RootCause::Analysis a = ::analyse(results);
        QStringList gotRoots = a.roots();
        gotRoots.sort();
        roots.sort();
        QCOMPARE(gotRoots, roots);

        QStringList gotConsequences;
        for (const auto& f : a.findings) {
            if (!f.root)
                gotConsequences.append(f.service + u"<-" + f.causedBy.join(u','));
        }
        gotConsequences.sort();
        consequences.sort();
        QCOMPARE(gotConsequences, consequences);

        for (const QString& r : reasons) {
            const QString service = r.section(u'~', 0, 0);
            const QString text = r.section(u'~', 1);
            QVERIFY2(a.reason(service).contains(text),
                     qPrintable(service + QStringLiteral(": ") + a.reason(service) + QStringLiteral(" lacks ") + text));
        }
        if (deploymentCause.isEmpty())
            QVERIFY2(a.deploymentCause.isEmpty(), qPrintable(a.deploymentCause));
        else
            QVERIFY2(a.deploymentCause.contains(deploymentCause), qPrintable(a.deploymentCause));
    }

    // A custom worker whose readiness check pings its broker's port with a plain redis check:
    // the same port as redis's own check, so redis is what does not answer.
    void aCheckOfADependencysPortIsItsConsequence()
    {
        CheckSpec ping;
        ping.name = QStringLiteral("ping");
        ping.role = CheckRole::Readiness;
        ping.target = RedisTarget{QStringLiteral("127.0.0.1"), 6390, {}, {}, 0, {}};
        const ProbeResult refused = ProbeResult::unhealthy(QStringLiteral("refused")).because(FailureKind::Refused);
        RootCause::Service redis{QStringLiteral("redis"), {}, {}, false, false, {}};
        RootCause::Service worker{QStringLiteral("worker"), {QStringLiteral("redis")}, {}, false, false, {}};
        RootCause::Service other{QStringLiteral("other"), {QStringLiteral("redis")}, {}, false, false, {}};
        redis.add(ping, refused);
        worker.add(ping, refused);
        CheckSpec elsewhere = ping;
        elsewhere.target = RedisTarget{QStringLiteral("127.0.0.1"), 6391, {}, {}, 0, {}};
        other.add(elsewhere, refused);
        const RootCause::Analysis a = RootCause::analyse({worker, redis, other});
        QStringList roots = a.roots();
        roots.sort();
        QCOMPARE(roots, (QStringList{QStringLiteral("other"), QStringLiteral("redis")}));
        QCOMPARE(a.causedBy(QStringLiteral("worker")), QStringList{QStringLiteral("redis")});
        QCOMPARE(a.reason(QStringLiteral("worker")),
                 QStringLiteral("ping checks redis at 127.0.0.1:6390, which does not answer"));
    }

    // A consequence's roots follow the chain: nginx ← web ← db.
    void rootsAreTransitive()
    {
        const RootCause::Analysis a = ::analyse({QStringLiteral("db/pg_isready=refused"),
                                                 QStringLiteral("web/readyz=components:DatabaseBackend"),
                                                 QStringLiteral("nginx/readyz=http502")});
        const RootCause::Finding* nginx = a.find(QStringLiteral("nginx"));
        QVERIFY(nginx);
        QCOMPARE(nginx->causedBy, QStringList{QStringLiteral("web")});
        QCOMPARE(nginx->roots, QStringList{QStringLiteral("db")});
    }

    // Services that blame each other with nothing else failing: both are roots, none is lost.
    void aCycleMakesRoots()
    {
        CheckSpec check;
        check.name = QStringLiteral("http");
        check.role = CheckRole::Readiness;
        HttpTarget http;
        http.url = QUrl(QStringLiteral("http://127.0.0.1:1/"));
        check.target = http;
        ProbeResult badGateway = ProbeResult::unhealthy(QStringLiteral("502")).because(FailureKind::Answered);
        badGateway.details.append({QStringLiteral("status"), QStringLiteral("502")});

        RootCause::Service one{QStringLiteral("one"), {QStringLiteral("two")}, {}, false, false, {}};
        RootCause::Service two{QStringLiteral("two"), {QStringLiteral("one")}, {}, false, false, {}};
        one.add(check, badGateway);
        two.add(check, badGateway);
        const RootCause::Analysis analysis = RootCause::analyse({one, two});
        QStringList roots = analysis.roots();
        roots.sort();
        QCOMPARE(roots, (QStringList{QStringLiteral("one"), QStringLiteral("two")}));
    }

    // Info checks (a Flower page, an exposure check) never make a service failing.
    void infoChecksAreNoEvidence()
    {
        CheckSpec check;
        check.name = QStringLiteral("exposed");
        check.role = CheckRole::Info;
        check.target = TcpTarget{QStringLiteral("127.0.0.1"), 1};
        RootCause::Service s{QStringLiteral("web"), {}, {}, false, false, {}};
        s.add(check, ProbeResult::unhealthy(QStringLiteral("exposed")).because(FailureKind::Answered));
        QVERIFY(!s.failing);
        QVERIFY(RootCause::analyse({s}).findings.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRootCause)
#include "tst_rootcause.moc"
