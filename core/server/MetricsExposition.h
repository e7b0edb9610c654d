#pragma once

#include "MonitorReading.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QStringView>

namespace okh {

// /metrics: the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/, "Text-based format"). The
// metric names, labels and the rule for results the monitor could not produce are listed in
// docs/cli.md ("serve").
namespace MetricsExposition {

inline constexpr QByteArrayView contentType = "text/plain; version=0.0.4; charset=utf-8";

// A label value between the double quotes: backslash, double quote and line feed escaped as
// \\, \" and \n; everything else as UTF-8.
QByteArray escapeLabelValue(QStringView value);
// HELP text: backslash and line feed escaped (double quotes stay).
QByteArray escapeHelp(QStringView text);
// A sample value as Go's ParseFloat reads it: the shortest form that reads back exactly,
// "NaN", "+Inf", "-Inf".
QByteArray formatValue(double value);

// Every metric family of the given monitors, each family's samples together under one HELP
// and TYPE line (the format requires it), in the order of `readings`.
QByteArray render(const QList<MonitorReading>& readings);

} // namespace MetricsExposition

} // namespace okh
