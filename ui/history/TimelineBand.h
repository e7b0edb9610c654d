#pragma once

#include "store/HistoryTypes.h"

#include <QWidget>

namespace okh {

// A check's states over a time range as one band: healthy plain, unhealthy hatched, unknown
// dotted, each in its status colour (so it reads without colour too), gaps without results
// left empty. Hovering a run tells its state, span and result count.
class TimelineBand : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineBand(QWidget* parent = nullptr);

    void setRuns(const TimeRange& range, const QList<StatusRun>& runs);
    const QList<StatusRun>& runs() const { return m_runs; }
    // The run under x (widget coordinates), or -1.
    int runAt(int x) const;
    // "unhealthy 05:01–05:07 (6 min, 36 results)"
    static QString describe(const StatusRun& run);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRectF bandRect() const;
    double xOf(qint64 ms) const;

    TimeRange m_range;
    QList<StatusRun> m_runs;
};

} // namespace okh
