#include "ConfigSamples.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QTest>

namespace okh::test {

QByteArray inCheck(const char* check)
{
    return QByteArrayLiteral(
               R"json({"version": 1, "deployments": [{"name": "local", "connection": {"type": "direct"}, "services": [{"name": "web", "checks": [
)json") + check
        + QByteArrayLiteral("\n]}]}]}\n");
}

QByteArray inConnection(const char* connection)
{
    return QByteArrayLiteral(
               R"json({"version": 1, "deployments": [{"name": "d", "services": [{"name": "s", "checks": [{"name": "c", "type": "tcp", "role": "info", "host": "h", "port": 1}]}], "connection":
)json") + connection
        + QByteArrayLiteral("\n}]}\n");
}

namespace {

QByteArray readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

// A one-line text file without its final newline.
QString readLine(const QString& path)
{
    QString text = QString::fromUtf8(readAll(path));
    if (text.endsWith(u'\n'))
        text.chop(1);
    return text;
}

QStringList jsonFiles(const QString& dir)
{
    const QStringList files
        = QDir(configDataDir() + u'/' + dir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        qFatal("no samples in %s", qPrintable(configDataDir() + u'/' + dir));
    return files;
}

} // namespace

QString configDataDir()
{
    return sourceDir() + QStringLiteral("/tests/data/config");
}

QByteArray configFile(const QString& relativePath)
{
    return readAll(configDataDir() + u'/' + relativePath);
}

QStringList sampleFilePaths()
{
    QStringList out;
    for (const QString& file : jsonFiles(QStringLiteral("samples")))
        out << configDataDir() + QStringLiteral("/samples/") + file;
    return out;
}

void addErrorRows(const QString& dir)
{
    const QString base = configDataDir() + u'/' + dir + u'/';
    for (const QString& file : jsonFiles(dir)) {
        const QString stem = base + file.chopped(5);
        QStringList env;
        if (QFile::exists(stem + QStringLiteral(".env")))
            env = QString::fromUtf8(readAll(stem + QStringLiteral(".env"))).split(u'\n', Qt::SkipEmptyParts);
        QTest::newRow(qPrintable(file.chopped(5)))
            << readAll(base + file) << env << file << readLine(stem + QStringLiteral(".expected"));
    }
}

void addSecretRows()
{
    const QString base = configDataDir() + QStringLiteral("/secrets/");
    for (const QString& file : jsonFiles(QStringLiteral("secrets"))) {
        QTest::newRow(qPrintable(file.chopped(5)))
            << readAll(base + file) << readLine(base + file.chopped(5) + QStringLiteral(".keypath"));
    }
}

} // namespace okh::test
