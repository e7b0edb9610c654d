#pragma once

#include "probes/ProbeResult.h"

#include <QColor>
#include <QIcon>
#include <QList>
#include <QRectF>

class QPainter;

namespace okh {

struct RecentResult;

// The one painting code for a status and for a latency sparkline, wherever they appear
// (tiles, chips, tables). A status is a shape and a colour, so it reads without colour too:
// healthy a round badge with a tick, unhealthy a diamond with a cross, unknown a square with
// a question mark.
namespace StatusPaint {

QColor color(ProbeStatus status);
void badge(QPainter& painter, const QRectF& rect, ProbeStatus status);
// The badge as an icon (tabs, table cells), sharp at 100 % and 200 %.
QIcon icon(ProbeStatus status);
// Latency as a line over the last results, failures as marks in the status colour.
void sparkline(QPainter& painter, const QRectF& rect, const QList<RecentResult>& results, const QColor& line);

} // namespace StatusPaint

} // namespace okh
