#include "compat/MaykinHealthCheck.h"

#include <QTest>

using okh::MaykinHealthCheck;

// maykin-common's endpoint completion (docs/cli.md).
class TestMaykinEndpoint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void complete_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("url");
        QTest::newRow("default") << QStringLiteral("/_healthz/livez/")
                                 << QStringLiteral("http://localhost:8000/_healthz/livez/");
        QTest::newRow("path only") << QStringLiteral("/_healthz/readyz/")
                                   << QStringLiteral("http://localhost:8000/_healthz/readyz/");
        QTest::newRow("flower as is") << QStringLiteral("http://localhost:5555/")
                                      << QStringLiteral("http://localhost:5555/");
        QTest::newRow("host without path")
            << QStringLiteral("localhost:5555") << QStringLiteral("http://localhost:5555/_healthz/livez/");
        QTest::newRow("https kept") << QStringLiteral("https://ok.example.nl/_healthz/")
                                    << QStringLiteral("https://ok.example.nl/_healthz/");
        QTest::newRow("scheme, empty host")
            << QStringLiteral("http:///_healthz/") << QStringLiteral("http://localhost:8000/_healthz/");
        QTest::newRow("query kept") << QStringLiteral("/_healthz/?format=json")
                                    << QStringLiteral("http://localhost:8000/_healthz/?format=json");
    }
    void complete()
    {
        QFETCH(QString, endpoint);
        QFETCH(QString, url);
        QCOMPARE(MaykinHealthCheck::completeEndpoint(endpoint).toString(), url);
    }
};

QTEST_GUILESS_MAIN(TestMaykinEndpoint)
#include "tst_maykinendpoint.moc"
