#pragma once

#include "run/RunReport.h"

#include <QCoreApplication>

namespace okh {

// A smoke check for a release ticket (GitLab, GitHub, Jira with Markdown): the verdict and the
// root cause first, then a table per service, failures with their target, details and hint.
// Never contains a password (targets as TargetDescription writes them).
class MarkdownReport
{
    Q_DECLARE_TR_FUNCTIONS(okh::MarkdownReport)
public:
    static QByteArray render(const RunReport& report);
};

} // namespace okh
