#pragma once

#include "store/HistoryTypes.h"

#include <QWidget>

namespace okh {

// A check's latency over a range from downsampled buckets: p50 solid, p95 dashed, max dotted
// (told apart by line style, not only colour), with the scale's top and a legend; buckets
// with failing results get a mark along the bottom in the unhealthy colour.
class LatencyChart : public QWidget
{
    Q_OBJECT
public:
    explicit LatencyChart(QWidget* parent = nullptr);

    void setSeries(const TimeRange& range, const LatencySeries& series);
    const LatencySeries& series() const { return m_series; }
    // The scale's top in ms: the largest max, rounded up to a readable value.
    double scaleTopMs() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    TimeRange m_range;
    LatencySeries m_series;
};

} // namespace okh
