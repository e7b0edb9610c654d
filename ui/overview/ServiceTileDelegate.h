#pragma once

#include <QStyledItemDelegate>

namespace okh {

// Paints a service (container) as a tile: status badge and text, name and kind, the
// orchestrator's conclusion, where its failure comes from, one chip per check with what is
// pending, a latency sparkline and the age of the latest result. For a DeploymentModel's
// service indexes.
class ServiceTileDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // "3 s ago", "2 min ago"; "no result yet" for 0.
    static QString ageText(qint64 resultMs, qint64 nowMs);
};

} // namespace okh
