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
};

} // namespace okh
