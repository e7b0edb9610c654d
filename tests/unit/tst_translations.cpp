// The Dutch and English catalogues: the compiled .qm files the okhealth-check target embeds
// (OKHEALTH_QM_DIR) translate the core's texts, and translations/okhealth_nl.ts
// (OKHEALTH_TS_DIR) has nothing left to translate.
#include "probes/ProbeResult.h"
#include "report/DetailLabel.h"
#include "report/TextReport.h"
#include "run/RunReport.h"
#include "util/Durations.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>
#include <memory>

using namespace std::chrono_literals;

namespace {

struct TsMessage
{
    QString context;
    QString source;
    bool numerus = false;
    QString type; // the translation's type attribute: "", "unfinished", "vanished", "obsolete"
    QStringList forms; // the translation, or its numerus forms
};

// Every message of a Qt Linguist .ts file.
QList<TsMessage> readTs(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        return {};
    }
    QList<TsMessage> messages;
    QString context;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("name")) { // only a <context> has one
            context = xml.readElementText();
            continue;
        }
        if (xml.name() != QLatin1String("message"))
            continue;
        TsMessage m;
        m.context = context;
        m.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        while (xml.readNextStartElement()) {
            if (xml.name() == QLatin1String("source")) {
                m.source = xml.readElementText();
            } else if (xml.name() == QLatin1String("translation")) {
                m.type = xml.attributes().value(QLatin1String("type")).toString();
                if (!m.numerus) {
                    m.forms.append(xml.readElementText());
                    continue;
                }
                while (xml.readNextStartElement()) {
                    if (xml.name() == QLatin1String("numerusform"))
                        m.forms.append(xml.readElementText());
                    else
                        xml.skipCurrentElement();
                }
            } else {
                xml.skipCurrentElement();
            }
        }
        messages.append(m);
    }
    if (xml.hasError())
        *error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return messages;
}

QString leadingSpace(const QString& text)
{
    qsizetype i = 0;
    while (i < text.size() && text.at(i).isSpace())
        ++i;
    return text.left(i);
}

QString trailingSpace(const QString& text)
{
    qsizetype i = text.size();
    while (i > 0 && text.at(i - 1).isSpace())
        --i;
    return text.mid(i);
}

// %1…%99 and %n, each once: the arguments a translation must keep.
QStringList placeholders(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("%(n|L?[1-9][0-9]?)"));
    QStringList found;
    for (const auto& match : pattern.globalMatch(text)) {
        if (!found.contains(match.captured(0)))
            found.append(match.captured(0));
    }
    found.sort();
    return found;
}

QString tsPath(const QString& language)
{
    return QStringLiteral(OKHEALTH_TS_DIR "/okhealth_%1.ts").arg(language);
}

okh::CheckOutcome outcome(const QString& name, okh::CheckRole role, const okh::ProbeResult& result)
{
    okh::CheckOutcome c;
    c.check.name = name;
    c.check.role = role;
    c.result = result;
    return c;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTranslator> m_installed;

    // Loads okhealth_<language>.qm and makes it the application's only catalogue.
    bool install(const QString& language)
    {
        if (m_installed)
            QCoreApplication::removeTranslator(m_installed.get());
        m_installed = std::make_unique<QTranslator>();
        if (!m_installed->load(QStringLiteral("okhealth_") + language, QStringLiteral(OKHEALTH_QM_DIR))) {
            qWarning("no okhealth_%s.qm in %s", qPrintable(language), OKHEALTH_QM_DIR);
            return false;
        }
        return QCoreApplication::installTranslator(m_installed.get());
    }

private Q_SLOTS:
    void cleanup()
    {
        if (m_installed)
            QCoreApplication::removeTranslator(m_installed.get());
        m_installed.reset();
    }

    void dutchCatalogueLoads()
    {
        QTranslator translator;
        QVERIFY(translator.load(QLocale(QLocale::Dutch, QLocale::Netherlands), QStringLiteral("okhealth"),
                                QStringLiteral("_"), QStringLiteral(OKHEALTH_QM_DIR)));
        QVERIFY(!translator.isEmpty());
        QCOMPARE(translator.language(), QStringLiteral("nl_NL"));
    }

    void probeStatus()
    {
        QVERIFY(install(QStringLiteral("nl")));
        QCOMPARE(okh::statusText(okh::ProbeStatus::Healthy), QStringLiteral("gezond"));
        QCOMPARE(okh::statusText(okh::ProbeStatus::Unhealthy), QStringLiteral("ongezond"));
        QCOMPARE(okh::statusText(okh::ProbeStatus::Unknown), QStringLiteral("onbekend"));
        QCOMPARE(okh::formatDuration(2h), QStringLiteral("2 uur"));
    }

    void dutchPlurals()
    {
        QVERIFY(install(QStringLiteral("nl")));
        const auto failing
            = [](int n) { return QCoreApplication::translate("okh::TextReport", "%n check(s) failing", nullptr, n); };
        QCOMPARE(failing(1), QStringLiteral("1 controle faalt"));
        QCOMPARE(failing(3), QStringLiteral("3 controles falen"));
        QCOMPARE(
            QCoreApplication::translate("okh::RunCommand", "waiting for %n check(s) to become healthy", nullptr, 1),
            QStringLiteral("wacht tot 1 controle gezond is"));
        QCOMPARE(
            QCoreApplication::translate("okh::RunCommand", "waiting for %n check(s) to become healthy", nullptr, 2),
            QStringLiteral("wacht tot 2 controles gezond zijn"));
    }

    // The verdict line as the core renders it, through its own tr() calls.
    void dutchReportVerdict()
    {
        QVERIFY(install(QStringLiteral("nl")));
        okh::RunReport report;
        report.deployment = QStringLiteral("acceptatie");
        okh::ServiceOutcome web;
        web.name = QStringLiteral("web");
        web.kind = QStringLiteral("web");
        web.checks = {outcome(QStringLiteral("livez"), okh::CheckRole::Liveness, okh::ProbeResult::healthy({})),
                      outcome(QStringLiteral("readyz"), okh::CheckRole::Readiness, okh::ProbeResult::healthy({}))};
        report.services = {web};
        QCOMPARE(okh::TextReport::render(report, false).section(u'\n', 0, 0),
                 QStringLiteral("acceptatie: GEZOND — alle 2 controles geslaagd"));

        report.services[0].checks[1].result = okh::ProbeResult::unhealthy(QStringLiteral("HTTP 503"));
        QCOMPARE(okh::TextReport::render(report, false).section(u'\n', 0, 0),
                 QStringLiteral("acceptatie: ONGEZOND — 1 controle faalt"));
    }

    void dutchKeepsArguments()
    {
        QVERIFY(install(QStringLiteral("nl")));
        QCOMPARE(QCoreApplication::translate("okh::DeploymentFile", "expected %1, got %2")
                     .arg(QStringLiteral("een getal"), QStringLiteral("\"vijf\"")),
                 QStringLiteral("verwacht een getal, maar \"vijf\" gevonden"));
        QCOMPARE(QCoreApplication::translate("okh::SocketFailure", "cannot reach %1 through the SSH tunnel: %2")
                     .arg(QStringLiteral("redis:6379"), QStringLiteral("geweigerd")),
                 QStringLiteral("kan redis:6379 niet bereiken via de SSH-tunnel: geweigerd"));
    }

    // Detail keys stay stable for JSON; the text report shows them translated.
    void dutchDetailLabels_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("label");
        QTest::newRow("exit code") << QStringLiteral("exit code") << QStringLiteral("afsluitcode");
        QTest::newRow("HTTP status") << QStringLiteral("status") << QStringLiteral("HTTP-status");
        QTest::newRow("a component, its name kept")
            << QStringLiteral("component: cache") << QStringLiteral("onderdeel cache");
        QTest::newRow("a worker, its name kept")
            << QStringLiteral("worker: celery@web-1") << QStringLiteral("worker celery@web-1");
        QTest::newRow("a Celery reply, its node kept")
            << QStringLiteral("reply: celery@web-1") << QStringLiteral("antwoord van celery@web-1");
        QTest::newRow("an unlabelled key shows as it is") << QStringLiteral("x-new") << QStringLiteral("x-new");
    }
    void dutchDetailLabels()
    {
        QFETCH(QString, key);
        QFETCH(QString, label);
        QVERIFY(install(QStringLiteral("nl")));
        QCOMPARE(okh::DetailLabel::forKey(key), label);

        okh::RunReport report;
        report.deployment = QStringLiteral("acceptatie");
        okh::ServiceOutcome web;
        web.name = QStringLiteral("web");
        okh::ProbeResult failed = okh::ProbeResult::unhealthy(QStringLiteral("HTTP 503"));
        failed.details.append({key, QStringLiteral("42")});
        web.checks = {outcome(QStringLiteral("readyz"), okh::CheckRole::Readiness, failed)};
        report.services = {web};
        const QString text = okh::TextReport::render(report, false);
        QVERIFY2(text.contains(QStringLiteral("       ") + label + QStringLiteral(": 42\n")), qPrintable(text));
    }

    void englishPlurals()
    {
        QVERIFY(install(QStringLiteral("en")));
        QCOMPARE(QCoreApplication::translate("okh::TextReport", "%n check(s) failing", nullptr, 1),
                 QStringLiteral("1 check failing"));
        QCOMPARE(QCoreApplication::translate("okh::TextReport", "%n check(s) failing", nullptr, 2),
                 QStringLiteral("2 checks failing"));
        QCOMPARE(okh::statusText(okh::ProbeStatus::Healthy), QStringLiteral("healthy"));
    }

    void catalogue_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("nl") << QStringLiteral("nl");
        QTest::newRow("en") << QStringLiteral("en");
    }
    // Every message translated, with the source's arguments and surrounding whitespace, and the
    // compiled catalogue built from this very file.
    void catalogue()
    {
        QFETCH(QString, language);
        QString error;
        const QList<TsMessage> messages = readTs(tsPath(language), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(messages.size() > 100);
        QTranslator compiled;
        QVERIFY(compiled.load(QStringLiteral("okhealth_") + language, QStringLiteral(OKHEALTH_QM_DIR)));

        QStringList problems;
        for (const TsMessage& m : messages) {
            const QString where = m.context + QStringLiteral(" \"") + m.source + u'"';
            if (!m.type.isEmpty()) {
                problems.append(where + QStringLiteral(": translation type=\"") + m.type + u'"');
                continue;
            }
            if (m.numerus && m.forms.size() != 2)
                problems.append(where + QStringLiteral(": %1 plural forms, expected 2").arg(m.forms.size()));
            for (qsizetype i = 0; i < m.forms.size(); ++i) {
                const QString& form = m.forms.at(i);
                if (form.trimmed().isEmpty()) {
                    problems.append(where + QStringLiteral(": empty translation"));
                    continue;
                }
                if (placeholders(form) != placeholders(m.source))
                    problems.append(
                        where + QStringLiteral(": arguments %1 in \"%2\"").arg(placeholders(form).join(u' '), form));
                if (leadingSpace(form) != leadingSpace(m.source) || trailingSpace(form) != trailingSpace(m.source))
                    problems.append(where + QStringLiteral(": leading or trailing whitespace differs"));
                const QString inQm = compiled.translate(m.context.toUtf8().constData(), m.source.toUtf8().constData(),
                                                        nullptr, m.numerus ? int(i) + 1 : -1);
                if (inQm != form)
                    problems.append(where + QStringLiteral(": the .qm has \"%1\"; rebuild okhealth-check").arg(inQm));
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
