#include "util/Autostart.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace okh;

// The XDG autostart entry: written where the session looks, valid for desktop-file-validate,
// running this program (quoted), gone when switched off.
class TestAutostart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup() { QFile::remove(Autostart::entryPath()); }

    void writesAValidEntry_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QString>("exec");
        QTest::newRow("plain") << QStringLiteral("/usr/bin/okhealth") << QStringLiteral("Exec=\"/usr/bin/okhealth\"");
        QTest::newRow("space") << QStringLiteral("/opt/ok health/okhealth")
                               << QStringLiteral("Exec=\"/opt/ok health/okhealth\"");
        QTest::newRow("reserved") << QStringLiteral("/home/a$b/100%/okhealth")
                                  << QStringLiteral("Exec=\"/home/a\\$b/100%%/okhealth\"");
    }

    void writesAValidEntry()
    {
        QFETCH(QString, program);
        QFETCH(QString, exec);
        QVERIFY(!Autostart::isEnabled());
        const std::optional<QString> error = Autostart::apply(true, program);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        QVERIFY(Autostart::isEnabled());
        QVERIFY(Autostart::entryPath().endsWith(QStringLiteral("/autostart/org.okhealth.OKHealth.desktop")));
        QFile file(Autostart::entryPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY2(text.split(u'\n').contains(exec), qPrintable(text));

        QProcess validate;
        validate.start(QStringLiteral("desktop-file-validate"), {Autostart::entryPath()});
        QVERIFY(validate.waitForFinished(10000));
        QVERIFY2(validate.exitCode() == 0, validate.readAllStandardOutput().constData());

        QVERIFY(!Autostart::apply(false, program));
        QVERIFY(!Autostart::isEnabled());
        QVERIFY(!Autostart::apply(false, program)); // already off: fine
    }

    void reportsWhereItFailed()
    {
        // A file where the autostart folder should be.
        const QString folder = QFileInfo(Autostart::entryPath()).absolutePath();
        QDir(folder).removeRecursively();
        QDir().mkpath(QFileInfo(folder).absolutePath());
        QFile blocker(folder);
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const std::optional<QString> error = Autostart::apply(true, QStringLiteral("/usr/bin/okhealth"));
        QFile::remove(folder);
        QVERIFY(error);
        QVERIFY2(error->contains(Autostart::entryPath()), qPrintable(*error));
    }
};

QTEST_GUILESS_MAIN(TestAutostart)
#include "tst_autostart.moc"
