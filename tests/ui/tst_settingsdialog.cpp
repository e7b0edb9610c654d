#include "settings/SettingsDialog.h"
#include "util/Autostart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace okh;
using Key = AppSettings::Key;

Q_DECLARE_METATYPE(okh::AppSettings::Key)

// The preferences dialog on settings in a temporary INI file: every control writes its key at
// once and persists; a change made elsewhere shows in the control; Restore Defaults resets;
// the language says it waits for a restart; Start at login writes and removes the real XDG
// autostart entry (under QStandardPaths' test mode).
class TestSettingsDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_ini;

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_ini = m_dir.filePath(QStringLiteral("%1.ini").arg(QLatin1String(QTest::currentTestFunction())));
        QFile::remove(m_ini);
        QFile::remove(Autostart::entryPath());
    }

    void controlsWriteTheirKeys_data()
    {
        QTest::addColumn<Key>("key");
        QTest::addColumn<QVariant>("value");
        QTest::newRow("close to tray") << Key::CloseToTray << QVariant(true);
        QTest::newRow("start minimised") << Key::StartMinimised << QVariant(true);
        QTest::newRow("notify unknown") << Key::NotifyUnknown << QVariant(true);
        QTest::newRow("notify recovered off") << Key::NotifyRecovered << QVariant(false);
        QTest::newRow("notify sound") << Key::NotifySound << QVariant(true);
        QTest::newRow("throttle") << Key::NotifyThrottleMinutes << QVariant(15);
        QTest::newRow("throttle none") << Key::NotifyThrottleMinutes << QVariant(0);
        QTest::newRow("raw days") << Key::RetentionRawDays << QVariant(7);
        QTest::newRow("minute days forever") << Key::RetentionMinuteDays << QVariant(0);
        QTest::newRow("theme dark") << Key::Theme << QVariant(int(AppSettings::Theme::Dark));
        QTest::newRow("language dutch") << Key::Language << QVariant(int(AppSettings::Language::Dutch));
        QTest::newRow("check interval") << Key::CheckIntervalSeconds << QVariant(30);
        QTest::newRow("check timeout") << Key::CheckTimeoutSeconds << QVariant(5);
    }

    void controlsWriteTheirKeys()
    {
        QFETCH(Key, key);
        QFETCH(QVariant, value);
        {
            AppSettings settings(m_ini);
            SettingsDialog dialog(settings);
            QWidget* control = dialog.control(key);
            QVERIFY(control);
            QVERIFY2(!control->accessibleName().isEmpty() || qobject_cast<QCheckBox*>(control),
                     "spin boxes and lists have an accessible name");
            QSignalSpy changed(&settings, &AppSettings::changed);
            if (auto* box = qobject_cast<QCheckBox*>(control))
                box->setChecked(value.toBool());
            else if (auto* box = qobject_cast<QSpinBox*>(control))
                box->setValue(value.toInt());
            else if (auto* box = qobject_cast<QComboBox*>(control))
                box->setCurrentIndex(value.toInt());
            QCOMPARE(settings.value(key), value);
            QCOMPARE(changed.count(), 1);
            settings.sync();
        }
        AppSettings again(m_ini);
        QCOMPARE(again.value(key), value);
    }

    void followsChangesAndRestoresDefaults()
    {
        AppSettings settings(m_ini);
        SettingsDialog dialog(settings);
        auto* throttle = qobject_cast<QSpinBox*>(dialog.control(Key::NotifyThrottleMinutes));
        QVERIFY(throttle);
        settings.setValue(Key::NotifyThrottleMinutes, 42);
        QCOMPARE(throttle->value(), 42);
        QCOMPARE(throttle->specialValueText(), QStringLiteral("no limit"));

        // Notifications off: the rules below it are greyed out.
        auto* enabled = qobject_cast<QCheckBox*>(dialog.control(Key::NotifyEnabled));
        enabled->setChecked(false);
        QVERIFY(!dialog.control(Key::NotifyWouldRestart)->isEnabled());

        auto* language = qobject_cast<QComboBox*>(dialog.control(Key::Language));
        language->setCurrentIndex(int(AppSettings::Language::English));
        QVERIFY(dialog.findChild<QLabel*>() != nullptr);
        bool restartSaid = false;
        for (QLabel* label : dialog.findChildren<QLabel*>())
            restartSaid |= label->text() == QStringLiteral("The language changes when OK Health is started again.");
        QVERIFY(restartSaid);

        const auto buttons = dialog.findChild<QDialogButtonBox*>();
        buttons->button(QDialogButtonBox::RestoreDefaults)->click();
        QCOMPARE(settings.intValue(Key::NotifyThrottleMinutes), 5);
        QCOMPARE(throttle->value(), 5);
        QVERIFY(settings.boolValue(Key::NotifyEnabled));
        QVERIFY(dialog.control(Key::NotifyWouldRestart)->isEnabled());
        QCOMPARE(settings.language(), AppSettings::Language::System);
    }

    void startAtLoginWritesTheAutostartEntry()
    {
        AppSettings settings(m_ini);
        SettingsDialog dialog(settings);
        QSignalSpy applied(&dialog, &SettingsDialog::autostartApplied);
        auto* login = qobject_cast<QCheckBox*>(dialog.control(Key::StartAtLogin));
        login->setChecked(true);
        QVERIFY(applied.wait(5000));
        QCOMPARE(applied.first().first().toString(), QString());
        QVERIFY(QFile::exists(Autostart::entryPath()));
        QVERIFY2(dialog.autostartMessage().contains(Autostart::entryPath()), qPrintable(dialog.autostartMessage()));
        login->setChecked(false);
        QVERIFY(applied.wait(5000));
        QVERIFY(!QFile::exists(Autostart::entryPath()));
    }

    void everyTabReachableByKeyboard()
    {
        AppSettings settings(m_ini);
        SettingsDialog dialog(settings);
        QCOMPARE(dialog.tabs()->count(), 4);
        for (int i = 0; i < dialog.tabs()->count(); ++i)
            QVERIFY2(dialog.tabs()->tabText(i).contains(u'&'), qPrintable(dialog.tabs()->tabText(i)));
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
