#pragma once

#include "run/RunReport.h"

#include <QCoreApplication>

namespace okh {

// The Markdown report's content as one self-contained HTML page (inline style, no scripts or
// links), to attach to a ticket or open in a browser. Status is a word and a colour, never
// colour alone.
class HtmlReport
{
    Q_DECLARE_TR_FUNCTIONS(okh::HtmlReport)
public:
    static QByteArray render(const RunReport& report);
};

} // namespace okh
