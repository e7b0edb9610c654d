#include "config/VariableExpansion.h"

#include <QTest>

class TestVariableExpansion : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void expand_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expanded"); // when error is empty
        QTest::addColumn<QString>("error");
        QTest::newRow("no reference") << QStringLiteral("redis://redis:6379/0")
                                      << QStringLiteral("redis://redis:6379/0") << QString();
        QTest::newRow("one reference") << QStringLiteral("redis://:${PW}@redis/0")
                                       << QStringLiteral("redis://:s3cr%40t@redis/0") << QString();
        QTest::newRow("two references") << QStringLiteral("${HOST}:${PORT}") << QStringLiteral("cache:6380")
                                        << QString();
        QTest::newRow("set but empty") << QStringLiteral("[${EMPTY}]") << QStringLiteral("[]") << QString();
        QTest::newRow("default when unset") << QStringLiteral("${UNSET:-5s}") << QStringLiteral("5s") << QString();
        QTest::newRow("default when empty") << QStringLiteral("${EMPTY:-x}") << QStringLiteral("x") << QString();
        QTest::newRow("default ignored when set")
            << QStringLiteral("${PORT:-1}") << QStringLiteral("6380") << QString();
        QTest::newRow("empty default") << QStringLiteral("a${UNSET:-}b") << QStringLiteral("ab") << QString();
        QTest::newRow("escaped") << QStringLiteral("$${PW}") << QStringLiteral("${PW}") << QString();
        QTest::newRow("lone dollars stay")
            << QStringLiteral("pa$$word$ $x") << QStringLiteral("pa$$word$ $x") << QString();
        QTest::newRow("value not expanded again")
            << QStringLiteral("${NESTED}") << QStringLiteral("${PW}") << QString();
        QTest::newRow("unset") << QStringLiteral("${UNSET}") << QString()
                               << QStringLiteral("environment variable UNSET is not set");
        QTest::newRow("unterminated") << QStringLiteral(
            "${PW") << QString() << QStringLiteral("unterminated \"${\": write ${NAME}, or $${ for a literal \"${\"");
        QTest::newRow("empty name") << QStringLiteral("${}") << QString()
                                    << QStringLiteral("\"${}\" names no variable");
        // compose's unset-only default: the text after '-' may be a secret and is not shown.
        QTest::newRow("name with a dash")
            << QStringLiteral("${A-s3cret}") << QString()
            << QStringLiteral("\"${A\" is followed by '-', which a variable name cannot hold: names are letters, "
                              "digits and '_', not starting with a digit; a default is written ${NAME:-default}");
        QTest::newRow("a shell command around it")
            << QStringLiteral("redis-cli -a ${REDIS_PASSWORD:?unset} ping") << QString()
            << QStringLiteral("\"${REDIS_PASSWORD\" is followed by ':', which a variable name cannot hold: names "
                              "are letters, digits and '_', not starting with a digit; a default is written "
                              "${NAME:-default}");
        QTest::newRow("a digit first") << QStringLiteral("${1X}") << QString()
                                       << QStringLiteral("\"${\" is followed by '1', which a variable name cannot "
                                                         "hold: names are letters, digits and '_', not starting with "
                                                         "a digit; a default is written ${NAME:-default}");
        QTest::newRow("nested default") << QStringLiteral("${UNSET:-${PW}}") << QString()
                                        << QStringLiteral("the default of ${UNSET:-…} holds another \"${\": nested "
                                                          "references are not supported");
    }
    void expand()
    {
        QFETCH(QString, text);
        QFETCH(QString, expanded);
        QFETCH(QString, error);
        QProcessEnvironment env;
        env.insert(QStringLiteral("PW"), QStringLiteral("s3cr%40t"));
        env.insert(QStringLiteral("HOST"), QStringLiteral("cache"));
        env.insert(QStringLiteral("PORT"), QStringLiteral("6380"));
        env.insert(QStringLiteral("EMPTY"), QString());
        env.insert(QStringLiteral("NESTED"), QStringLiteral("${PW}"));
        const okh::VariableExpansion result = okh::expandVariables(text, env);
        QCOMPARE(result.error, error);
        QCOMPARE(result.ok(), error.isEmpty());
        if (result.ok())
            QCOMPARE(result.text, expanded);
        // The message names the variable, never a value.
        QVERIFY(!result.error.contains(QStringLiteral("s3cr")));
    }
};

QTEST_GUILESS_MAIN(TestVariableExpansion)
#include "tst_variableexpansion.moc"
