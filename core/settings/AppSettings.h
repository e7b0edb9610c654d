#pragma once

#include "alert/NotificationRules.h"
#include "store/HistoryTypes.h"

#include <QObject>
#include <QVariant>
#include <memory>

class QSettings;

namespace okh {

// The desktop app's settings behind one typed facade (STYLE.md §11): every key with its name,
// type, default and allowed range in one table (AppSettings.cpp); widgets never see QSettings
// keys. A stored value of the wrong type or out of range reads as the default. Settings of an
// older layout are moved to the current one at construction (migrate()).
class AppSettings : public QObject
{
    Q_OBJECT
public:
    enum class Key {
        RecentFiles,
        LastOpened,
        WindowGeometry,
        WindowState,
        SmokeWaitReady,
        SmokeDeadlineSeconds,
        RetentionRawDays,
        RetentionMinuteDays,
        RetentionHourDays,
        NotifyEnabled,
        NotifyWouldRestart,
        NotifyOutOfRotation,
        NotifyUnknown,
        NotifyRecovered,
        NotifyThrottleMinutes,
        NotifySound,
        Language,
        Theme,
        StartMinimised,
        StartAtLogin,
        CloseToTray,
        CheckIntervalSeconds, // what the editor gives a check it adds
        CheckTimeoutSeconds,
    };
    Q_ENUM(Key)
    enum class Language { System, Dutch, English };
    enum class Theme { System, Light, Dark };

    static constexpr int CurrentVersion = 1;

    // The application's settings (QSettings with the organisation and application names).
    explicit AppSettings(QObject* parent = nullptr);
    // Settings in an INI file, for tests.
    explicit AppSettings(const QString& iniPath, QObject* parent = nullptr);
    ~AppSettings() override;

    // One instance for the whole process, created on first use (parented to the application).
    static AppSettings& instance();

    QVariant value(Key key) const;
    // Stores the value if it is valid for the key (else returns false and keeps the old one);
    // changed(key) when it differs from what was there.
    bool setValue(Key key, const QVariant& value);
    void reset(Key key);
    static QVariant defaultValue(Key key);
    static QString storageName(Key key); // "notify/throttleMinutes": for messages and docs

    bool boolValue(Key key) const { return value(key).toBool(); }
    int intValue(Key key) const { return value(key).toInt(); }

    RetentionPolicy retention() const;
    void setRetention(const RetentionPolicy& retention);
    NotificationRules notificationRules() const;
    void setNotificationRules(const NotificationRules& rules);
    Language language() const;
    Theme theme() const;

    void sync();

Q_SIGNALS:
    void changed(okh::AppSettings::Key key);

private:
    void migrate();

    std::unique_ptr<QSettings> m_settings;
};

} // namespace okh
