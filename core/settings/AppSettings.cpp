#include "AppSettings.h"

#include <QCoreApplication>
#include <QSettings>
#include <array>

namespace okh {

namespace {

using Key = AppSettings::Key;

// What a key holds: its type decides which stored values are valid; ints also have a range.
struct Entry
{
    Key key;
    const char* name;
    QMetaType::Type type;
    QVariant defaultValue;
    int minimum = 0;
    int maximum = 0;
};

const std::array<Entry, 23>& table()
{
    static const std::array<Entry, 23> entries{{
        {Key::RecentFiles, "recent/files", QMetaType::QStringList, QStringList()},
        {Key::LastOpened, "recent/lastOpened", QMetaType::QStringList, QStringList()},
        {Key::WindowGeometry, "window/geometry", QMetaType::QByteArray, QByteArray()},
        {Key::WindowState, "window/state", QMetaType::QByteArray, QByteArray()},
        {Key::SmokeWaitReady, "smoke/waitReady", QMetaType::Bool, false},
        {Key::SmokeDeadlineSeconds, "smoke/deadlineSeconds", QMetaType::Int, 120, 1, 3600},
        // 0 days: kept forever (RetentionPolicy).
        {Key::RetentionRawDays, "history/rawDays", QMetaType::Int, RetentionPolicy().rawDays, 0, 3650},
        {Key::RetentionMinuteDays, "history/minuteDays", QMetaType::Int, RetentionPolicy().minuteDays, 0, 3650},
        {Key::RetentionHourDays, "history/hourDays", QMetaType::Int, RetentionPolicy().hourDays, 0, 3650},
        {Key::NotifyEnabled, "notify/enabled", QMetaType::Bool, NotificationRules().enabled},
        {Key::NotifyWouldRestart, "notify/wouldRestart", QMetaType::Bool, NotificationRules().wouldRestart},
        {Key::NotifyOutOfRotation, "notify/outOfRotation", QMetaType::Bool, NotificationRules().outOfRotation},
        {Key::NotifyUnknown, "notify/unknown", QMetaType::Bool, NotificationRules().unknown},
        {Key::NotifyRecovered, "notify/recovered", QMetaType::Bool, NotificationRules().recovered},
        {Key::NotifyThrottleMinutes, "notify/throttleMinutes", QMetaType::Int,
         int(NotificationRules().throttle.count()), 0, 24 * 60},
        {Key::NotifySound, "notify/sound", QMetaType::Bool, NotificationRules().sound},
        {Key::Language, "app/language", QMetaType::Int, int(AppSettings::Language::System), 0, 2},
        {Key::Theme, "app/theme", QMetaType::Int, int(AppSettings::Theme::System), 0, 2},
        {Key::StartMinimised, "app/startMinimised", QMetaType::Bool, false},
        {Key::StartAtLogin, "app/startAtLogin", QMetaType::Bool, false},
        {Key::CloseToTray, "app/closeToTray", QMetaType::Bool, false},
        // The deployment file's own defaults (CheckSpec): 10 s and 1 s.
        {Key::CheckIntervalSeconds, "checks/intervalSeconds", QMetaType::Int, 10, 1, 24 * 3600},
        {Key::CheckTimeoutSeconds, "checks/timeoutSeconds", QMetaType::Int, 1, 1, 3600},
    }};
    return entries;
}

const Entry& entry(Key key)
{
    const Entry& e = table().at(size_t(key));
    Q_ASSERT(e.key == key); // the table is in enum order
    return e;
}

// The stored value as the key's type, or nothing when it cannot be one (or is out of range).
std::optional<QVariant> valid(const Entry& e, const QVariant& stored)
{
    if (!stored.isValid())
        return std::nullopt;
    const QMetaType type(e.type);
    if (e.type == QMetaType::Bool) {
        // INI files hold "true"/"false" as strings; anything else is not a bool.
        const QString text = stored.toString().toLower();
        if (stored.typeId() == QMetaType::Bool)
            return stored;
        if (text == QLatin1String("true") || text == QLatin1String("false"))
            return QVariant(text == QLatin1String("true"));
        return std::nullopt;
    }
    if (e.type == QMetaType::Int) {
        bool ok = false;
        const int value = stored.toString().toInt(&ok);
        if (!ok || value < e.minimum || value > e.maximum)
            return std::nullopt;
        return QVariant(value);
    }
    if (e.type == QMetaType::QStringList && stored.typeId() == QMetaType::QString)
        return QVariant(QStringList{stored.toString()}); // QSettings stores a 1-element list as a string
    if (!stored.canConvert(type))
        return std::nullopt;
    QVariant converted = stored;
    converted.convert(type);
    return converted;
}

} // namespace

AppSettings::AppSettings(QObject* parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>())
{
    migrate();
}

AppSettings::AppSettings(const QString& iniPath, QObject* parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{
    migrate();
}

AppSettings::~AppSettings() = default;

AppSettings& AppSettings::instance()
{
    static AppSettings* settings = new AppSettings(QCoreApplication::instance());
    return *settings;
}

QVariant AppSettings::value(Key key) const
{
    const Entry& e = entry(key);
    return valid(e, m_settings->value(QLatin1String(e.name))).value_or(e.defaultValue);
}

bool AppSettings::setValue(Key key, const QVariant& value)
{
    const Entry& e = entry(key);
    const std::optional<QVariant> checked = valid(e, value);
    if (!checked)
        return false;
    const bool differs = *checked != this->value(key);
    m_settings->setValue(QLatin1String(e.name), *checked);
    if (differs)
        Q_EMIT changed(key);
    return true;
}

void AppSettings::reset(Key key)
{
    const QVariant before = value(key);
    m_settings->remove(QLatin1String(entry(key).name));
    if (value(key) != before)
        Q_EMIT changed(key);
}

QVariant AppSettings::defaultValue(Key key)
{
    return entry(key).defaultValue;
}

QString AppSettings::storageName(Key key)
{
    return QLatin1String(entry(key).name);
}

RetentionPolicy AppSettings::retention() const
{
    RetentionPolicy policy;
    policy.rawDays = intValue(Key::RetentionRawDays);
    policy.minuteDays = intValue(Key::RetentionMinuteDays);
    policy.hourDays = intValue(Key::RetentionHourDays);
    return policy;
}

void AppSettings::setRetention(const RetentionPolicy& retention)
{
    setValue(Key::RetentionRawDays, retention.rawDays);
    setValue(Key::RetentionMinuteDays, retention.minuteDays);
    setValue(Key::RetentionHourDays, retention.hourDays);
}

NotificationRules AppSettings::notificationRules() const
{
    NotificationRules rules;
    rules.enabled = boolValue(Key::NotifyEnabled);
    rules.wouldRestart = boolValue(Key::NotifyWouldRestart);
    rules.outOfRotation = boolValue(Key::NotifyOutOfRotation);
    rules.unknown = boolValue(Key::NotifyUnknown);
    rules.recovered = boolValue(Key::NotifyRecovered);
    rules.throttle = std::chrono::minutes(intValue(Key::NotifyThrottleMinutes));
    rules.sound = boolValue(Key::NotifySound);
    return rules;
}

void AppSettings::setNotificationRules(const NotificationRules& rules)
{
    setValue(Key::NotifyEnabled, rules.enabled);
    setValue(Key::NotifyWouldRestart, rules.wouldRestart);
    setValue(Key::NotifyOutOfRotation, rules.outOfRotation);
    setValue(Key::NotifyUnknown, rules.unknown);
    setValue(Key::NotifyRecovered, rules.recovered);
    setValue(Key::NotifyThrottleMinutes, int(rules.throttle.count()));
    setValue(Key::NotifySound, rules.sound);
}

AppSettings::Language AppSettings::language() const
{
    return Language(intValue(Key::Language));
}

AppSettings::Theme AppSettings::theme() const
{
    return Theme(intValue(Key::Theme));
}

void AppSettings::sync()
{
    m_settings->sync();
}

void AppSettings::migrate()
{
    const QString versionKey = QStringLiteral("version");
    const int version = m_settings->value(versionKey, 0).toInt();
    if (version >= CurrentVersion)
        return; // current, or written by a newer release: left as it is
    if (version < 1) {
        // 0 (before the facade): the smoke check's options were under "smokeCheck/".
        const std::pair<const char*, Key> moved[] = {{"smokeCheck/waitReady", Key::SmokeWaitReady},
                                                     {"smokeCheck/deadlineSeconds", Key::SmokeDeadlineSeconds}};
        for (const auto& [oldName, key] : moved) {
            const QString name = QLatin1String(oldName);
            if (!m_settings->contains(name))
                continue;
            if (const std::optional<QVariant> v = valid(entry(key), m_settings->value(name)))
                m_settings->setValue(storageName(key), *v);
            m_settings->remove(name);
        }
    }
    m_settings->setValue(versionKey, CurrentVersion);
}

} // namespace okh
