#include "SmokeCheckDialog.h"

#include "paint/StatusPaint.h"
#include "report/MarkdownReport.h"
#include "report/TextReport.h"
#include "session/MonitorHost.h"
#include "settings/AppSettings.h"
#include "smoke/SmokeReportModel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTreeView>
#include <QVBoxLayout>

namespace okh {

namespace { } // namespace

SmokeCheckDialog::SmokeCheckDialog(MonitorHost& host, const QString& deployment, QWidget* parent)
    : QDialog(parent)
    , m_host(&host)
    , m_deployment(deployment)
    , m_model(new SmokeReportModel(this))
{
    setWindowTitle(tr("Smoke Check: %1").arg(deployment));
    setObjectName(QStringLiteral("smokeCheck"));
    buildLayout();
    connect(&host, &MonitorHost::smokeProgress, this, &SmokeCheckDialog::onProgress);
    connect(&host, &MonitorHost::smokeWaiting, this, &SmokeCheckDialog::onWaiting);
    connect(&host, &MonitorHost::smokeFinished, this, &SmokeCheckDialog::onFinished);
    connect(&host, &MonitorHost::smokeFailed, this, &SmokeCheckDialog::onFailed);
    const AppSettings& settings = AppSettings::instance();
    setWaitReady(settings.boolValue(AppSettings::Key::SmokeWaitReady),
                 settings.intValue(AppSettings::Key::SmokeDeadlineSeconds));
    resize(880, 600);
}

SmokeCheckDialog::~SmokeCheckDialog()
{
    stop();
}

const RunReport& SmokeCheckDialog::report() const
{
    return m_model->report();
}

void SmokeCheckDialog::buildLayout()
{
    m_waitReady = new QCheckBox(tr("&Wait until ready, at most"), this);
    m_waitReady->setToolTip(tr("Runs every check again, a second apart, until every liveness, readiness and "
                               "startup check is healthy or the time is up, as okhealth-check run --wait-ready "
                               "does for releases."));
    m_deadline = new QSpinBox(this);
    m_deadline->setRange(1, 3600);
    m_deadline->setSuffix(tr(" s"));
    m_deadline->setAccessibleName(tr("Longest wait until ready, in seconds"));
    connect(m_waitReady, &QCheckBox::toggled, m_deadline, &QWidget::setEnabled);
    m_run = new QPushButton(tr("&Run Again"), this);
    m_run->setDefault(true);
    connect(m_run, &QPushButton::clicked, this, &SmokeCheckDialog::run);
    m_stop = new QPushButton(tr("&Stop"), this);
    connect(m_stop, &QPushButton::clicked, this, &SmokeCheckDialog::stop);

    auto* options = new QHBoxLayout;
    options->addWidget(m_waitReady);
    options->addWidget(m_deadline);
    options->addStretch(1);
    options->addWidget(m_stop);
    options->addWidget(m_run);

    m_statusIcon = new QLabel(this);
    m_statusIcon->setFixedSize(22, 22);
    m_verdict = new QLabel(this);
    m_verdict->setObjectName(QStringLiteral("verdict"));
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdict->setWordWrap(true);
    QFont bold = m_verdict->font();
    bold.setBold(true);
    m_verdict->setFont(bold);
    auto* verdictRow = new QHBoxLayout;
    verdictRow->addWidget(m_statusIcon, 0, Qt::AlignTop);
    verdictRow->addWidget(m_verdict, 1);

    m_progress = new QProgressBar(this);
    m_progress->setAccessibleName(tr("Checks done"));
    m_progress->setFormat(tr("%v of %m checks"));
    m_cause = new QLabel(this);
    m_cause->setObjectName(QStringLiteral("cause"));
    m_cause->setWordWrap(true);
    m_cause->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cause->hide();

    m_tree = new QTreeView(this);
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setAccessibleName(tr("Smoke check results per service"));
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(SmokeReportModel::Summary, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(SmokeReportModel::Result, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(SmokeReportModel::Name, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(SmokeReportModel::Role, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(SmokeReportModel::Latency, QHeaderView::ResizeToContents);
    connect(m_model, &QAbstractItemModel::modelReset, m_tree, &QTreeView::expandAll);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &SmokeCheckDialog::showFacts);

    m_facts = new QPlainTextEdit(this);
    m_facts->setReadOnly(true);
    m_facts->setAccessibleName(tr("Failure details of the selected check"));
    m_facts->setPlaceholderText(tr("Select a failing check to see its target, details and hint."));
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_tree);
    split->addWidget(m_facts);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    // Most of the height for the services: the facts of one check are a few lines.
    split->setSizes({440, 90});

    m_export = new QPushButton(tr("&Export"), this);
    auto* exportMenu = new QMenu(m_export);
    for (const ReportExport::Format format : ReportExport::formats()) {
        exportMenu->addAction(tr("%1…").arg(ReportExport::formatName(format)), this,
                              [this, format] { chooseExportFile(format); });
    }
    m_export->setMenu(exportMenu);
    m_copy = new QPushButton(tr("&Copy as Markdown"), this);
    connect(m_copy, &QPushButton::clicked, this, &SmokeCheckDialog::copyMarkdown);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_export, QDialogButtonBox::ActionRole);
    buttons->addButton(m_copy, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(options);
    layout->addLayout(verdictRow);
    layout->addWidget(m_progress);
    layout->addWidget(m_cause);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    setRunning(false);
}

void SmokeCheckDialog::setWaitReady(bool wait, int seconds)
{
    m_waitReady->setChecked(wait);
    m_deadline->setValue(seconds);
    m_deadline->setEnabled(wait);
}

void SmokeCheckDialog::run()
{
    stop();
    AppSettings& settings = AppSettings::instance();
    settings.setValue(AppSettings::Key::SmokeWaitReady, m_waitReady->isChecked());
    settings.setValue(AppSettings::Key::SmokeDeadlineSeconds, m_deadline->value());
    std::optional<std::chrono::milliseconds> wait;
    if (m_waitReady->isChecked())
        wait = std::chrono::seconds(m_deadline->value());
    m_progress->setRange(0, 0); // busy until the first result says how many
    m_verdict->setText(tr("Running every check of %1…").arg(m_deployment));
    m_statusIcon->clear();
    setRunning(true);
    if (!m_host) {
        onFailed(0, tr("Monitoring is not running."));
        return;
    }
    m_runId = m_host->startSmokeCheck(m_deployment, wait);
}

void SmokeCheckDialog::stop()
{
    if (m_runId == 0)
        return;
    if (m_host)
        m_host->cancelSmokeCheck(m_runId);
    m_runId = 0;
    setRunning(false);
    m_verdict->setText(m_hasReport ? TextReport::verdict(report()) : tr("Stopped before any result."));
}

void SmokeCheckDialog::setRunning(bool running)
{
    m_run->setEnabled(!running);
    m_stop->setEnabled(running);
    m_waitReady->setEnabled(!running);
    m_deadline->setEnabled(!running && m_waitReady->isChecked());
    m_export->setEnabled(!running && m_hasReport);
    m_copy->setEnabled(!running && m_hasReport);
    m_progress->setVisible(running);
}

void SmokeCheckDialog::onProgress(int id, int round, int done, int total)
{
    if (id != m_runId)
        return;
    m_progress->setRange(0, total);
    m_progress->setValue(done);
    if (round > 1)
        m_progress->setFormat(tr("Round %1: %2 of %3 checks").arg(round).arg(done).arg(total));
    else
        m_progress->setFormat(tr("%1 of %2 checks").arg(done).arg(total));
}

void SmokeCheckDialog::onWaiting(int id, const RunReport& report, int notHealthy, qint64 remainingMs)
{
    if (id != m_runId)
        return;
    showReport(report);
    m_verdict->setText(tr("Waiting for %n check(s) to become healthy", nullptr, notHealthy)
                       + tr(" (%1 s left)").arg((remainingMs + 999) / 1000));
}

void SmokeCheckDialog::onFinished(int id, const RunReport& report)
{
    if (id != m_runId)
        return;
    m_runId = 0;
    showReport(report);
    setRunning(false);
    Q_EMIT finished(report);
}

void SmokeCheckDialog::onFailed(int id, const QString& message)
{
    if (id != m_runId)
        return;
    m_runId = 0;
    setRunning(false);
    m_statusIcon->setPixmap(StatusPaint::icon(ProbeStatus::Unknown).pixmap(QSize(20, 20), devicePixelRatioF()));
    m_verdict->setText(tr("The smoke check could not run: %1").arg(message));
}

void SmokeCheckDialog::showReport(const RunReport& report)
{
    m_hasReport = true;
    m_model->setReport(report);
    const ProbeStatus status = report.status();
    m_statusIcon->setPixmap(StatusPaint::icon(status).pixmap(QSize(20, 20), devicePixelRatioF()));
    m_statusIcon->setAccessibleName(statusText(status));
    m_verdict->setText(TextReport::verdict(report));
    const RootCause::Analysis causes = report.causes();
    QStringList lines;
    if (!causes.deploymentCause.isEmpty())
        lines << tr("Root cause: %1").arg(causes.deploymentCause);
    if (const QString root = TextReport::rootCauseLine(causes); !root.isEmpty())
        lines << root << TextReport::consequenceLines(causes);
    m_cause->setText(lines.join(u'\n'));
    m_cause->setVisible(!lines.isEmpty());
    // The first failing check is selected, so its facts show at once.
    for (int s = 0; s < m_model->rowCount(); ++s) {
        const QModelIndex service = m_model->index(s, 0);
        for (int c = 0; c < m_model->rowCount(service); ++c) {
            const QModelIndex check = m_model->index(c, 0, service);
            if (check.data(SmokeReportModel::StatusRole).toInt() != int(ProbeStatus::Healthy)) {
                m_tree->setCurrentIndex(check);
                return;
            }
        }
    }
    m_facts->clear();
}

void SmokeCheckDialog::showFacts()
{
    const QStringList facts
        = m_tree->currentIndex().siblingAtColumn(0).data(SmokeReportModel::FactsRole).toStringList();
    m_facts->setPlainText(facts.join(u'\n'));
}

void SmokeCheckDialog::chooseExportFile(ReportExport::Format format)
{
    if (!m_hasReport)
        return;
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    auto* dialog = new QFileDialog(this, tr("Export Smoke Check as %1").arg(ReportExport::formatName(format)),
                                   QDir(dir).filePath(ReportExport::suggestedFileName(report(), format)),
                                   ReportExport::fileFilter(format));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(ReportExport::suffix(format));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this, format](const QString& path) { exportTo(format, path); });
    dialog->open();
}

void SmokeCheckDialog::exportTo(ReportExport::Format format, const QString& path)
{
    ReportExport::save(report(), format, path, this, [this, path](const QString& error) {
        if (error.isEmpty()) {
            m_verdict->setText(TextReport::verdict(report()) + u'\n'
                               + tr("Saved %1").arg(QDir::toNativeSeparators(path)));
            Q_EMIT exported(path);
            return;
        }
        m_verdict->setText(tr("Could not save %1: %2").arg(QDir::toNativeSeparators(path), error));
        Q_EMIT exportFailed(path, error);
    });
}

void SmokeCheckDialog::copyMarkdown()
{
    if (m_hasReport)
        QApplication::clipboard()->setText(QString::fromUtf8(MarkdownReport::render(report())));
}

void SmokeCheckDialog::closeEvent(QCloseEvent* event)
{
    stop();
    event->accept();
}

} // namespace okh
