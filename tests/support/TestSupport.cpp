#include "TestSupport.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>

Q_LOGGING_CATEGORY(lcTestFixture, "okhealth.test.fixture")

namespace okh::test {

QString sourceDir()
{
    return qEnvironmentVariable("OKHEALTH_SOURCE_DIR", QStringLiteral(OKHEALTH_SOURCE_DIR_FALLBACK));
}

QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    env.remove(QStringLiteral("LANGUAGE"));
    env.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1"));
    for (const QString& key : env.keys()) {
        if (key.endsWith(QLatin1String("_proxy"), Qt::CaseInsensitive))
            env.remove(key);
    }
    return env;
}

} // namespace okh::test
