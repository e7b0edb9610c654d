#include "config/JsonSourceMap.h"

#include <QTest>

using okh::JsonSourceMap;

class TestJsonSourceMap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void paths_data()
    {
        QTest::addColumn<QString>("parent");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("path");
        QTest::newRow("root member") << QString() << QStringLiteral("version") << QStringLiteral("version");
        QTest::newRow("nested") << QStringLiteral("deployments[0]") << QStringLiteral("name")
                                << QStringLiteral("deployments[0].name");
        QTest::newRow("dash and underscore are plain")
            << QStringLiteral("h") << QStringLiteral("X-Probe_1") << QStringLiteral("h.X-Probe_1");
        QTest::newRow("space quoted") << QStringLiteral("headers") << QStringLiteral("X Y")
                                      << QStringLiteral("headers[\"X Y\"]");
        QTest::newRow("dot quoted") << QStringLiteral("a") << QStringLiteral("b.c") << QStringLiteral("a[\"b.c\"]");
        QTest::newRow("quote escaped") << QStringLiteral("a") << QStringLiteral("say \"hi\"")
                                       << QStringLiteral("a[\"say \\\"hi\\\"\"]");
        QTest::newRow("empty key") << QStringLiteral("a") << QString() << QStringLiteral("a[\"\"]");
    }
    void paths()
    {
        QFETCH(QString, parent);
        QFETCH(QString, key);
        QFETCH(QString, path);
        QCOMPARE(JsonSourceMap::memberPath(parent, key), path);
    }

    void positions_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("valueLine");
        QTest::addColumn<int>("valueColumn");
        QTest::addColumn<int>("keyLine"); // 0: not an object member
        QTest::addColumn<int>("keyColumn");
        const QByteArray doc = "{\n"
                               "  \"a\": [1, {\"b\": \"x\"}],\n"
                               "  \"c\\u0064\": {\"e\" : true},\n"
                               "  \"caf\xc3\xa9\": null, \"n\": -1.5e3\n"
                               "}";
        QTest::newRow("root") << doc << QString() << 1 << 1 << 0 << 0;
        QTest::newRow("array") << doc << QStringLiteral("a") << 2 << 8 << 2 << 3;
        QTest::newRow("array element") << doc << QStringLiteral("a[0]") << 2 << 9 << 0 << 0;
        QTest::newRow("object in array") << doc << QStringLiteral("a[1]") << 2 << 12 << 0 << 0;
        QTest::newRow("member of that") << doc << QStringLiteral("a[1].b") << 2 << 18 << 2 << 13;
        QTest::newRow("escaped key decoded") << doc << QStringLiteral("cd") << 3 << 14 << 3 << 3;
        QTest::newRow("space before colon") << doc << QStringLiteral("cd.e") << 3 << 21 << 3 << 15;
        QTest::newRow("after a multibyte key") << doc << QStringLiteral("n") << 4 << 22 << 4 << 17;
        QTest::newRow("byte-order mark skipped")
            << QByteArray("\xEF\xBB\xBF{\"v\": 2}") << QStringLiteral("v") << 1 << 7 << 1 << 2;
    }
    void positions()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        QFETCH(int, valueLine);
        QFETCH(int, valueColumn);
        QFETCH(int, keyLine);
        QFETCH(int, keyColumn);
        const JsonSourceMap map(json);
        const auto value = map.valuePosition(path);
        QVERIFY(value);
        QCOMPARE(value->line, valueLine);
        QCOMPARE(value->column, valueColumn);
        const auto key = map.keyPosition(path);
        QCOMPARE(key.has_value(), keyLine > 0);
        if (key) {
            QCOMPARE(key->line, keyLine);
            QCOMPARE(key->column, keyColumn);
        }
        QVERIFY(!map.duplicateKey());
        QVERIFY(!map.valuePosition(QStringLiteral("nope")));
    }

    void duplicates_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path"); // empty: none
        QTest::addColumn<int>("column");
        QTest::newRow("none") << QByteArray("{\"a\": {\"a\": 1}, \"b\": [{\"a\": 1}, {\"a\": 2}]}") << QString() << 0;
        QTest::newRow("root") << QByteArray("{\"a\": 1, \"a\": 2}") << QStringLiteral("a") << 10;
        QTest::newRow("nested, first reported")
            << QByteArray("{\"x\": [{\"k\": 1, \"k\": 2}], \"y\": 1, \"y\": 2}") << QStringLiteral("x[0].k") << 17;
        QTest::newRow("same key after escaping")
            << QByteArray("{\"ab\": 1, \"a\\u0062\": 2}") << QStringLiteral("ab") << 11;
    }
    void duplicates()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        QFETCH(int, column);
        const JsonSourceMap map(json);
        QCOMPARE(map.duplicateKey().value_or(QString()), path);
        if (!path.isEmpty()) {
            // Positioned at the later occurrence, the one JSON keeps.
            QCOMPARE(map.keyPosition(path)->column, column);
        }
    }
};

QTEST_GUILESS_MAIN(TestJsonSourceMap)
#include "tst_jsonsourcemap.moc"
