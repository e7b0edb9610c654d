#include "settings/AppSettings.h"

#include <QMetaEnum>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;
using Key = AppSettings::Key;

Q_DECLARE_METATYPE(okh::AppSettings::Key)

class TestAppSettings : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_ini;

private Q_SLOTS:
    void init()
    {
        m_ini = m_dir.filePath(QStringLiteral("%1.ini").arg(QLatin1String(QTest::currentTestFunction())));
        QFile::remove(m_ini);
    }

    // Every key of the enum has an entry with a distinct storage name and a default of its type.
    void everyKeyHasAnEntry()
    {
        const QMetaEnum keys = QMetaEnum::fromType<Key>();
        QSet<QString> names;
        for (int i = 0; i < keys.keyCount(); ++i) {
            const auto key = Key(keys.value(i));
            const QString name = AppSettings::storageName(key);
            QVERIFY2(name.contains(u'/'), qPrintable(name));
            QVERIFY2(!names.contains(name), qPrintable(name));
            names.insert(name);
            AppSettings settings(m_ini);
            QCOMPARE(settings.value(key), AppSettings::defaultValue(key));
        }
    }

    // What is stored in the file, read back: valid values as they are, the rest as the default.
    void storedValues_data()
    {
        QTest::addColumn<Key>("key");
        QTest::addColumn<QString>("stored"); // as an INI file holds it
        QTest::addColumn<QVariant>("expected");
        QTest::newRow("int in range") << Key::NotifyThrottleMinutes << QStringLiteral("15") << QVariant(15);
        QTest::newRow("int zero allowed") << Key::NotifyThrottleMinutes << QStringLiteral("0") << QVariant(0);
        QTest::newRow("int too big") << Key::NotifyThrottleMinutes << QStringLiteral("100000") << QVariant(5);
        QTest::newRow("int negative") << Key::RetentionRawDays << QStringLiteral("-1") << QVariant(30);
        QTest::newRow("int not a number") << Key::RetentionRawDays << QStringLiteral("lots") << QVariant(30);
        QTest::newRow("bool true") << Key::CloseToTray << QStringLiteral("true") << QVariant(true);
        QTest::newRow("bool garbage") << Key::CloseToTray << QStringLiteral("maybe") << QVariant(false);
        QTest::newRow("enum out of range") << Key::Theme << QStringLiteral("7") << QVariant(0);
        QTest::newRow("enum dark") << Key::Theme << QStringLiteral("2") << QVariant(2);
        QTest::newRow("check interval") << Key::CheckIntervalSeconds << QStringLiteral("30") << QVariant(30);
        QTest::newRow("check interval zero") << Key::CheckIntervalSeconds << QStringLiteral("0") << QVariant(10);
        QTest::newRow("check timeout too long") << Key::CheckTimeoutSeconds << QStringLiteral("7200") << QVariant(1);
    }

    void storedValues()
    {
        QFETCH(Key, key);
        QFETCH(QString, stored);
        QFETCH(QVariant, expected);
        {
            QSettings raw(m_ini, QSettings::IniFormat);
            raw.setValue(QStringLiteral("version"), AppSettings::CurrentVersion);
            raw.setValue(AppSettings::storageName(key), stored);
        }
        AppSettings settings(m_ini);
        QCOMPARE(settings.value(key), expected);
    }

    // setValue refuses what the table does not allow and keeps the old value; changed() comes
    // once per real change; values persist to the file.
    void setValueChecksAndSignals()
    {
        AppSettings settings(m_ini);
        QSignalSpy changed(&settings, &AppSettings::changed);
        QVERIFY(settings.setValue(Key::NotifyThrottleMinutes, 10));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().first().value<Key>(), Key::NotifyThrottleMinutes);
        QVERIFY(settings.setValue(Key::NotifyThrottleMinutes, 10));
        QCOMPARE(changed.count(), 1);
        QVERIFY(!settings.setValue(Key::NotifyThrottleMinutes, -3));
        QVERIFY(!settings.setValue(Key::NotifyThrottleMinutes, QStringLiteral("soon")));
        QCOMPARE(settings.intValue(Key::NotifyThrottleMinutes), 10);
        QCOMPARE(changed.count(), 1);
        settings.sync();
        AppSettings again(m_ini);
        QCOMPARE(again.intValue(Key::NotifyThrottleMinutes), 10);
        again.reset(Key::NotifyThrottleMinutes);
        QCOMPARE(again.intValue(Key::NotifyThrottleMinutes), 5);
    }

    void groupsRoundTrip()
    {
        AppSettings settings(m_ini);
        NotificationRules rules;
        rules.unknown = true;
        rules.recovered = false;
        rules.throttle = std::chrono::minutes(30);
        rules.sound = true;
        settings.setNotificationRules(rules);
        RetentionPolicy retention;
        retention.rawDays = 7;
        retention.hourDays = 365;
        settings.setRetention(retention);
        settings.sync();
        AppSettings again(m_ini);
        QCOMPARE(again.notificationRules(), rules);
        QCOMPARE(again.retention(), retention);
    }

    // Settings from before the facade (version 0) move to their current names.
    void migratesVersionZero()
    {
        {
            QSettings raw(m_ini, QSettings::IniFormat);
            raw.setValue(QStringLiteral("smokeCheck/waitReady"), true);
            raw.setValue(QStringLiteral("smokeCheck/deadlineSeconds"), 300);
            raw.setValue(QStringLiteral("recent/files"), QStringList{QStringLiteral("/tmp/a.json")});
        }
        {
            AppSettings settings(m_ini);
            QCOMPARE(settings.boolValue(Key::SmokeWaitReady), true);
            QCOMPARE(settings.intValue(Key::SmokeDeadlineSeconds), 300);
            QCOMPARE(settings.value(Key::RecentFiles).toStringList(), QStringList{QStringLiteral("/tmp/a.json")});
        }
        QSettings raw(m_ini, QSettings::IniFormat);
        QCOMPARE(raw.value(QStringLiteral("version")).toInt(), AppSettings::CurrentVersion);
        QVERIFY(!raw.contains(QStringLiteral("smokeCheck/waitReady")));
        QVERIFY(!raw.contains(QStringLiteral("smokeCheck/deadlineSeconds")));
    }

    // A file written by a newer release is left as it is.
    void newerVersionUntouched()
    {
        {
            QSettings raw(m_ini, QSettings::IniFormat);
            raw.setValue(QStringLiteral("version"), AppSettings::CurrentVersion + 1);
            raw.setValue(QStringLiteral("smokeCheck/waitReady"), true);
        }
        AppSettings settings(m_ini);
        settings.sync();
        QSettings raw(m_ini, QSettings::IniFormat);
        QCOMPARE(raw.value(QStringLiteral("version")).toInt(), AppSettings::CurrentVersion + 1);
        QVERIFY(raw.contains(QStringLiteral("smokeCheck/waitReady")));
    }
};

QTEST_GUILESS_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
