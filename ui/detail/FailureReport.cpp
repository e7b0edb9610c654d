#include "FailureReport.h"

#include "model/DeploymentModel.h"
#include "probes/HttpBody.h"
#include "report/DetailLabel.h"
#include "server/MonitorReading.h"
#include "util/Durations.h"

#include <QDateTime>
#include <QRegularExpression>

namespace okh {

namespace {

const QString ComponentPrefix = QStringLiteral("component: ");
const QString HeaderPrefix = QStringLiteral("header: ");

QString roleText(CheckRole role)
{
    switch (role) {
    case CheckRole::Liveness:
        return FailureReport::tr("liveness");
    case CheckRole::Readiness:
        return FailureReport::tr("readiness");
    case CheckRole::Startup:
        return FailureReport::tr("startup");
    case CheckRole::Info:
        break;
    }
    return FailureReport::tr("information");
}

// Header values that carry credentials are never shown, whatever the deployment file holds.
bool isSecretHeader(const QByteArray& name)
{
    const QByteArray lower = name.toLower();
    return lower == "authorization" || lower == "proxy-authorization" || lower == "cookie" || lower.contains("token")
        || lower.contains("secret") || lower.contains("key") || lower.contains("password");
}

// Plain digits: the same text in the view and in a ticket, whatever the desktop's locale.
QString latencyText(double ms)
{
    return FailureReport::tr("%1 ms").arg(ms, 0, 'f', ms < 10 ? 1 : 0);
}

// Detail labels are lower case for inline use ("exit code: 1"); here they head a row.
QString rowLabel(const QString& key)
{
    QString label = DetailLabel::forKey(key);
    if (!label.isEmpty())
        label[0] = label[0].toUpper();
    return label;
}

FailureReport::Section requestSection(const HttpTarget& http, std::chrono::milliseconds timeout)
{
    FailureReport::Section s;
    s.title = FailureReport::tr("Request");
    s.rows.append({FailureReport::tr("Method"), QStringLiteral("GET"), true});
    s.rows.append(
        {FailureReport::tr("URL"), http.url.toDisplayString(QUrl::RemovePassword | QUrl::RemoveUserInfo), true});
    s.rows.append({FailureReport::tr("Host header"),
                   http.hostHeader.isEmpty() ? http.url.adjusted(QUrl::RemoveUserInfo).authority() : http.hostHeader,
                   true});
    if (!http.user.isEmpty() || !http.password.isEmpty())
        s.rows.append({QStringLiteral("Authorization"), QStringLiteral("Basic ****"), true});
    for (const auto& [name, value] : http.headers)
        s.rows.append({QString::fromLatin1(name),
                       isSecretHeader(name) ? QStringLiteral("****") : QString::fromLatin1(value), true});
    s.rows.append({FailureReport::tr("Timeout"), formatDuration(timeout)});
    return s;
}

// Markdown that renders as the text itself: a value with * or _ must not turn into emphasis.
QString escapeMarkdown(const QString& text)
{
    static const QRegularExpression special(QStringLiteral(R"(([\\`*_\[\]<>|#]))"));
    QString escaped = text;
    escaped.replace(special, QStringLiteral("\\\\1"));
    escaped.replace(u'\n', u' ');
    return escaped;
}

QString inlineCode(const QString& text)
{
    const QString flat = QString(text).replace(u'\n', u' ');
    // A value holding backticks gets a longer fence, as CommonMark allows.
    QString fence = QStringLiteral("`");
    while (flat.contains(fence))
        fence += u'`';
    const bool pad = flat.startsWith(u'`') || flat.endsWith(u'`');
    return fence + (pad ? QStringLiteral(" ") : QString()) + flat + (pad ? QStringLiteral(" ") : QString()) + fence;
}

QString fencedBlock(const QString& text)
{
    QString fence = QStringLiteral("```");
    while (text.contains(fence))
        fence += u'`';
    return fence + u'\n' + text + u'\n' + fence + u'\n';
}

QString markdownValue(const FailureReport::Row& row)
{
    return row.code ? inlineCode(row.value) : escapeMarkdown(row.value);
}

} // namespace

QString FailureReport::timeText(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
        + QStringLiteral(" UTC");
}

QString FailureReport::failureKindText(FailureKind kind)
{
    switch (kind) {
    case FailureKind::None:
        break;
    case FailureKind::Refused:
        return tr("connection refused: nothing listens on the port");
    case FailureKind::Unresolved:
        return tr("the host name does not resolve");
    case FailureKind::NoConnection:
        return tr("no connection in time");
    case FailureKind::ClosedEarly:
        return tr("the peer accepted, then closed without answering");
    case FailureKind::NoAnswer:
        return tr("connected, but no answer in time");
    case FailureKind::Answered:
        return tr("answered, and reported a failure");
    case FailureKind::FileMissing:
        return tr("the file is missing");
    case FailureKind::FileStale:
        return tr("the file is older than its maximum age");
    case FailureKind::CommandFailed:
        return tr("the command failed");
    case FailureKind::NotRunning:
        return tr("the container is not running");
    case FailureKind::NoReply:
        return tr("the broker works; the worker did not answer");
    case FailureKind::Other:
        return tr("other failure");
    }
    return {};
}

FailureReport FailureReport::build(const FailureSubject& subject)
{
    FailureReport report;
    const CheckSnapshot& snap = subject.snapshot;
    const CheckStateMachine::State& state = snap.state;
    const bool hasResult = subject.hasSnapshot && state.lastResultMs > 0;
    ProbeResult result;
    qint64 atMs = 0;
    if (!hasResult) {
        report.shown = Shown::NoResult;
    } else if (state.last.status != ProbeStatus::Healthy) {
        report.shown = Shown::Current;
        result = state.last;
        atMs = state.lastResultMs;
    } else if (snap.lastProblemMs > 0) {
        report.shown = Shown::Earlier;
        result = snap.lastProblem;
        atMs = snap.lastProblemMs;
    } else {
        report.shown = Shown::NoProblem;
        result = state.last;
        atMs = state.lastResultMs;
    }
    report.status = subject.hasSnapshot ? state.verdict : ProbeStatus::Unknown;
    report.title
        = tr("%1 · %2: %3").arg(subject.service, subject.check.name, DeploymentModel::statusText(report.status));
    switch (report.shown) {
    case Shown::NoResult:
        report.subtitle = tr("No result yet.");
        break;
    case Shown::Current:
        report.subtitle = result.summary;
        break;
    case Shown::Earlier:
        report.subtitle = tr("Healthy again. Last problem: %1").arg(result.summary);
        break;
    case Shown::NoProblem:
        report.subtitle = tr("No problem since monitoring started. Latest: %1").arg(result.summary);
        break;
    }

    Section head;
    head.rows.append({tr("Deployment"), subject.deployment});
    if (!subject.reachable)
        head.rows.append(
            {tr("Connection"),
             subject.transportError.isEmpty() ? tr("cannot reach the deployment") : subject.transportError});
    head.rows.append({tr("Service"), tr("%1 (%2)").arg(subject.service, subject.serviceKind)});
    head.rows.append(
        {tr("Check"),
         tr("%1 (%2, %3)").arg(subject.check.name, roleText(subject.check.role), subject.check.typeKey())});
    head.rows.append({tr("Target"), publicTarget(subject.check.target), true});
    if (subject.hasSnapshot) {
        const QString verdict = DeploymentModel::statusText(state.verdict);
        head.rows.append({tr("State"),
                          snap.stateText.isEmpty() || snap.stateText == verdict
                              ? verdict
                              : tr("%1 (%2)").arg(verdict, snap.stateText)});
    }
    if (report.shown != Shown::NoResult) {
        // The summary is the subtitle; these say when, how long and what kind of failure.
        head.rows.append({report.shown == Shown::Earlier ? tr("Last problem at") : tr("Result at"), timeText(atMs)});
        if (result.status != ProbeStatus::Unknown || result.latencyMs > 0)
            head.rows.append({tr("Latency"), latencyText(result.latencyMs)});
        if (result.status == ProbeStatus::Unhealthy) {
            if (const QString kind = failureKindText(result.failure); !kind.isEmpty())
                head.rows.append({tr("What failed"), kind});
        }
    }
    if (!subject.cause.isEmpty())
        head.rows.append({tr("Cause"), subject.cause});
    if (!subject.reachable)
        head.text = tr("The monitor cannot reach this deployment, so its checks are unknown: nothing here says the "
                       "services have failed.");
    report.sections.append(head);
    if (report.shown == Shown::NoResult)
        return report;

    if (const auto* http = std::get_if<HttpTarget>(&subject.check.target))
        report.sections.append(requestSection(*http, subject.check.timeout));

    Section response{tr("Response"), {}, false, {}, {}};
    Section components{tr("Components (django-health-check)"), {}, true, {}, {}};
    Section command{tr("Command"), {}, false, {}, {}};
    Section output{tr("Output"), {}, false, {}, {}};
    Section body{tr("Body excerpt"), {}, false, {}, {}};
    Section other{tr("Details"), {}, false, {}, {}};
    for (const ProbeDetail& d : result.details) {
        if (d.key.startsWith(ComponentPrefix)) {
            const QString name = d.key.mid(ComponentPrefix.size());
            components.rows.append({name, d.value, false, !HttpBody::isWorking(d.value)});
        } else if (d.key.startsWith(HeaderPrefix)) {
            response.rows.append({d.key.mid(HeaderPrefix.size()), d.value, true});
        } else if (d.key == QLatin1String("status") || d.key == QLatin1String("server")
                   || d.key == QLatin1String("location") || d.key == QLatin1String("body truncated")) {
            response.rows.append({rowLabel(d.key), d.value, d.key != QLatin1String("status")});
        } else if (d.key == QLatin1String("body")) {
            body.block = d.value;
        } else if (d.key == QLatin1String("command") || d.key == QLatin1String("context")
                   || d.key == QLatin1String("exit code")) {
            command.rows.append({rowLabel(d.key), d.value, d.key == QLatin1String("command")});
        } else if (d.key == QLatin1String("output") || d.key == QLatin1String("stderr")) {
            output.block += (output.block.isEmpty() ? QString() : QStringLiteral("\n")) + d.value;
        } else {
            other.rows.append({rowLabel(d.key), d.value});
        }
    }
    for (Section* s : {&response, &components, &command, &output, &body, &other}) {
        if (!s->rows.isEmpty() || !s->block.isEmpty())
            report.sections.append(*s);
    }
    if (!result.hint.isEmpty())
        report.sections.append({tr("Hint"), {}, false, {}, result.hint});
    return report;
}

QString FailureReport::toMarkdown() const
{
    QString md = QStringLiteral("### ") + escapeMarkdown(title) + QStringLiteral("\n\n");
    md += escapeMarkdown(subtitle) + QStringLiteral("\n");
    for (const Section& s : sections) {
        md += u'\n';
        if (!s.title.isEmpty())
            md += QStringLiteral("#### ") + escapeMarkdown(s.title) + QStringLiteral("\n\n");
        if (s.table) {
            md += QStringLiteral("| %1 | %2 |\n|---|---|\n").arg(tr("Component"), tr("Status"));
            for (const Row& r : s.rows) {
                // A mark and bold besides any colour: the ticket may be read as plain text.
                const QString mark = r.failing ? QStringLiteral("✗ ") : QStringLiteral("✓ ");
                const QString name = escapeMarkdown(r.label);
                const QString value = escapeMarkdown(r.value);
                md += r.failing ? QStringLiteral("| %1**%2** | **%3** |\n").arg(mark, name, value)
                                : QStringLiteral("| %1%2 | %3 |\n").arg(mark, name, value);
            }
        } else {
            for (const Row& r : s.rows)
                md += QStringLiteral("- **%1:** %2\n").arg(escapeMarkdown(r.label), markdownValue(r));
        }
        if (!s.block.isEmpty())
            md += (s.rows.isEmpty() ? QString() : QStringLiteral("\n")) + fencedBlock(s.block);
        if (!s.text.isEmpty())
            md += (s.rows.isEmpty() ? QString() : QStringLiteral("\n")) + escapeMarkdown(s.text) + u'\n';
    }
    return md;
}

QString FailureReport::toHtml() const
{
    const auto esc = [](const QString& text) { return text.toHtmlEscaped(); };
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p>").arg(esc(title), esc(subtitle));
    for (const Section& s : sections) {
        if (!s.title.isEmpty())
            html += QStringLiteral("<h4>%1</h4>").arg(esc(s.title));
        if (!s.rows.isEmpty()) {
            html += QStringLiteral("<table cellspacing='0' cellpadding='3'>");
            if (s.table)
                html += QStringLiteral("<tr><th align='left'>%1</th><th align='left'>%2</th></tr>")
                            .arg(esc(tr("Component")), esc(tr("Status")));
            for (const Row& r : s.rows) {
                QString value = r.code ? QStringLiteral("<code>%1</code>").arg(esc(r.value)) : esc(r.value);
                QString label = esc(r.label);
                if (s.table) {
                    label = (r.failing ? QStringLiteral("✗ ") : QStringLiteral("✓ ")) + label;
                    if (r.failing) {
                        label = QStringLiteral("<b>%1</b>").arg(label);
                        value = QStringLiteral("<b>%1</b>").arg(value);
                    }
                }
                html += QStringLiteral("<tr%1><td valign='top'>%2</td><td>%3</td></tr>")
                            .arg(r.failing ? QStringLiteral(" bgcolor='#fdecea'") : QString(), label, value);
            }
            html += QStringLiteral("</table>");
        }
        if (!s.block.isEmpty())
            html += QStringLiteral("<pre>%1</pre>").arg(esc(s.block));
        if (!s.text.isEmpty())
            html += QStringLiteral("<p>%1</p>").arg(esc(s.text));
    }
    return html;
}

} // namespace okh
