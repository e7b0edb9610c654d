#include "NotificationDaemon.h"
#include "notify/DesktopNotifier.h"
#include "standin/XvfbDisplay.h"

#include <QSignalSpy>
#include <QTest>

using namespace okh;

namespace {

Alert downAlert()
{
    Alert alert;
    AlertItem item;
    item.deployment = QStringLiteral("acc");
    item.service = QStringLiteral("redis");
    item.explains = QStringList{QStringLiteral("web"), QStringLiteral("celery")};
    item.reason = QStringLiteral("not answering on 127.0.0.1:6379");
    alert.items = {item};
    alert.title = QStringLiteral("redis is down — explains web, celery");
    alert.body = QStringLiteral("acc: not answering on 127.0.0.1:6379");
    alert.problem = true;
    return alert;
}

Alert recoveredAlert()
{
    Alert alert;
    AlertItem item;
    item.deployment = QStringLiteral("acc");
    item.service = QStringLiteral("redis");
    item.kind = AlertItem::Kind::Recovered;
    alert.items = {item};
    alert.title = QStringLiteral("redis is healthy again");
    alert.body = QStringLiteral("acc");
    return alert;
}

} // namespace

// Against a real notification daemon (dunst) on a private session bus, drawing on Xvfb: the
// notification arrives with its actions, and choosing one reaches the app as a signal.
class TestDesktopNotifier : public QObject
{
    Q_OBJECT

private:
    standin::XvfbDisplay m_display;
    test::NotificationDaemon m_daemon;

    uint deliver(DesktopNotifier& notifier, const Alert& alert)
    {
        QSignalSpy delivered(&notifier, &DesktopNotifier::delivered);
        notifier.notify(alert);
        if (!delivered.wait(5000))
            return 0;
        if (delivered.first().at(0).value<DesktopNotifier::Channel>() != DesktopNotifier::Channel::Notifications)
            return 0;
        return delivered.first().at(1).toUInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_display.start(QStringLiteral("800x600x24")), qPrintable(m_display.errorString()));
        QVERIFY2(m_daemon.startBus(), qPrintable(m_daemon.errorString()));
        QVERIFY2(m_daemon.startDunst(m_display.display()), qPrintable(m_daemon.errorString()));
    }

    void cleanup() { m_daemon.dunstctl({QStringLiteral("close-all")}); }

    void acknowledgeFromTheNotification()
    {
        DesktopNotifier notifier(m_daemon.connection());
        QSignalSpy acknowledged(&notifier, &DesktopNotifier::acknowledgeRequested);
        QSignalSpy shown(&notifier, &DesktopNotifier::showRequested);
        const uint id = deliver(notifier, downAlert());
        QVERIFY(id > 0);
        QCOMPARE(m_daemon.dunstctl({QStringLiteral("count"), QStringLiteral("displayed")}).trimmed(),
                 QStringLiteral("1"));

        m_daemon.chooseInMenu(QStringLiteral("Acknowledge"));
        m_daemon.dunstctl({QStringLiteral("context")});
        QVERIFY(acknowledged.wait(5000));
        QCOMPARE(acknowledged.first().first().value<Alert>().title, downAlert().title);
        QCOMPARE(shown.count(), 0);
        const QString menu = m_daemon.menuOffered();
        QVERIFY2(menu.contains(QStringLiteral("#Show (redis is down — explains web, celery)")), qPrintable(menu));
        QVERIFY2(menu.contains(QStringLiteral("#Acknowledge (redis is down — explains web, celery)")),
                 qPrintable(menu));
    }

    // A click is the default action: Show.
    void clickShows()
    {
        DesktopNotifier notifier(m_daemon.connection());
        QSignalSpy shown(&notifier, &DesktopNotifier::showRequested);
        QVERIFY(deliver(notifier, downAlert()) > 0);
        m_daemon.dunstctl({QStringLiteral("action"), QStringLiteral("0")});
        QVERIFY(shown.wait(5000));
        QCOMPARE(shown.first().first().value<Alert>().items.first().service, QStringLiteral("redis"));
    }

    // A recovery offers Show only; the daemon's history has its title and body.
    void recoveryHasNoAcknowledge()
    {
        DesktopNotifier notifier(m_daemon.connection());
        QVERIFY(deliver(notifier, recoveredAlert()) > 0);
        m_daemon.chooseInMenu(QStringLiteral("Show"));
        QSignalSpy shown(&notifier, &DesktopNotifier::showRequested);
        m_daemon.dunstctl({QStringLiteral("context")});
        QVERIFY(shown.wait(5000));
        QVERIFY(!m_daemon.menuOffered().contains(QStringLiteral("Acknowledge")));
        QVERIFY(deliver(notifier, recoveredAlert()) > 0);
        m_daemon.dunstctl({QStringLiteral("close-all")});
        const QString history = m_daemon.dunstctl({QStringLiteral("history")});
        QVERIFY2(history.contains(QStringLiteral("\"redis is healthy again\"")), qPrintable(history));
    }

    // A service's next state replaces its notification still on screen.
    void nextStateReplaces()
    {
        DesktopNotifier notifier(m_daemon.connection());
        const uint down = deliver(notifier, downAlert());
        QVERIFY(down > 0);
        QCOMPARE(deliver(notifier, recoveredAlert()), down);
        QCOMPARE(m_daemon.dunstctl({QStringLiteral("count"), QStringLiteral("displayed")}).trimmed(),
                 QStringLiteral("1"));
    }

    // Another application's action is not ours.
    void foreignActionsIgnored()
    {
        DesktopNotifier notifier(m_daemon.connection());
        QSignalSpy shown(&notifier, &DesktopNotifier::showRequested);
        QProcess dunstify;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_daemon.busAddress());
        dunstify.setProcessEnvironment(env);
        dunstify.start(QStringLiteral("dunstify"),
                       {QStringLiteral("-A"), QStringLiteral("default,Open"), QStringLiteral("other app")});
        QTRY_COMPARE(m_daemon.dunstctl({QStringLiteral("count"), QStringLiteral("displayed")}).trimmed(),
                     QStringLiteral("1"));
        m_daemon.dunstctl({QStringLiteral("action"), QStringLiteral("0")});
        QVERIFY(dunstify.waitForFinished(5000));
        QTest::qWait(200);
        QCOMPARE(shown.count(), 0);
    }

    // A session without a notification service: the tray's balloon (none offscreen), no error.
    void withoutServiceFallsBack()
    {
        test::NotificationDaemon bare;
        QVERIFY2(bare.startBus(), qPrintable(bare.errorString()));
        DesktopNotifier notifier(bare.connection());
        QSignalSpy delivered(&notifier, &DesktopNotifier::delivered);
        notifier.notify(downAlert());
        QVERIFY(delivered.wait(5000));
        QCOMPARE(delivered.first().first().value<DesktopNotifier::Channel>(), DesktopNotifier::Channel::None);
        notifier.notify(downAlert()); // known missing now: no second try on the bus
        QCOMPARE(delivered.count(), 2);
    }
};

QTEST_MAIN(TestDesktopNotifier)
#include "tst_desktopnotifier.moc"
