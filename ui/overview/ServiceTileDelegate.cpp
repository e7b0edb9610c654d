#include "ServiceTileDelegate.h"

#include "model/DeploymentModel.h"
#include "paint/StatusPaint.h"
#include "paint/Theme.h"

#include <QApplication>
#include <QDateTime>
#include <QPainter>
#include <QPainterPath>

namespace okh {

namespace {

constexpr int Margin = 10;
constexpr int BadgeSize = 20;
constexpr int ChipHeight = 20;
constexpr int SparkHeight = 22;

ProbeStatus statusOf(const QModelIndex& index)
{
    return ProbeStatus(index.data(DeploymentModel::StatusRole).toInt());
}

// The check whose recent results the sparkline shows: the first failing gating check, else the
// first liveness or readiness check (a startup check stops once it passed: no line to draw),
// else the first gating check, else the first.
QModelIndex sparkCheck(const QModelIndex& service)
{
    const QAbstractItemModel* model = service.model();
    QModelIndex gating;
    QModelIndex running;
    for (int row = 0; row < model->rowCount(service); ++row) {
        const QModelIndex check = model->index(row, 0, service);
        const auto role = CheckRole(check.data(DeploymentModel::CheckRoleRole).toInt());
        if (role == CheckRole::Info)
            continue;
        if (statusOf(check) == ProbeStatus::Unhealthy)
            return check;
        if (!gating.isValid())
            gating = check;
        if (!running.isValid() && role != CheckRole::Startup)
            running = check;
    }
    if (running.isValid())
        return running;
    return gating.isValid() ? gating : model->index(0, 0, service);
}

} // namespace

QString ServiceTileDelegate::ageText(qint64 resultMs, qint64 nowMs)
{
    if (resultMs <= 0)
        return tr("no result yet");
    const qint64 seconds = std::max<qint64>(0, (nowMs - resultMs) / 1000);
    if (seconds < 60)
        return tr("%n s ago", nullptr, int(seconds));
    if (seconds < 3600)
        return tr("%n min ago", nullptr, int(seconds / 60));
    return tr("%n h ago", nullptr, int(seconds / 3600));
}

QSize ServiceTileDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    const int line = option.fontMetrics.height();
    return {320, Margin * 2 + BadgeSize + 4 + line * 2 + 6 + ChipHeight * 2 + 6 + SparkHeight + 4};
}

void ServiceTileDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QPalette& palette = option.palette;
    const ProbeStatus status = statusOf(index);
    const QColor statusColor = StatusPaint::color(status);
    const bool selected = option.state & QStyle::State_Selected;
    const bool focused = option.state & QStyle::State_HasFocus;

    // The card, with a status-coloured band on its left.
    const QRectF card = QRectF(option.rect).adjusted(4, 4, -4, -4);
    QPainterPath shape;
    shape.addRoundedRect(card, 6, 6);
    // Selected: the highlight blended into the base, light or dark, so the text stays readable.
    const QColor base = palette.color(QPalette::Base);
    const QColor highlight = palette.color(QPalette::Highlight);
    const auto blend = [](int a, int b) { return (a * 7 + b * 3) / 10; };
    const QColor selectedFill(blend(base.red(), highlight.red()), blend(base.green(), highlight.green()),
                              blend(base.blue(), highlight.blue()));
    painter->fillPath(shape, selected ? selectedFill : base);
    painter->setPen(QPen(focused ? palette.color(QPalette::Highlight) : palette.color(QPalette::Mid), focused ? 2 : 1));
    painter->drawPath(shape);
    painter->save();
    painter->setClipPath(shape);
    painter->fillRect(QRectF(card.left(), card.top(), 5, card.height()), statusColor);
    painter->restore();

    const QRect inner = card.toRect().adjusted(Margin + 3, Margin, -Margin, -Margin);
    const QFontMetrics fm = option.fontMetrics;
    int y = inner.top();

    // Badge, name and kind; the status in words on the right.
    StatusPaint::badge(*painter, QRectF(inner.left(), y, BadgeSize, BadgeSize), status);
    QFont bold = option.font;
    bold.setBold(true);
    bold.setPointSizeF(option.font.pointSizeF() * 1.1);
    const QFontMetrics boldMetrics(bold);
    // An acknowledged incident says so where the status word is; the badge keeps the status.
    const QString acknowledgedBy = index.data(DeploymentModel::AcknowledgedByRole).toString();
    const QString statusText = acknowledgedBy.isEmpty() ? index.data(DeploymentModel::StatusTextRole).toString()
                                                        : tr("acknowledged by %1").arg(acknowledgedBy);
    const int statusWidth = fm.horizontalAdvance(statusText) + 4;
    painter->setPen(palette.color(QPalette::Text));
    painter->setFont(bold);
    const int nameLeft = inner.left() + BadgeSize + 8;
    const QString name = index.data(Qt::DisplayRole).toString();
    const QString kind = index.data(DeploymentModel::KindRole).toString();
    const int nameSpace = inner.right() - statusWidth - nameLeft - 8;
    const QString shownName = boldMetrics.elidedText(name, Qt::ElideRight, nameSpace);
    painter->drawText(QRect(nameLeft, y, nameSpace, BadgeSize), Qt::AlignVCenter | Qt::AlignLeft, shownName);
    const int afterName = nameLeft + boldMetrics.horizontalAdvance(shownName) + 6;
    painter->setFont(option.font);
    if (!kind.isEmpty() && kind != name && afterName < inner.right() - statusWidth - 8) {
        painter->setPen(palette.color(QPalette::PlaceholderText));
        painter->drawText(QRect(afterName, y, inner.right() - statusWidth - 8 - afterName, BadgeSize),
                          Qt::AlignVCenter | Qt::AlignLeft,
                          fm.elidedText(kind, Qt::ElideRight, inner.right() - statusWidth - 8 - afterName));
    }
    const QColor statusTextColor = Theme::isDark(palette) ? statusColor.lighter(160) : statusColor.darker(110);
    painter->setPen(status == ProbeStatus::Healthy || !acknowledgedBy.isEmpty() ? palette.color(QPalette::Text)
                                                                                : statusTextColor);
    painter->drawText(QRect(inner.right() - statusWidth, y, statusWidth, BadgeSize), Qt::AlignVCenter | Qt::AlignRight,
                      statusText);
    y += BadgeSize + 4;

    // The conclusion, then where the failure comes from.
    painter->setPen(palette.color(QPalette::Text));
    const QString conclusion = index.data(DeploymentModel::ConclusionTextRole).toString();
    painter->drawText(QRect(inner.left(), y, inner.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(conclusion.isEmpty() ? tr("waiting for the first results") : conclusion,
                                    Qt::ElideRight, inner.width()));
    y += fm.height();
    const QString cause = index.data(DeploymentModel::CauseTextRole).toString();
    if (!cause.isEmpty()) {
        QFont italic = option.font;
        italic.setItalic(true);
        painter->setFont(italic);
        painter->setPen(palette.color(QPalette::PlaceholderText));
        painter->drawText(QRect(inner.left(), y, inner.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(italic).elidedText(cause, Qt::ElideRight, inner.width()));
        painter->setFont(option.font);
    }
    y += fm.height() + 6;

    // One chip per check, wrapping onto a second row; what is pending shows in the chip.
    const QAbstractItemModel* model = index.model();
    int x = inner.left();
    int chipRow = 0;
    qint64 newest = 0;
    for (int row = 0; row < model->rowCount(index); ++row) {
        const QModelIndex check = model->index(row, 0, index);
        newest = std::max(newest, check.data(DeploymentModel::LastResultMsRole).toLongLong());
        const ProbeStatus checkStatus = statusOf(check);
        QString label = check.data(Qt::DisplayRole).toString();
        const QString state = check.data(DeploymentModel::StateTextRole).toString();
        // What is pending shows too: a healthy verdict whose latest result failed ("failing 1/3").
        const auto latest = ProbeStatus(check.data(DeploymentModel::LatestStatusRole).toInt());
        if ((checkStatus != ProbeStatus::Healthy || latest != ProbeStatus::Healthy) && !state.isEmpty())
            label += QStringLiteral(" · ") + state;
        const int width = std::min(inner.width(), fm.horizontalAdvance(label) + ChipHeight + 8);
        if (x + width > inner.right() && x > inner.left()) {
            if (++chipRow > 1)
                break;
            x = inner.left();
        }
        const QRectF chip(x, y + chipRow * (ChipHeight + 3), width, ChipHeight);
        QPainterPath chipShape;
        chipShape.addRoundedRect(chip, ChipHeight / 2.0, ChipHeight / 2.0);
        painter->fillPath(chipShape, palette.color(QPalette::AlternateBase));
        painter->setPen(QPen(StatusPaint::color(checkStatus), 1));
        painter->drawPath(chipShape);
        StatusPaint::badge(*painter, QRectF(chip.left() + 3, chip.top() + 3, ChipHeight - 6, ChipHeight - 6),
                           checkStatus);
        painter->setPen(palette.color(QPalette::Text));
        painter->drawText(chip.adjusted(ChipHeight, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft,
                          fm.elidedText(label, Qt::ElideRight, int(chip.width()) - ChipHeight - 6));
        x += width + 4;
    }
    y += 2 * ChipHeight + 3 + 6;

    // Sparkline of one check's latency, and the age of the newest result.
    const QString age = ageText(newest, QDateTime::currentMSecsSinceEpoch());
    const int ageWidth = fm.horizontalAdvance(age) + 8;
    const QModelIndex spark = sparkCheck(index);
    if (spark.isValid()) {
        const auto recent = spark.data(DeploymentModel::RecentRole).value<QList<RecentResult>>();
        StatusPaint::sparkline(*painter, QRectF(inner.left(), y + 2, inner.width() - ageWidth - 4, SparkHeight - 4),
                               recent, palette.color(QPalette::Highlight));
    }
    painter->setPen(palette.color(QPalette::PlaceholderText));
    painter->drawText(QRect(inner.right() - ageWidth, y, ageWidth, SparkHeight), Qt::AlignVCenter | Qt::AlignRight,
                      age);
    painter->restore();
}

} // namespace okh
