#include "LatencyChart.h"

#include "paint/StatusPaint.h"

#include <QDateTime>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

namespace okh {

namespace {

// 1, 2, 5 × 10ⁿ at or above ms.
double niceCeiling(double ms)
{
    if (ms <= 0)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(ms)));
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * magnitude >= ms)
            return step * magnitude;
    }
    return 10 * magnitude;
}

} // namespace

LatencyChart::LatencyChart(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void LatencyChart::setSeries(const TimeRange& range, const LatencySeries& series)
{
    m_range = range;
    m_series = series;
    update();
}

QSize LatencyChart::sizeHint() const
{
    return {400, 140};
}

QSize LatencyChart::minimumSizeHint() const
{
    return {160, 80};
}

double LatencyChart::scaleTopMs() const
{
    double top = 0;
    for (const LatencyPoint& p : m_series.points)
        top = std::max(top, p.maxMs.value_or(p.p95Ms.value_or(p.p50Ms.value_or(0))));
    return niceCeiling(top);
}

void LatencyChart::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics metrics = fontMetrics();
    const QLocale locale;
    const double top = scaleTopMs();
    const QString topText = tr("%1 ms").arg(locale.toString(top, 'g', 4));
    const QRectF plot = QRectF(rect()).adjusted(metrics.horizontalAdvance(topText) + 6, metrics.height() + 4, -2, -6);
    painter.fillRect(plot, palette().color(QPalette::Base));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(plot);
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(QRectF(0, plot.top() - metrics.height() / 2.0, plot.left() - 4, metrics.height()),
                     Qt::AlignRight | Qt::AlignVCenter, topText);
    painter.drawText(QRectF(0, plot.bottom() - metrics.height() / 2.0, plot.left() - 4, metrics.height()),
                     Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("0"));

    const double span = double(std::max<qint64>(1, m_range.durationMs()));
    const auto xOf = [&](const LatencyPoint& p) {
        const double middle = double(p.startMs + p.endMs) / 2.0;
        return plot.left() + plot.width() * std::clamp((middle - double(m_range.fromMs)) / span, 0.0, 1.0);
    };
    const auto yOf = [&](double ms) { return plot.bottom() - plot.height() * std::min(1.0, ms / top); };

    const QColor line = palette().color(QPalette::Highlight);
    struct Series
    {
        std::optional<double> LatencyPoint::*value;
        Qt::PenStyle style;
        QString name;
    };
    const Series lines[] = {{&LatencyPoint::maxMs, Qt::DotLine, tr("max")},
                            {&LatencyPoint::p95Ms, Qt::DashLine, tr("p95")},
                            {&LatencyPoint::p50Ms, Qt::SolidLine, tr("p50")}};
    for (const Series& s : lines) {
        QPainterPath path;
        bool drawing = false;
        for (const LatencyPoint& p : m_series.points) {
            const std::optional<double> v = p.*(s.value);
            if (!v) {
                drawing = false; // a bucket without healthy results breaks the line
                continue;
            }
            const QPointF at(xOf(p), yOf(*v));
            if (drawing)
                path.lineTo(at);
            else
                path.moveTo(at);
            drawing = true;
        }
        painter.setPen(QPen(line, s.style == Qt::SolidLine ? 1.8 : 1.2, s.style));
        painter.drawPath(path);
    }
    const QColor failing = StatusPaint::color(ProbeStatus::Unhealthy);
    for (const LatencyPoint& p : m_series.points) {
        if (p.fail > 0)
            painter.fillRect(QRectF(xOf(p) - 1.5, plot.bottom() - 5, 3, 5), failing);
    }

    // Legend, top right: the line styles with their names.
    double x = plot.right() - 4;
    for (const Series& s : lines) {
        const double width = metrics.horizontalAdvance(s.name);
        x -= width;
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(QPointF(x, metrics.ascent()), s.name);
        x -= 22;
        painter.setPen(QPen(line, 1.5, s.style));
        painter.drawLine(QPointF(x, metrics.height() / 2.0), QPointF(x + 18, metrics.height() / 2.0));
        x -= 10;
    }
    painter.setPen(palette().color(QPalette::PlaceholderText));
    if (m_series.points.isEmpty()) {
        painter.drawText(plot, Qt::AlignCenter, tr("no latency figures in this range"));
        return;
    }
    // As the timeline band: where the check's history begins, when that is late in the range.
    const LatencyPoint& first = m_series.points.first();
    const QRectF before(plot.left() + 1, plot.top() + 1, xOf(first) - plot.left() - 4, plot.height() - 2);
    if (before.width() > plot.width() / 3) {
        const QTime at = QDateTime::fromMSecsSinceEpoch(first.startMs).time();
        painter.drawText(before, Qt::AlignCenter,
                         tr("no results before %1").arg(locale.toString(at, QLocale::ShortFormat)));
    }
}

} // namespace okh
