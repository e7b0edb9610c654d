#include "StatusPaint.h"

#include "engine/Snapshots.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <algorithm>

namespace okh::StatusPaint {

QColor color(ProbeStatus status)
{
    switch (status) {
    case ProbeStatus::Healthy:
        return QColor(0x2e, 0x7d, 0x32);
    case ProbeStatus::Unhealthy:
        return QColor(0xc6, 0x28, 0x28);
    case ProbeStatus::Unknown:
        break;
    }
    return QColor(0x75, 0x75, 0x75);
}

void badge(QPainter& painter, const QRectF& rect, ProbeStatus status)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal side = std::min(rect.width(), rect.height());
    const QRectF r(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color(status));
    QPen mark(Qt::white, std::max<qreal>(1.5, side / 7), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    switch (status) {
    case ProbeStatus::Healthy: {
        painter.drawEllipse(r);
        painter.setPen(mark);
        QPainterPath tick;
        tick.moveTo(r.left() + side * 0.27, r.top() + side * 0.52);
        tick.lineTo(r.left() + side * 0.44, r.top() + side * 0.69);
        tick.lineTo(r.left() + side * 0.74, r.top() + side * 0.34);
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(tick);
        break;
    }
    case ProbeStatus::Unhealthy: {
        QPolygonF diamond;
        diamond << QPointF(r.center().x(), r.top()) << QPointF(r.right(), r.center().y())
                << QPointF(r.center().x(), r.bottom()) << QPointF(r.left(), r.center().y());
        painter.drawPolygon(diamond);
        painter.setPen(mark);
        const qreal d = side * 0.17;
        painter.drawLine(r.center() + QPointF(-d, -d), r.center() + QPointF(d, d));
        painter.drawLine(r.center() + QPointF(-d, d), r.center() + QPointF(d, -d));
        break;
    }
    case ProbeStatus::Unknown: {
        const qreal inset = side * 0.08;
        painter.drawRoundedRect(r.adjusted(inset, inset, -inset, -inset), side * 0.15, side * 0.15);
        painter.setPen(Qt::white);
        QFont font = painter.font();
        font.setBold(true);
        font.setPixelSize(std::max(6, int(side * 0.7)));
        painter.setFont(font);
        painter.drawText(r, Qt::AlignCenter, QStringLiteral("?"));
        break;
    }
    }
    painter.restore();
}

QIcon icon(ProbeStatus status)
{
    QIcon icon;
    for (const int size : {16, 32, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        badge(painter, QRectF(1, 1, size - 2, size - 2), status);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

void sparkline(QPainter& painter, const QRectF& rect, const QList<RecentResult>& results, const QColor& line)
{
    if (results.isEmpty() || rect.width() < 4)
        return;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    float top = 0;
    for (const RecentResult& r : results)
        top = std::max(top, r.latencyMs);
    top = std::max(top, 1.0f);
    const qsizetype n = results.size();
    const qreal step = n > 1 ? rect.width() / qreal(n - 1) : 0;
    QPainterPath path;
    for (qsizetype i = 0; i < n; ++i) {
        const qreal x = rect.left() + step * qreal(i);
        const qreal y = rect.bottom() - rect.height() * qreal(results.at(i).latencyMs / top);
        if (i == 0)
            path.moveTo(x, y);
        else
            path.lineTo(x, y);
    }
    painter.setPen(QPen(line, 1.2));
    painter.drawPath(path);
    // Failures and unknowns as full-height marks: visible however fast they were.
    for (qsizetype i = 0; i < n; ++i) {
        const ProbeStatus s = results.at(i).status;
        if (s == ProbeStatus::Healthy)
            continue;
        const qreal x = rect.left() + step * qreal(i);
        painter.setPen(QPen(color(s), 2));
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()));
    }
    painter.restore();
}

} // namespace okh::StatusPaint
