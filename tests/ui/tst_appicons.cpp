#include "paint/AppIcons.h"
#include "paint/StatusPaint.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QTest>

using okh::ProbeStatus;

Q_DECLARE_METATYPE(okh::ProbeStatus)

// The built-in SVG icons: each status icon has StatusPaint's colour, and every icon renders
// sharp at 100 % and 200 % (a pixmap of the full device size, not a scaled-up small one).
class TestAppIcons : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statusIcons_data()
    {
        QTest::addColumn<ProbeStatus>("status");
        QTest::addColumn<qreal>("scale");
        for (const qreal scale : {1.0, 2.0}) {
            const int percent = int(scale * 100);
            QTest::addRow("healthy at %d %%", percent) << ProbeStatus::Healthy << scale;
            QTest::addRow("unhealthy at %d %%", percent) << ProbeStatus::Unhealthy << scale;
            QTest::addRow("unknown at %d %%", percent) << ProbeStatus::Unknown << scale;
        }
    }
    void statusIcons()
    {
        QFETCH(ProbeStatus, status);
        QFETCH(qreal, scale);
        const QIcon icon = okh::AppIcons::status(status);
        QVERIFY(!icon.isNull());
        const QPixmap pixmap = icon.pixmap(QSize(22, 22), scale);
        QCOMPARE(pixmap.size(), QSize(22, 22) * scale);
        const QImage image = pixmap.toImage();
        // Near the top of the shape, clear of its glyph: the status colour.
        const QColor body = image.pixelColor(image.width() / 2, int(image.height() * 0.16));
        const QColor expected = okh::StatusPaint::color(status);
        QVERIFY2(qAbs(body.red() - expected.red()) < 24 && qAbs(body.green() - expected.green()) < 24
                     && qAbs(body.blue() - expected.blue()) < 24,
                 qPrintable(body.name() + QStringLiteral(" vs ") + expected.name()));
        // The corners of a round or diamond badge stay transparent.
        if (status != ProbeStatus::Unknown)
            QCOMPARE(image.pixelColor(0, 0).alpha(), 0);
    }

    void applicationIcon_data()
    {
        QTest::addColumn<int>("size");
        for (const int size : {16, 32, 48, 128, 256})
            QTest::addRow("%d px", size) << size;
    }
    void applicationIcon()
    {
        QFETCH(int, size);
        const QIcon icon = okh::AppIcons::application();
        QVERIFY(!icon.isNull());
        const QImage image = icon.pixmap(QSize(size, size)).toImage();
        QCOMPARE(image.size(), QSize(size, size));
        // The blue face, clear of the pulse line and the tick.
        const QColor face = image.pixelColor(size / 4, int(size * 0.3));
        QVERIFY2(face.blue() > 120 && face.red() < 80, qPrintable(face.name()));
    }

    // The icons the program has built in are the files cmake --install puts in place.
    void builtInIconsAreTheInstalledFiles()
    {
        const QString id = okh::AppIcons::applicationId();
        const QStringList names{id, id + QStringLiteral("-healthy"), id + QStringLiteral("-unhealthy"),
                                id + QStringLiteral("-unknown")};
        for (const QString& name : names) {
            QFile builtIn(QStringLiteral(":/icons/") + name + QStringLiteral(".svg"));
            QFile source(QStringLiteral(OKHEALTH_SOURCE_ICONS_DIR "/") + name + QStringLiteral(".svg"));
            QVERIFY2(builtIn.open(QIODevice::ReadOnly), qPrintable(name));
            QVERIFY2(source.open(QIODevice::ReadOnly), qPrintable(name));
            QCOMPARE(builtIn.readAll(), source.readAll());
        }
    }
};

QTEST_MAIN(TestAppIcons)
#include "tst_appicons.moc"
