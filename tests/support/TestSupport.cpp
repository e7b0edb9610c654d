#include "TestSupport.h"

#include <QTcpServer>

namespace okh::test {

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        qFatal("cannot bind a free port on 127.0.0.1");
    return server.serverPort();
}

QString sourceDir()
{
    return qEnvironmentVariable("OKHEALTH_SOURCE_DIR", QStringLiteral(OKHEALTH_SOURCE_DIR_FALLBACK));
}

} // namespace okh::test
