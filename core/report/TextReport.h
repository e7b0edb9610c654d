#pragma once

#include "run/RunReport.h"

#include <QCoreApplication>

namespace okh {

// The human report: the verdict first, then each service with its checks, failures explained.
class TextReport
{
    Q_DECLARE_TR_FUNCTIONS(okh::TextReport)
public:
    static QString render(const RunReport& report, bool color);

    // The parts every human report (text, Markdown, HTML, the desktop's smoke check) shares.
    // "d: UNHEALTHY — 2 check(s) failing"
    static QString verdict(const RunReport& report);
    // "2026-12-07 10:30:05 UTC · 13 checks in 1.2 s": when, in UTC for tickets read elsewhere.
    static QString timing(const RunReport& report);
    // "root cause: redis (connection refused)", or empty when nothing is a root cause.
    static QString rootCauseLine(const RootCause::Analysis& causes);
    // "web: consequence of redis — …", one per consequence.
    static QStringList consequenceLines(const RootCause::Analysis& causes);
    // "web (web): unhealthy — because redis is failing"
    static QString serviceHeading(const ServiceOutcome& service, const RootCause::Analysis& causes);
    // What a failing check's report adds: "target: …", its details ("exit code: 1"), "hint: …".
    static QStringList failureFacts(const CheckOutcome& outcome);
    static QString latencyText(double ms); // "1.5 ms", "120 ms"
};

} // namespace okh
