#include "TimelineBand.h"

#include "model/DeploymentModel.h"
#include "paint/StatusPaint.h"
#include "util/Durations.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

namespace okh {

TimelineBand::TimelineBand(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void TimelineBand::setRuns(const TimeRange& range, const QList<StatusRun>& runs)
{
    m_range = range;
    m_runs = runs;
    update();
}

QSize TimelineBand::sizeHint() const
{
    return {400, fontMetrics().height() + 24};
}

QSize TimelineBand::minimumSizeHint() const
{
    return {120, fontMetrics().height() + 24};
}

QRectF TimelineBand::bandRect() const
{
    return QRectF(rect()).adjusted(1, 1, -1, -(fontMetrics().height() + 4));
}

double TimelineBand::xOf(qint64 ms) const
{
    const QRectF band = bandRect();
    const double span = double(std::max<qint64>(1, m_range.durationMs()));
    return band.left() + band.width() * double(std::clamp(ms, m_range.fromMs, m_range.toMs) - m_range.fromMs) / span;
}

int TimelineBand::runAt(int x) const
{
    for (int i = 0; i < m_runs.size(); ++i) {
        const StatusRun& run = m_runs.at(i);
        // At least two pixels wide, as painted, so a short outage can be pointed at.
        const double left = xOf(run.startMs);
        const double right = std::max(xOf(run.endMs), left + 2);
        if (x >= left && x <= right)
            return i;
    }
    return -1;
}

QString TimelineBand::describe(const StatusRun& run)
{
    const QLocale locale;
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(run.startMs);
    const QDateTime end = QDateTime::fromMSecsSinceEpoch(run.endMs);
    const QString from = locale.toString(start, QLocale::ShortFormat);
    const QString to = start.date() == end.date() ? locale.toString(end.time(), QLocale::ShortFormat)
                                                  : locale.toString(end, QLocale::ShortFormat);
    const QString status = DeploymentModel::statusText(run.status);
    return tr("%1 %2–%3 (%4, %n result(s))", nullptr, int(run.results))
        .arg(status, from, to, formatDuration(std::chrono::milliseconds(run.endMs - run.startMs)));
}

void TimelineBand::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, false);
    const QRectF band = bandRect();
    painter.fillRect(band, palette().color(QPalette::Base));
    for (const StatusRun& run : std::as_const(m_runs)) {
        const double left = xOf(run.startMs);
        const QRectF r(left, band.top(), std::max(2.0, xOf(run.endMs) - left), band.height());
        const QColor color = StatusPaint::color(run.status);
        QColor fill = color;
        fill.setAlpha(run.status == ProbeStatus::Healthy ? 110 : 70);
        painter.fillRect(r, fill);
        if (run.status != ProbeStatus::Healthy) {
            const Qt::BrushStyle pattern = run.status == ProbeStatus::Unhealthy ? Qt::BDiagPattern : Qt::Dense6Pattern;
            painter.fillRect(r, QBrush(color.darker(120), pattern));
        }
    }
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(band);

    // The range's ends as times, so the band can be read without hovering.
    painter.setPen(palette().color(QPalette::PlaceholderText));
    const QLocale locale;
    const auto label = [&locale, this](qint64 ms) {
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(ms);
        return m_range.durationMs() > 24 * 3'600'000 ? locale.toString(at, QLocale::ShortFormat)
                                                     : locale.toString(at.time(), QLocale::ShortFormat);
    };
    const QRectF text(band.left(), band.bottom() + 2, band.width(), fontMetrics().height() + 2);
    painter.drawText(text, Qt::AlignLeft | Qt::AlignTop, label(m_range.fromMs));
    painter.drawText(text, Qt::AlignRight | Qt::AlignTop, label(m_range.toMs));
    if (m_runs.isEmpty()) {
        painter.drawText(band, Qt::AlignCenter, tr("no results in this range"));
        return;
    }
    // A check monitored for less than the range: say where its history begins, rather than
    // leave most of the band blank as if nothing had been seen.
    const QRectF before(band.left() + 1, band.top() + 1, xOf(m_runs.first().startMs) - band.left() - 1,
                        band.height() - 2);
    if (before.width() > band.width() / 3) {
        painter.fillRect(before, palette().color(QPalette::Window));
        painter.drawText(before, Qt::AlignCenter, tr("no results before %1").arg(label(m_runs.first().startMs)));
    }
}

bool TimelineBand::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int run = runAt(help->pos().x());
        if (run >= 0)
            QToolTip::showText(help->globalPos(), describe(m_runs.at(run)), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace okh
