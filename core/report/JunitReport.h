#pragma once

#include "run/RunReport.h"

#include <QByteArray>

namespace okh {

// JUnit XML as GitLab and Jenkins read it: one <testsuite> per service, one <testcase> per
// check. Unhealthy gating checks are <failure>, checks that could not run are <error>;
// info checks never fail the suite (their result goes to <system-out>).
class JunitReport
{
public:
    static QByteArray render(const RunReport& report);
};

} // namespace okh
