#include "Durations.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>
#include <cmath>

namespace okh {

QString formatDuration(std::chrono::milliseconds d)
{
    const auto ms = d.count();
    if (ms < 1000)
        return QCoreApplication::translate("okh::Durations", "%1 ms").arg(ms);
    if (ms < 120'000) {
        const double s = double(ms) / 1000.0;
        return QCoreApplication::translate("okh::Durations", "%1 s").arg(s, 0, 'g', 4);
    }
    if (ms < 7'200'000)
        return QCoreApplication::translate("okh::Durations", "%1 min").arg(double(ms) / 60'000.0, 0, 'g', 3);
    return QCoreApplication::translate("okh::Durations", "%1 h").arg(double(ms) / 3'600'000.0, 0, 'g', 3);
}

QString durationText(std::chrono::milliseconds d)
{
    qint64 ms = d.count();
    if (ms <= 0)
        return QStringLiteral("0s");
    QString out;
    for (const auto& [unit, size] : {std::pair{"h", qint64(3'600'000)}, std::pair{"m", qint64(60'000)},
                                     std::pair{"s", qint64(1000)}, std::pair{"ms", qint64(1)}}) {
        if (ms >= size) {
            out += QString::number(ms / size) + QLatin1String(unit);
            ms %= size;
        }
    }
    return out;
}

std::optional<std::chrono::milliseconds> parseDuration(const QString& text)
{
    // Far beyond any sensible duration and far from qint64's limit: larger values (1e300,
    // 9999999999999999h) are refused, not wrapped around to negative.
    constexpr double maxMilliseconds = 1e15;
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    // A plain number of seconds: digits and one optional fraction, nothing toDouble() would
    // also take (inf, nan, 1e3, +5, -0).
    static const QRegularExpression plain(QStringLiteral("^\\d+(?:\\.\\d+)?$"));
    if (plain.match(t).hasMatch()) {
        const double ms = t.toDouble() * 1000.0;
        if (!(ms <= maxMilliseconds))
            return std::nullopt;
        return std::chrono::milliseconds(qint64(ms + 0.5));
    }
    // One or more <number><unit> parts, as Go and Prometheus write them: 1m30s, 500ms.
    static const QRegularExpression part(QStringLiteral("(\\d+(?:\\.\\d+)?)(ms|s|m|h)"));
    double total = 0;
    qsizetype pos = 0;
    auto it = part.globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        if (m.capturedStart() != pos)
            return std::nullopt;
        pos = m.capturedEnd();
        const double value = m.captured(1).toDouble();
        const QString unit = m.captured(2);
        const double factor = unit == QLatin1String("ms") ? 1.0
            : unit == QLatin1String("s")                  ? 1000.0
            : unit == QLatin1String("m")                  ? 60'000.0
                                                          : 3'600'000.0;
        total += std::round(value * factor);
    }
    if (pos != t.size() || pos == 0 || !(total <= maxMilliseconds))
        return std::nullopt;
    return std::chrono::milliseconds(qint64(total));
}

} // namespace okh
