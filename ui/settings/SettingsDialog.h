#pragma once

#include "settings/AppSettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;
class QTabWidget;

namespace okh {

// Edit → Preferences (docs/desktop.md, "Settings"): General (language, theme, start minimised,
// start at login, close to the tray), Notifications (which transitions, throttle, sound) and
// History (how long results are kept). Every change applies at once through AppSettings (the
// language after a restart); the controls follow the settings when they change elsewhere.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(AppSettings& settings, QWidget* parent = nullptr);

    QTabWidget* tabs() const { return m_tabs; }
    QWidget* control(AppSettings::Key key) const;
    QString autostartMessage() const;

Q_SIGNALS:
    // Start at login was written or removed (error empty), or could not be (error names the file).
    void autostartApplied(const QString& error);

private:
    QWidget* generalPage();
    QWidget* notificationsPage();
    QWidget* historyPage();
    QWidget* checksPage();
    QCheckBox* check(AppSettings::Key key, const QString& text, const QString& description);
    QSpinBox* spin(AppSettings::Key key, int minimum, int maximum, const QString& suffix,
                   const QString& accessibleName);
    QComboBox* choice(AppSettings::Key key, const QStringList& items, const QString& accessibleName);
    void showValue(AppSettings::Key key);
    void applyAutostart(bool enabled);

    AppSettings& m_settings;
    QTabWidget* m_tabs = nullptr;
    QHash<AppSettings::Key, QWidget*> m_controls;
    QLabel* m_languageNote = nullptr;
    QLabel* m_autostartMessage = nullptr;
    AppSettings::Language m_startLanguage;
};

} // namespace okh
