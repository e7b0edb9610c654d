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

    void keychain_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("target"); // okh::ExpansionTarget
        QTest::addColumn<QString>("expanded");
        QTest::addColumn<QString>("error");
        const int text = int(okh::ExpansionTarget::Text);
        const int url = int(okh::ExpansionTarget::Url);
        QTest::newRow("whole value") << QStringLiteral("${keychain:prod/redis}") << text << QStringLiteral("p@ss/w:rd")
                                     << QString();
        QTest::newRow("inside a URL, encoded") << QStringLiteral("redis://:${keychain:prod/redis}@cache:6379/0") << url
                                               << QStringLiteral("redis://:p%40ss%2Fw%3Ard@cache:6379/0") << QString();
        QTest::newRow("environment in a URL stays as written")
            << QStringLiteral("redis://:${PW}@cache/0") << url << QStringLiteral("redis://:s3cr%40t@cache/0")
            << QString();
        QTest::newRow("beside a variable")
            << QStringLiteral("${HOST}:${keychain:k.1_a-b}") << text << QStringLiteral("cache:x") << QString();
        QTest::newRow("escaped") << QStringLiteral("$${keychain:prod/redis}") << text
                                 << QStringLiteral("${keychain:prod/redis}") << QString();
        QTest::newRow("not found") << QStringLiteral("${keychain:gone}") << text << QString()
                                   << QStringLiteral("keychain entry \"gone\" was not found");
        QTest::newRow("keychain failed") << QStringLiteral("a ${keychain:locked}") << text << QString()
                                         << QStringLiteral("keychain entry \"locked\": the keychain is locked");
        QTest::newRow("bad key") << QStringLiteral("${keychain:a b}") << text << QString()
                                 << QStringLiteral("\"${keychain:a b}\" is not a keychain key: keys are letters, "
                                                   "digits and '.', '_', '-', '/'");
        QTest::newRow("empty key") << QStringLiteral("${keychain:}") << text << QString()
                                   << QStringLiteral("\"${keychain:}\" is not a keychain key: keys are letters, "
                                                     "digits and '.', '_', '-', '/'");
    }
    void keychain()
    {
        QFETCH(QString, text);
        QFETCH(int, target);
        QFETCH(QString, expanded);
        QFETCH(QString, error);
        QProcessEnvironment env;
        env.insert(QStringLiteral("PW"), QStringLiteral("s3cr%40t"));
        env.insert(QStringLiteral("HOST"), QStringLiteral("cache"));
        okh::KeychainValues keychain;
        keychain.values.insert(QStringLiteral("prod/redis"), QStringLiteral("p@ss/w:rd"));
        keychain.values.insert(QStringLiteral("k.1_a-b"), QStringLiteral("x"));
        keychain.failures.insert(QStringLiteral("locked"), QStringLiteral("the keychain is locked"));
        const auto result = okh::expandVariables(text, env, keychain, okh::ExpansionTarget(target));
        QCOMPARE(result.error, error);
        if (result.ok())
            QCOMPARE(result.text, expanded);
        QVERIFY(!result.error.contains(QStringLiteral("p@ss")));
    }

    void references_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("keys");
        QTest::newRow("none") << QStringLiteral("redis://cache/0 ${HOST}") << QStringList();
        QTest::newRow("two, in order, once each") << QStringLiteral("${keychain:b}${keychain:a}-${keychain:b}")
                                                  << QStringList{QStringLiteral("b"), QStringLiteral("a")};
        QTest::newRow("escaped is no reference")
            << QStringLiteral("$${keychain:a} ${keychain:c}") << QStringList{QStringLiteral("c")};
        QTest::newRow("malformed skipped")
            << QStringLiteral("${keychain:a b} ${keychain:ok}") << QStringList{QStringLiteral("ok")};
        QTest::newRow("unterminated") << QStringLiteral("${keychain:a") << QStringList();
    }
    void references()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, keys);
        QCOMPARE(okh::keychainReferences(text), keys);
    }
};

QTEST_GUILESS_MAIN(TestVariableExpansion)
#include "tst_variableexpansion.moc"
