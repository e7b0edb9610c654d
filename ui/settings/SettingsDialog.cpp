#include "SettingsDialog.h"

#include "util/Autostart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QThreadPool>
#include <QVBoxLayout>

namespace okh {

using Key = AppSettings::Key;

SettingsDialog::SettingsDialog(AppSettings& settings, QWidget* parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_startLanguage(settings.language())
{
    setWindowTitle(tr("Preferences"));
    setObjectName(QStringLiteral("preferences"));
    auto* layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(generalPage(), tr("&General"));
    m_tabs->addTab(notificationsPage(), tr("&Notifications"));
    m_tabs->addTab(historyPage(), tr("&History"));
    m_tabs->addTab(checksPage(), tr("&Checks"));
    layout->addWidget(m_tabs);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
        for (auto it = m_controls.cbegin(); it != m_controls.cend(); ++it)
            m_settings.reset(it.key());
    });
    buttons->button(QDialogButtonBox::RestoreDefaults)
        ->setToolTip(tr("Every setting on these pages back to its default"));
    layout->addWidget(buttons);
    connect(&m_settings, &AppSettings::changed, this, [this](Key key) {
        showValue(key);
        if (key == Key::StartAtLogin) // also when restored to its default
            applyAutostart(m_settings.boolValue(key));
    });
    for (auto it = m_controls.cbegin(); it != m_controls.cend(); ++it)
        showValue(it.key());
}

QWidget* SettingsDialog::control(Key key) const
{
    return m_controls.value(key);
}

QString SettingsDialog::autostartMessage() const
{
    return m_autostartMessage->text();
}

QCheckBox* SettingsDialog::check(Key key, const QString& text, const QString& description)
{
    auto* box = new QCheckBox(text, this);
    box->setAccessibleDescription(description);
    box->setToolTip(description);
    connect(box, &QCheckBox::toggled, this, [this, key](bool on) { m_settings.setValue(key, on); });
    m_controls.insert(key, box);
    return box;
}

QSpinBox* SettingsDialog::spin(Key key, int minimum, int maximum, const QString& suffix, const QString& accessibleName)
{
    auto* box = new QSpinBox(this);
    box->setRange(minimum, maximum);
    box->setSuffix(suffix);
    box->setAccessibleName(accessibleName);
    connect(box, &QSpinBox::valueChanged, this, [this, key](int value) { m_settings.setValue(key, value); });
    m_controls.insert(key, box);
    return box;
}

QComboBox* SettingsDialog::choice(Key key, const QStringList& items, const QString& accessibleName)
{
    auto* box = new QComboBox(this);
    box->addItems(items);
    box->setAccessibleName(accessibleName);
    connect(box, &QComboBox::currentIndexChanged, this, [this, key](int index) {
        if (index >= 0)
            m_settings.setValue(key, index);
    });
    m_controls.insert(key, box);
    return box;
}

QWidget* SettingsDialog::generalPage()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    QComboBox* language = choice(
        Key::Language, {tr("As the system"), QStringLiteral("Nederlands"), QStringLiteral("English")}, tr("Language"));
    form->addRow(tr("&Language:"), language);
    m_languageNote = new QLabel(page);
    m_languageNote->setWordWrap(true);
    form->addRow(QString(), m_languageNote);
    form->addRow(tr("&Theme:"), choice(Key::Theme, {tr("As the system"), tr("Light"), tr("Dark")}, tr("Theme")));
    form->addRow(QString(),
                 check(Key::StartMinimised, tr("Start &minimised to the tray"),
                       tr("The window stays hidden at start; the tray icon shows the status")));
    QCheckBox* login = check(Key::StartAtLogin, tr("Start at &login"),
                             tr("An autostart entry starts OK Health when you log in to this desktop"));
    form->addRow(QString(), login);
    m_autostartMessage = new QLabel(page);
    m_autostartMessage->setWordWrap(true);
    m_autostartMessage->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), m_autostartMessage);
    form->addRow(QString(),
                 check(Key::CloseToTray, tr("&Closing the window keeps watching in the tray"),
                       tr("Quit from the File menu or the tray icon's menu")));
    return page;
}

QWidget* SettingsDialog::notificationsPage()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    QCheckBox* enabled = check(Key::NotifyEnabled, tr("Show &desktop notifications"),
                               tr("When a service changes state, root cause first"));
    form->addRow(enabled);
    auto* when = new QLabel(tr("Notify when a service:"), page);
    form->addRow(when);
    const QList<QPair<Key, QPair<QString, QString>>> rules{
        {Key::NotifyWouldRestart,
         {tr("would be &restarted (a liveness or startup check fails)"), tr("The orchestrator would restart it")}},
        {Key::NotifyOutOfRotation,
         {tr("goes &out of rotation (a readiness check fails)"), tr("It would get no traffic")}},
        {Key::NotifyUnknown,
         {tr("cannot be &checked (no answer from the monitor's side, SSH down)"),
          tr("The monitor's own trouble, not the service's")}},
        {Key::NotifyRecovered, {tr("is healthy &again"), tr("After a notification that it was failing")}},
    };
    for (const auto& [key, texts] : rules) {
        QCheckBox* box = check(key, texts.first, texts.second);
        connect(enabled, &QCheckBox::toggled, box, &QWidget::setEnabled);
        form->addRow(box);
    }
    QSpinBox* throttle = spin(Key::NotifyThrottleMinutes, 0, 24 * 60, tr(" min"),
                              tr("At most one notification per service in this many minutes"));
    throttle->setSpecialValueText(tr("no limit"));
    form->addRow(tr("At most one per service every:"), throttle);
    form->addRow(check(Key::NotifySound, tr("Play a &sound"), tr("The desktop's warning sound")));
    auto* note = new QLabel(tr("Changes within a few seconds go out as one notification; a service that keeps "
                               "changing is told once, then again when it has settled."),
                            page);
    note->setWordWrap(true);
    form->addRow(note);
    return page;
}

QWidget* SettingsDialog::checksPage()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    auto* note = new QLabel(tr("For checks added in the deployment editor; a deployment file without "
                               "them means 10 s and 1 s."),
                            page);
    note->setWordWrap(true);
    form->addRow(note);
    form->addRow(tr("&Interval:"),
                 spin(Key::CheckIntervalSeconds, 1, 24 * 3600, tr(" s"), tr("Interval of new checks")));
    form->addRow(tr("&Timeout:"), spin(Key::CheckTimeoutSeconds, 1, 3600, tr(" s"), tr("Timeout of new checks")));
    return page;
}

QWidget* SettingsDialog::historyPage()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    const auto days = [this](Key key, const QString& name) {
        QSpinBox* box = spin(key, 0, 3650, tr(" days"), name);
        box->setSpecialValueText(tr("forever"));
        return box;
    };
    form->addRow(tr("Every &result:"), days(Key::RetentionRawDays, tr("Keep every result for")));
    form->addRow(tr("Per-&minute summaries:"), days(Key::RetentionMinuteDays, tr("Keep per-minute summaries for")));
    form->addRow(tr("Per-h&our summaries:"), days(Key::RetentionHourDays, tr("Keep per-hour summaries for")));
    auto* note = new QLabel(tr("Older rows are removed in small steps while the app runs; the history view uses the "
                               "summaries for long ranges."),
                            page);
    note->setWordWrap(true);
    form->addRow(note);
    return page;
}

void SettingsDialog::showValue(Key key)
{
    QWidget* widget = m_controls.value(key);
    if (!widget)
        return;
    const QSignalBlocker blocker(widget); // showing a value is not changing it
    const QVariant value = m_settings.value(key);
    if (auto* box = qobject_cast<QCheckBox*>(widget))
        box->setChecked(value.toBool());
    else if (auto* box = qobject_cast<QSpinBox*>(widget))
        box->setValue(value.toInt());
    else if (auto* box = qobject_cast<QComboBox*>(widget))
        box->setCurrentIndex(value.toInt());
    if (key == Key::NotifyEnabled) {
        for (const Key rule :
             {Key::NotifyWouldRestart, Key::NotifyOutOfRotation, Key::NotifyUnknown, Key::NotifyRecovered})
            if (QWidget* w = m_controls.value(rule))
                w->setEnabled(value.toBool());
    }
    if (key == Key::Language) {
        m_languageNote->setText(m_settings.language() == m_startLanguage
                                    ? QString()
                                    : tr("The language changes when OK Health is started again."));
    }
}

void SettingsDialog::applyAutostart(bool enabled)
{
    const QString program = QCoreApplication::applicationFilePath();
    m_autostartMessage->setText(tr("Saving…"));
    QPointer<SettingsDialog> self(this);
    // Disk work: off the GUI thread.
    QThreadPool::globalInstance()->start([self, enabled, program] {
        const std::optional<QString> error = Autostart::apply(enabled, program);
        QMetaObject::invokeMethod(qApp, [self, enabled, error] {
            if (!self)
                return;
            self->m_autostartMessage->setText(error         ? tr("Start at login could not be saved: %1").arg(*error)
                                                  : enabled ? tr("Starts at login: %1").arg(Autostart::entryPath())
                                                            : QString());
            Q_EMIT self->autostartApplied(error.value_or(QString()));
        });
    });
}

} // namespace okh
