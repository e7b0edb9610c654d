#pragma once

#include "run/RunReport.h"
#include "smoke/ReportExport.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTreeView;

namespace okh {

class MonitorHost;
class SmokeReportModel;

// Run Smoke Check (docs/desktop.md): every check of one deployment once, now, through its
// monitor's connection; optionally again until every gating check is healthy or a deadline
// passes (as `okhealth-check run --wait-ready`, for releases). A progress bar while it runs,
// then a pass/fail report per service, root cause first, exported in the CLI's formats or as
// HTML and Markdown for a release ticket. Runs on the monitoring thread: nothing here waits.
class SmokeCheckDialog : public QDialog
{
    Q_OBJECT
public:
    SmokeCheckDialog(MonitorHost& host, const QString& deployment, QWidget* parent = nullptr);
    ~SmokeCheckDialog() override;

    QString deployment() const { return m_deployment; }
    bool isRunning() const { return m_runId != 0; }
    const RunReport& report() const;
    SmokeReportModel& model() const { return *m_model; }
    // Starts a run now with the dialog's options (Run does this).
    void run();
    void setWaitReady(bool wait, int seconds);
    // Writes the last report (in the background); exported() or exportFailed() follows.
    void exportTo(ReportExport::Format format, const QString& path);

Q_SIGNALS:
    void finished(const okh::RunReport& report);
    void exported(const QString& path);
    void exportFailed(const QString& path, const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildLayout();
    void stop();
    void chooseExportFile(ReportExport::Format format);
    void copyMarkdown();
    void showFacts();
    void onProgress(int id, int round, int done, int total);
    void onWaiting(int id, const RunReport& report, int notHealthy, qint64 remainingMs);
    void onFinished(int id, const RunReport& report);
    void onFailed(int id, const QString& message);
    void showReport(const RunReport& report);
    void setRunning(bool running);

    QPointer<MonitorHost> m_host; // the window's: it may go first when the window is destroyed
    QString m_deployment;
    int m_runId = 0; // the run going on, or 0
    bool m_hasReport = false;
    SmokeReportModel* m_model = nullptr;
    QCheckBox* m_waitReady = nullptr;
    QSpinBox* m_deadline = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_stop = nullptr;
    QLabel* m_statusIcon = nullptr;
    QLabel* m_verdict = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_cause = nullptr;
    QTreeView* m_tree = nullptr;
    QPlainTextEdit* m_facts = nullptr;
    QPushButton* m_export = nullptr;
    QPushButton* m_copy = nullptr;
};

} // namespace okh
