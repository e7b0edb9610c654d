#!/usr/bin/env bash
# Benchmark: the continuous engine (`okhealth-check serve`) against Prometheus'
# blackbox_exporter, probing the same HTTP targets at the same rate, one after the other:
#
#   okhealth-check serve   a generated deployment file with --checks HTTP checks (interval 1s,
#                          timeout 1s); a Prometheus scrapes its /metrics every
#                          --okh-scrape-interval (default 15s)
#   blackbox_exporter      Debian's prometheus-blackbox-exporter, module http_2xx (timeout 1s),
#                          driven by a real Prometheus with the same --checks targets at a 1s
#                          scrape interval (the usual multi-target /probe setup)
#
# The target: one nginx (worker_processes 1) answering `return 200` on /probe/0 …
# /probe/N-1, each check its own path. Every process is started here on free 127.0.0.1 ports
# and stopped at exit (only those). Each tool first runs --settle seconds (default 10), then is
# measured for --duration seconds (default 60):
#   CPU   utime+stime of the tool's process from /proc/PID/stat, per 1,000 probes; probes are
#         the requests nginx logged from the tool's User-Agent in that window
#   lateness  okhealth: p99/max of how late probe starts were (okhealth_scheduler_lateness_*
#         in /metrics, DeploymentMonitor::lateness(): every start of the run, settle included);
#         blackbox_exporter schedules nothing (Prometheus does, and Prometheus 2.42 exposes
#         no lateness of its scrapes), so there is no figure to set against it
#   RSS   peak resident set (VmHWM from /proc/PID/status) at the end
# Prometheus' own CPU is reported next to each tool. Also measured: the CPU one /metrics scrape
# of okhealth costs with --checks checks (20 scrapes with curl after the window).
#
# Goals (issue): less CPU per probe than blackbox_exporter, p99 lateness < 20 ms, RSS < 150 MiB.
#
# Usage: bench/engine-vs-blackbox.sh [--checks N] [--duration S] [--settle S]
#                                    [--okh-scrape-interval DURATION] [--hold-build-lock] [--keep DIR]
#   OKHEALTH_CHECK=PATH   binary to measure (default: build-release/, configured and brought
#                         up to date here under /tmp/okhealth-build.lock; OKH_BENCH_NO_BUILD=1
#                         takes it as it is)
#   --hold-build-lock     wait for a running build of the project to end, and hold off builds
#                         (/tmp/okhealth-build.lock) until the benchmark ends: the cores are shared
#   --keep DIR            keep the raw data (configs, logs, /metrics snapshots) in DIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHECKS=1000
DURATION=60
SETTLE=10
OKH_SCRAPE_INTERVAL=15s
bench_parse_common "$@"
set -- "${BENCH_ARGS_LEFT[@]}"
while [ $# -gt 0 ]; do
    case "$1" in
        --checks) CHECKS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --settle) SETTLE="$2"; shift 2 ;;
        --okh-scrape-interval) OKH_SCRAPE_INTERVAL="$2"; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) bench_die "unknown option $1 (see --help)" ;;
    esac
done
[[ "$CHECKS" =~ ^[1-9][0-9]*$ && "$DURATION" =~ ^[1-9][0-9]*$ && "$SETTLE" =~ ^[0-9]+$ ]] \
    || bench_die "--checks, --duration and --settle take whole numbers"

# shellcheck source=../scripts/deps.sh disable=SC1091
source "$BENCH_REPO/scripts/deps.sh"
okh_install_packages nginx-light prometheus prometheus-blackbox-exporter curl procps python3
OKH="$(bench_okhealth_binary)"
bench_clean_environment
bench_make_tmp
bench_install_trap
bench_snapshot_binaries "$OKH"
bench_hold_build_lock

CLK_TCK="$(getconf CLK_TCK)"
PROMETHEUS=/usr/bin/prometheus
BLACKBOX=/usr/bin/prometheus-blackbox-exporter

# utime+stime of a process in seconds (fields 14 and 15 of /proc/PID/stat; the name in field 2
# is in parentheses and may hold spaces, so count from the closing one).
cpu_seconds() {
    local rest
    rest="$(sed 's/^.*) //' "/proc/$1/stat")"
    awk -v tck="$CLK_TCK" '{ printf "%.2f\n", ($12 + $13) / tck }' <<<"$rest"
}

peak_rss_mib() {
    awk '/^VmHWM:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"
}

# Requests in nginx's access log whose User-Agent starts with $1.
requests_from() {
    grep -c "^$1" "$BENCH_TMP/nginx/access.log" || true
}

# The value of one sample in a /metrics text on stdin: metric_value NAME_AND_LABELS
metric_value() {
    awk -v key="$1" '$1 == key { print $2; exit }'
}

# The first value of a PromQL instant query against the Prometheus on port $1, or "n/a".
promql() {
    curl -fsS --get --data-urlencode "query=$2" "http://127.0.0.1:$1/api/v1/query" 2>/dev/null \
        | "$BENCH_PYTHON" -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "n/a")' 2>/dev/null || echo "n/a"
}

start_nginx() {
    local prefix="$BENCH_TMP/nginx"
    NGINX_PORT="$(bench_free_port)"
    mkdir -p "$prefix"
    {
        if [ "$(id -u)" -eq 0 ]; then echo "user root;"; fi
        cat <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections 4096; }
http {
    log_format agent '\$http_user_agent';
    # Unbuffered, so that the counts at the window's edges are exact (costs nginx, not the tools).
    access_log $prefix/access.log agent;
    client_body_temp_path $prefix/client_body;
    proxy_temp_path $prefix/proxy;
    fastcgi_temp_path $prefix/fastcgi;
    uwsgi_temp_path $prefix/uwsgi;
    scgi_temp_path $prefix/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=4096;
        location /probe/ {
            default_type text/plain;
            return 200 "ok\n";
        }
    }
}
EOF
    } >"$prefix/nginx.conf"
    /usr/sbin/nginx -p "$prefix" -e "$prefix/error.log" -c "$prefix/nginx.conf" >"$prefix/stdout.log" 2>&1 &
    BENCH_PIDS+=($!)
    bench_wait_for 30 curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/probe/0" \
        || { cat "$prefix/error.log" "$prefix/stdout.log" >&2; bench_die "nginx did not start"; }
}

# start_prometheus NAME CONFIG: a Prometheus with its own TSDB in the temp dir; sets PROM_PORT, PROM_PID.
start_prometheus() {
    local name="$1" config="$2"
    PROM_PORT="$(bench_free_port)"
    "$PROMETHEUS" --config.file="$config" --storage.tsdb.path="$BENCH_TMP/$name-tsdb" \
        --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$BENCH_TMP/$name-prometheus.log" 2>&1 &
    BENCH_PIDS+=($!)
    PROM_PID=$!
    bench_wait_for 30 curl -fsS -o /dev/null "http://127.0.0.1:$PROM_PORT/-/ready" \
        || { cat "$BENCH_TMP/$name-prometheus.log" >&2; bench_die "Prometheus ($name) did not start"; }
}

# measure PID PROMPID AGENT: settles, then measures CPU and probes for DURATION seconds; sets
# M_CPU M_PROBES M_PROM_CPU M_RSS.
measure() {
    local pid="$1" prom_pid="$2" agent="$3" cpu0 cpu1 n0 n1 p0 p1
    echo "  settling for ${SETTLE}s" >&2
    sleep "$SETTLE"
    cpu0="$(cpu_seconds "$pid")"
    p0="$(cpu_seconds "$prom_pid")"
    n0="$(requests_from "$agent")"
    echo "  measuring for ${DURATION}s" >&2
    sleep "$DURATION"
    cpu1="$(cpu_seconds "$pid")"
    p1="$(cpu_seconds "$prom_pid")"
    n1="$(requests_from "$agent")"
    M_CPU="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')"
    M_PROM_CPU="$(awk -v a="$p0" -v b="$p1" 'BEGIN { printf "%.2f", b - a }')"
    M_PROBES=$((n1 - n0))
    M_RSS="$(peak_rss_mib "$pid")"
}

per_thousand() { # CPU_SECONDS PROBES → CPU seconds per 1,000 probes
    awk -v c="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.3f", c / n * 1000; else print "n/a" }'
}

start_nginx

# --- okhealth-check serve -------------------------------------------------------------------
echo "[okhealth] generating $CHECKS checks, starting serve" >&2
"$BENCH_PYTHON" - "$CHECKS" "$NGINX_PORT" >"$BENCH_TMP/deployments.json" <<'EOF'
import json, sys
checks, port = int(sys.argv[1]), int(sys.argv[2])
per_service = 100
services = []
for s in range((checks + per_service - 1) // per_service):
    services.append({
        "name": f"svc{s:03d}", "kind": "web",
        "checks": [{"name": f"c{i:05d}", "type": "http", "role": "liveness", "interval": "1s", "timeout": "1s",
                    "url": f"http://127.0.0.1:{port}/probe/{i}"}
                   for i in range(s * per_service, min(checks, (s + 1) * per_service))],
    })
json.dump({"version": 1, "deployments": [{"name": "bench", "connection": {"type": "direct"}, "services": services}]},
          sys.stdout, indent=1)
EOF
OKH_PORT="$(bench_free_port)"
"$OKH" serve "$BENCH_TMP/deployments.json" --listen "127.0.0.1:$OKH_PORT" >"$BENCH_TMP/serve.log" 2>&1 &
BENCH_PIDS+=($!)
OKH_PID=$!
bench_wait_for 30 curl -fsS -o /dev/null "http://127.0.0.1:$OKH_PORT/metrics" \
    || { cat "$BENCH_TMP/serve.log" >&2; bench_die "okhealth-check serve did not start"; }
cat >"$BENCH_TMP/okhealth-prometheus.yml" <<EOF
global:
  scrape_interval: $OKH_SCRAPE_INTERVAL
  scrape_timeout: 10s
scrape_configs:
  - job_name: okhealth
    static_configs:
      - targets: ['127.0.0.1:$OKH_PORT']
EOF
start_prometheus okhealth "$BENCH_TMP/okhealth-prometheus.yml"
OKH_PROM_PID="$PROM_PID"
OKH_PROM_PORT="$PROM_PORT"
echo "[okhealth] running" >&2
measure "$OKH_PID" "$OKH_PROM_PID" "okhealth/"
OKH_CPU="$M_CPU" OKH_PROBES="$M_PROBES" OKH_RSS="$M_RSS" OKH_PROMCPU="$M_PROM_CPU"
curl -fsS "http://127.0.0.1:$OKH_PORT/metrics" >"$BENCH_TMP/okhealth-metrics.txt"
OKH_P50="$(metric_value 'okhealth_scheduler_lateness_seconds{deployment="bench",quantile="0.5"}' <"$BENCH_TMP/okhealth-metrics.txt")"
OKH_P99="$(metric_value 'okhealth_scheduler_lateness_seconds{deployment="bench",quantile="0.99"}' <"$BENCH_TMP/okhealth-metrics.txt")"
OKH_MAX="$(metric_value 'okhealth_scheduler_lateness_max_seconds{deployment="bench"}' <"$BENCH_TMP/okhealth-metrics.txt")"
OKH_FAILED="$(grep -c '^probe_success{.*} 0$' "$BENCH_TMP/okhealth-metrics.txt" || true)"
OKH_PROM_SEEN="$(promql "$OKH_PROM_PORT" 'count(probe_success == 1)')"
OKH_METRICS_BYTES="$(wc -c <"$BENCH_TMP/okhealth-metrics.txt")"
# What a scrape costs: 20 in a row, CPU before and after (the probes keep running meanwhile, so
# subtract their share at the measured rate).
s0="$(cpu_seconds "$OKH_PID")"
t0="$(date +%s.%N)"
for _ in $(seq 20); do curl -fsS -o /dev/null "http://127.0.0.1:$OKH_PORT/metrics"; done
s1="$(cpu_seconds "$OKH_PID")"
t1="$(date +%s.%N)"
OKH_SCRAPE_MS="$(awk -v a="$s0" -v b="$s1" -v t0="$t0" -v t1="$t1" -v c="$OKH_CPU" -v d="$DURATION" \
    'BEGIN { v = ((b - a) - (t1 - t0) * c / d) / 20 * 1000; if (v < 0) v = 0; printf "%.1f", v }')"
kill -TERM "$OKH_PID" "$OKH_PROM_PID" 2>/dev/null || true
wait "$OKH_PID" 2>/dev/null || true
wait "$OKH_PROM_PID" 2>/dev/null || true

# --- blackbox_exporter, driven by Prometheus --------------------------------------------------
echo "[blackbox] starting blackbox_exporter and Prometheus with $CHECKS targets" >&2
cat >"$BENCH_TMP/blackbox.yml" <<'EOF'
modules:
  http_2xx:
    prober: http
    timeout: 1s
    http:
      preferred_ip_protocol: ip4
EOF
BB_PORT="$(bench_free_port)"
"$BLACKBOX" --config.file="$BENCH_TMP/blackbox.yml" --web.listen-address="127.0.0.1:$BB_PORT" \
    --log.level=warn >"$BENCH_TMP/blackbox.log" 2>&1 &
BENCH_PIDS+=($!)
BB_PID=$!
bench_wait_for 30 curl -fsS -o /dev/null "http://127.0.0.1:$BB_PORT/metrics" \
    || { cat "$BENCH_TMP/blackbox.log" >&2; bench_die "blackbox_exporter did not start"; }
{
    cat <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: blackbox
    metrics_path: /probe
    params:
      module: [http_2xx]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:$BB_PORT
    static_configs:
      - targets:
EOF
    for ((i = 0; i < CHECKS; i++)); do echo "          - http://127.0.0.1:$NGINX_PORT/probe/$i"; done
} >"$BENCH_TMP/blackbox-prometheus.yml"
start_prometheus blackbox "$BENCH_TMP/blackbox-prometheus.yml"
BB_PROM_PID="$PROM_PID"
BB_PROM_PORT="$PROM_PORT"
echo "[blackbox] running" >&2
measure "$BB_PID" "$BB_PROM_PID" "Blackbox"
BB_CPU="$M_CPU" BB_PROBES="$M_PROBES" BB_RSS="$M_RSS" BB_PROMCPU="$M_PROM_CPU"
BB_OK="$(promql "$BB_PROM_PORT" 'count(probe_success == 1)')"
BB_FAILED="$(promql "$BB_PROM_PORT" 'count(probe_success == 0)')"

# --- report -------------------------------------------------------------------------------------
ms() { awk -v s="$1" 'BEGIN { if (s == "n/a" || s == "") print "n/a"; else printf "%.1f ms", s * 1000 }'; }
EXPECTED=$((CHECKS * DURATION))
OKH_PER="$(per_thousand "$OKH_CPU" "$OKH_PROBES")"
BB_PER="$(per_thousand "$BB_CPU" "$BB_PROBES")"
OKH_ALL="$(per_thousand "$(awk -v a="$OKH_CPU" -v b="$OKH_PROMCPU" 'BEGIN { print a + b }')" "$OKH_PROBES")"
BB_ALL="$(per_thousand "$(awk -v a="$BB_CPU" -v b="$BB_PROMCPU" 'BEGIN { print a + b }')" "$BB_PROBES")"
cpu_ratio="$(awk -v a="$OKH_PER" -v b="$BB_PER" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
met() { if awk "BEGIN { exit !($1) }"; then echo yes; else echo no; fi; }

echo "### okhealth-check serve vs blackbox_exporter: $CHECKS HTTP checks at 1 s"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), $(free -m | awk '/^Mem:/ {print $2}') MiB RAM, $(uname -sr)"
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
bench_print_binaries
echo "- blackbox_exporter $(dpkg-query -W -f='${Version}' prometheus-blackbox-exporter), Prometheus $(dpkg-query -W -f='${Version}' prometheus), nginx $(/usr/sbin/nginx -v 2>&1 | sed 's|.*nginx/||') (1 worker)"
echo "- $CHECKS targets /probe/0…/probe/$((CHECKS - 1)) on one nginx; each tool ${SETTLE} s settling, then ${DURATION} s measured, one after the other; okhealth's Prometheus scrapes every $OKH_SCRAPE_INTERVAL"
echo
echo "| | okhealth-check serve | blackbox_exporter |"
echo "|---|---:|---:|"
echo "| probes in ${DURATION} s (nginx log; expected ≈ $EXPECTED) | $OKH_PROBES | $BB_PROBES |"
echo "| CPU of the tool | $OKH_CPU s | $BB_CPU s |"
echo "| **CPU per 1,000 probes** | **$OKH_PER s** | **$BB_PER s** |"
echo "| CPU of its Prometheus | $OKH_PROMCPU s | $BB_PROMCPU s |"
echo "| CPU per 1,000 probes, tool + Prometheus | $OKH_ALL s | $BB_ALL s |"
echo "| probe start lateness p50 / p99 / max | $(ms "$OKH_P50") / **$(ms "$OKH_P99")** / $(ms "$OKH_MAX") | – (Prometheus schedules) |"
echo "| **peak RSS** (VmHWM) | **$OKH_RSS MiB** | $BB_RSS MiB |"
echo "| failing probes at the end | $OKH_FAILED | ${BB_FAILED/n\/a/0} |"
echo "| healthy series Prometheus holds | $OKH_PROM_SEEN | $BB_OK |"
echo "| /metrics size, CPU of one scrape | $((OKH_METRICS_BYTES / 1024)) KiB, $OKH_SCRAPE_MS ms | – |"
echo
echo "| goal | measured | met? |"
echo "|---|---:|---|"
echo "| CPU per probe below blackbox_exporter's | $cpu_ratio× | $(met "$cpu_ratio < 1") |"
echo "| p99 lateness < 20 ms | $(ms "$OKH_P99") | $(met "$OKH_P99 < 0.020") |"
echo "| peak RSS < 150 MiB | $OKH_RSS MiB | $(met "$OKH_RSS < 150") |"
