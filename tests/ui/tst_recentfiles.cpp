#include "window/RecentFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace okh;

namespace {

QStringList names(QStringView spaced)
{
    return spaced.toString().split(u' ', Qt::SkipEmptyParts);
}

} // namespace

// File → Open Recent's list: newest first, no duplicates, at most RecentFiles::Max, kept in
// QSettings (under QStandardPaths' test mode here), with the set opened last to reopen.
class TestRecentFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("okhealth-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_recentfiles"));
        QSettings().clear();
    }

    void merged_data()
    {
        QTest::addColumn<QStringList>("current");
        QTest::addColumn<QStringList>("opened");
        QTest::addColumn<int>("max");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("first") << QStringList() << names(u"/a") << 10 << names(u"/a");
        QTest::newRow("newest first") << names(u"/a /b") << names(u"/c") << 10 << names(u"/c /a /b");
        QTest::newRow("reopened moves up") << names(u"/a /b /c") << names(u"/c") << 10 << names(u"/c /a /b");
        QTest::newRow("several at once keep their order")
            << names(u"/a /b") << names(u"/x /b /y") << 10 << names(u"/x /b /y /a");
        QTest::newRow("twice in one open") << names(u"/a") << names(u"/b /b") << 10 << names(u"/b /a");
        QTest::newRow("the oldest go") << names(u"/a /b /c") << names(u"/d") << 3 << names(u"/d /a /b");
    }
    void merged()
    {
        QFETCH(QStringList, current);
        QFETCH(QStringList, opened);
        QFETCH(int, max);
        QFETCH(QStringList, expected);
        QCOMPARE(RecentFiles::merged(current, opened, max), expected);
    }

    void keptInSettings()
    {
        QSettings().clear();
        QCOMPARE(RecentFiles::files(), QStringList());
        RecentFiles::add({QStringLiteral("/srv/a.json")});
        RecentFiles::add({QStringLiteral("/srv/b.json"), QStringLiteral("relative.json")});
        const QString relative = QDir::current().absoluteFilePath(QStringLiteral("relative.json"));
        QCOMPARE(RecentFiles::files(),
                 (QStringList{QStringLiteral("/srv/b.json"), relative, QStringLiteral("/srv/a.json")}));
        QCOMPARE(RecentFiles::lastOpened(), (QStringList{QStringLiteral("/srv/b.json"), relative}));
        for (int i = 0; i < RecentFiles::Max + 3; ++i)
            RecentFiles::add({QStringLiteral("/srv/%1.json").arg(i)});
        QCOMPARE(RecentFiles::files().size(), RecentFiles::Max);
        QCOMPARE(RecentFiles::files().first(), QStringLiteral("/srv/12.json"));

        RecentFiles::remove(QStringLiteral("/srv/12.json")); // gone from the disk
        QVERIFY(!RecentFiles::files().contains(QStringLiteral("/srv/12.json")));
        QCOMPARE(RecentFiles::lastOpened(), QStringList()); // nothing half to reopen
        RecentFiles::clear();
        QCOMPARE(RecentFiles::files(), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestRecentFiles)
#include "tst_recentfiles.moc"
