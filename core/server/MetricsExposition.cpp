#include "MetricsExposition.h"

#include <array>
#include <charconv>
#include <cmath>
#include <vector>

namespace okh::MetricsExposition {

namespace {

void appendValue(QByteArray& out, double value)
{
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    std::array<char, 32> buffer;
    // Without a precision, to_chars writes the shortest text that reads back as the same double.
    const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    if (error != std::errc())
        out += "NaN";
    else
        out.append(buffer.data(), end - buffer.data());
}

void appendLabel(QByteArray& out, QByteArrayView name, QStringView value)
{
    if (!out.isEmpty())
        out += ',';
    out += name;
    out += "=\"";
    out += escapeLabelValue(value);
    out += '"';
}

// Writes one family at a time: HELP and TYPE before its first sample, none for a family
// without samples.
class FamilyWriter
{
public:
    explicit FamilyWriter(QByteArray& out)
        : m_out(out)
    { }

    void begin(QByteArrayView name, QByteArrayView type, QByteArrayView help)
    {
        m_name = name;
        m_type = type;
        m_help = help;
        m_headerWritten = false;
    }

    // `labels` is escaped text without braces; `extra` one more escaped label, or empty.
    void sample(QByteArrayView labels, double value, QByteArrayView extra = {}, QByteArrayView suffix = {})
    {
        if (!m_headerWritten) {
            m_out += "# HELP ";
            m_out += m_name;
            m_out += ' ';
            m_out += m_help;
            m_out += "\n# TYPE ";
            m_out += m_name;
            m_out += ' ';
            m_out += m_type;
            m_out += '\n';
            m_headerWritten = true;
        }
        m_out += m_name;
        m_out += suffix;
        if (!labels.isEmpty() || !extra.isEmpty()) {
            m_out += '{';
            m_out += labels;
            if (!labels.isEmpty() && !extra.isEmpty())
                m_out += ',';
            m_out += extra;
            m_out += '}';
        }
        m_out += ' ';
        appendValue(m_out, value);
        m_out += '\n';
    }

private:
    QByteArray& m_out;
    QByteArrayView m_name;
    QByteArrayView m_type;
    QByteArrayView m_help;
    bool m_headerWritten = false;
};

constexpr std::array<std::pair<ProbeStatus, QByteArrayView>, 3> kStates{{
    {ProbeStatus::Healthy, "healthy"},
    {ProbeStatus::Unhealthy, "unhealthy"},
    {ProbeStatus::Unknown, "unknown"},
}};

constexpr std::array<ServiceAssessment::Conclusion, 5> kConclusions{
    ServiceAssessment::Conclusion::Serving,      ServiceAssessment::Conclusion::Starting,
    ServiceAssessment::Conclusion::WouldRestart, ServiceAssessment::Conclusion::OutOfRotation,
    ServiceAssessment::Conclusion::Unknown,
};

// Probe latencies are measured in fractions of milliseconds; whole microseconds keep the text
// short (no 0.0011973860000000002).
double seconds(double ms)
{
    return std::round(ms * 1000.0) / 1e6;
}

double boolValue(bool b)
{
    return b ? 1.0 : 0.0;
}

} // namespace

QByteArray escapeLabelValue(QStringView value)
{
    QByteArray utf8 = value.toUtf8();
    if (!utf8.contains('\\') && !utf8.contains('"') && !utf8.contains('\n'))
        return utf8;
    QByteArray escaped;
    escaped.reserve(utf8.size() + 8);
    for (const char c : std::as_const(utf8)) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

QByteArray escapeHelp(QStringView text)
{
    QByteArray escaped;
    const QByteArray utf8 = text.toUtf8();
    escaped.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

QByteArray formatValue(double value)
{
    QByteArray out;
    appendValue(out, value);
    return out;
}

QByteArray render(const QList<MonitorReading>& readings)
{
    struct DeploymentRow
    {
        QByteArray labels;
        const MonitorReading* reading;
    };
    struct CheckRow
    {
        QByteArray labels;
        const CheckSnapshot* check;
    };
    struct ServiceRow
    {
        QByteArray labels;
        const ServiceAssessment* service;
        bool rootCause;
    };
    std::vector<DeploymentRow> deployments;
    std::vector<CheckRow> checks;
    std::vector<ServiceRow> services;
    for (const MonitorReading& reading : readings) {
        const DeploymentSnapshot& d = reading.snapshot;
        QByteArray deploymentLabels;
        appendLabel(deploymentLabels, "deployment", d.name);
        deployments.push_back({deploymentLabels, &reading});
        for (const CheckSnapshot& c : d.checks) {
            QByteArray labels = deploymentLabels;
            appendLabel(labels, "service", c.key.service);
            appendLabel(labels, "check", c.key.check);
            appendLabel(labels, "role", roleKey(c.role));
            appendLabel(labels, "type", c.type);
            checks.push_back({labels, &c});
        }
        for (const ServiceAssessment& s : d.services) {
            QByteArray labels = deploymentLabels;
            appendLabel(labels, "service", s.service);
            appendLabel(labels, "kind", s.kind);
            services.push_back({labels, &s, d.rootCauses.contains(s.service)});
        }
    }

    QByteArray out;
    out.reserve(qsizetype(checks.size()) * 1400 + qsizetype(services.size()) * 1200 + 4096);
    FamilyWriter w(out);

    w.begin("okhealth_build_info", "gauge", "The okhealth-check version serving these metrics.");
    w.sample("version=\"" OKHEALTH_VERSION_STRING "\"", 1);

    // Per deployment.
    w.begin("okhealth_deployment_reachable", "gauge",
            "1 while the checks can reach the deployment (always for direct connections), 0 while its SSH "
            "connection is down.");
    for (const auto& d : deployments)
        w.sample(d.labels, boolValue(d.reading->snapshot.reachable));
    w.begin("okhealth_probes_total", "counter", "Probes the scheduler started.");
    for (const auto& d : deployments)
        w.sample(d.labels, double(d.reading->probesRun));
    w.begin("okhealth_scheduler_lateness_seconds", "summary",
            "How much later than due probes started; quantiles over the last 100000 starts, count over all.");
    for (const auto& d : deployments) {
        const auto& l = d.reading->lateness;
        const bool any = l.samples > 0;
        w.sample(d.labels, any ? seconds(l.p50Ms) : std::nan(""), "quantile=\"0.5\"");
        w.sample(d.labels, any ? seconds(l.p99Ms) : std::nan(""), "quantile=\"0.99\"");
        w.sample(d.labels, double(d.reading->probesRun), {}, "_count");
    }
    w.begin("okhealth_scheduler_lateness_max_seconds", "gauge",
            "The latest probe start against its due time, over the last 100000 starts.");
    for (const auto& d : deployments)
        w.sample(d.labels, seconds(d.reading->lateness.maxMs));

    // Per check.
    w.begin("probe_success", "gauge",
            "1 if the check's latest result was healthy, 0 if unhealthy; absent while there is no result or the "
            "latest could not be produced (see okhealth_check_unknown).");
    for (const auto& c : checks) {
        const auto& s = c.check->state;
        if (s.runs > 0 && s.last.status != ProbeStatus::Unknown)
            w.sample(c.labels, boolValue(s.last.status == ProbeStatus::Healthy));
    }
    w.begin("probe_duration_seconds", "gauge", "How long the check's latest run took.");
    for (const auto& c : checks) {
        const auto& s = c.check->state;
        if (s.runs > 0)
            w.sample(c.labels, seconds(s.last.latencyMs));
    }
    w.begin("okhealth_check_unknown", "gauge",
            "1 while the check has no result yet or the monitor could not run it the latest time (its own "
            "transport trouble, bad parameters); such results never count against the service.");
    for (const auto& c : checks) {
        const auto& s = c.check->state;
        w.sample(c.labels, boolValue(s.runs == 0 || s.last.status == ProbeStatus::Unknown));
    }
    w.begin("okhealth_check_state", "gauge",
            "The check's verdict after its failure and success thresholds and start period, one-hot over the "
            "state label.");
    for (const auto& c : checks) {
        for (const auto& [status, key] : kStates) {
            QByteArray extra = "state=\"";
            extra += key;
            extra += '"';
            w.sample(c.labels, boolValue(c.check->state.verdict == status), extra);
        }
    }
    w.begin("okhealth_check_consecutive_failures", "gauge",
            "Counted failures in a row (failures during the start period do not count).");
    for (const auto& c : checks)
        w.sample(c.labels, double(c.check->state.consecutiveFailures));
    w.begin("okhealth_check_results_total", "counter", "Results of the check, of any status.");
    for (const auto& c : checks)
        w.sample(c.labels, double(c.check->state.runs));
    w.begin("okhealth_check_last_result_timestamp_seconds", "gauge",
            "When the check's latest result came in, in seconds since the Unix epoch.");
    for (const auto& c : checks) {
        const auto& s = c.check->state;
        if (s.runs > 0)
            w.sample(c.labels, double(s.lastResultMs) / 1000.0);
    }

    w.begin("okhealth_check_retired", "gauge",
            "1 for a startup check that has passed and, as with kubelet, is not run again: its last result "
            "and timestamp stay as they were.");
    for (const auto& c : checks)
        w.sample(c.labels, boolValue(c.check->retired));

    // Per service.
    w.begin("okhealth_service_status", "gauge",
            "The service's status from its liveness, readiness and startup checks, one-hot over the status label.");
    for (const auto& s : services) {
        for (const auto& [status, key] : kStates) {
            QByteArray extra = "status=\"";
            extra += key;
            extra += '"';
            w.sample(s.labels, boolValue(s.service->status == status), extra);
        }
    }
    w.begin("okhealth_service_conclusion", "gauge",
            "What an orchestrator would do with the service, one-hot over the conclusion label: serving, starting, "
            "restart, out-of-rotation, unknown.");
    for (const auto& s : services) {
        for (const auto conclusion : kConclusions) {
            QByteArray extra = "conclusion=\"";
            extra += escapeLabelValue(ServiceAssessment::conclusionKey(conclusion));
            extra += '"';
            w.sample(s.labels, boolValue(s.service->conclusion == conclusion), extra);
        }
    }
    w.begin("okhealth_service_root_cause", "gauge",
            "1 if the service fails by its own evidence, not as a consequence of a failing dependency: the one to fix first.");
    for (const auto& s : services)
        w.sample(s.labels, boolValue(s.rootCause));
    return out;
}

} // namespace okh::MetricsExposition
