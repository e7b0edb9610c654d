#!/usr/bin/env bash
# Benchmark: `okhealth-check health-check` against what operators would otherwise run in a
# container health check, side by side, on the same endpoint in one run:
#
#   okhealth-check   okhealth-check health-check --endpoint URL
#   curl             curl -fsS -o /dev/null URL
#   python stand-in  /usr/bin/python3 bench/py/maykin_health_check.py --endpoint URL
#                    (maykin-common's health-check: requests.get(url, timeout=3) and
#                    "UP, response status code: 200"; a lower bound, see that file)
#
# Targets, each started here on a free 127.0.0.1 port and stopped at exit:
#   django  /_healthz/livez/ of the Django fixture (resources/standin/django_app, serve.py: the
#           endpoint operators check; livez runs no checks, so neither PostgreSQL nor Redis
#           is needed)
#   nginx   a static `return 200` /_healthz/livez/ (Open Klant's nginx snippet): almost no
#           server time, so the clients' own cost shows undiluted
#
# Wall time: hyperfine without a shell, median of --runs runs (default 50), taken in --rounds
# rounds (default 5) that each time every command in turn after --warmup warm-up runs (default
# 3), so that load from elsewhere on the shared cores hits all commands alike. Memory: peak RSS
# of the whole process (GNU time's %M), median of --rss-runs runs (default 15). Prints Markdown.
#
# Goals (issue): okhealth-check <= 1.5x curl's wall time, and >= 8x faster than Python.
#
# Usage: bench/health-check.sh [--runs N] [--rounds N] [--warmup N] [--rss-runs N]
#                              [--targets django,nginx] [--also NAME=BINARY]
#                              [--hold-build-lock] [--keep DIR]
#   OKHEALTH_CHECK=PATH   binary to measure (default: build-release/, configured and brought
#                         up to date here under /tmp/okhealth-build.lock; OKH_BENCH_NO_BUILD=1
#                         takes it as it is)
#   --also NAME=BINARY    measure another okhealth-check binary too (e.g. the unoptimised build/)
#   --hold-build-lock     wait for a running build of the project to end, and hold off builds
#                         (/tmp/okhealth-build.lock) until the benchmark ends: the cores are shared
#   --keep DIR            keep the raw data (hyperfine JSON and output, RSS samples) in DIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGETS=django,nginx
bench_parse_common "$@"
set -- "${BENCH_ARGS_LEFT[@]}"
while [ $# -gt 0 ]; do
    case "$1" in
        --targets) TARGETS="$2"; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) bench_die "unknown option $1 (see --help)" ;;
    esac
done

bench_install python3-django python3-django-health-check python3-django-redis python3-psycopg2 nginx-light
OKH="$(bench_okhealth_binary)"
bench_clean_environment
bench_make_tmp
bench_install_trap
bench_snapshot_binaries "$OKH"
bench_hold_build_lock

start_django() {
    local port log site
    port="$(bench_free_port)"
    log="$BENCH_TMP/django.log"
    site="$BENCH_REPO/resources/standin/django_app"
    # The settings want a database and a cache; livez touches neither, and both point at a
    # loopback port where nobody listens, so nothing outside this benchmark is ever reached.
    local nobody
    nobody="$(bench_free_port)"
    (
        cd "$site"
        exec env DJANGO_SETTINGS_MODULE=okh_site.settings PYTHONDONTWRITEBYTECODE=1 \
            OKH_DB_HOST=127.0.0.1 OKH_DB_PORT="$nobody" OKH_DB_NAME=okhealth OKH_DB_USER=postgres \
            OKH_REDIS_URL="redis://127.0.0.1:$nobody/0" ALLOWED_HOSTS=localhost,127.0.0.1 \
            "$BENCH_PYTHON" serve.py "127.0.0.1:$port"
    ) >"$log" 2>&1 &
    BENCH_PIDS+=($!)
    URL="http://127.0.0.1:$port/_healthz/livez/"
    bench_wait_for 30 curl -fsS -o /dev/null "$URL" || { cat "$log" >&2; bench_die "Django did not answer $URL"; }
}

start_nginx() {
    local port prefix
    port="$(bench_free_port)"
    prefix="$BENCH_TMP/nginx"
    mkdir -p "$prefix"
    {
        if [ "$(id -u)" -eq 0 ]; then echo "user root;"; fi
        cat <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $prefix/client_body;
    proxy_temp_path $prefix/proxy;
    fastcgi_temp_path $prefix/fastcgi;
    uwsgi_temp_path $prefix/uwsgi;
    scgi_temp_path $prefix/scgi;
    server {
        listen 127.0.0.1:$port;
        location = /_healthz/livez/ {
            add_header Content-Type text/plain;
            return 200 "ok\n";
        }
    }
}
EOF
    } >"$prefix/nginx.conf"
    /usr/sbin/nginx -p "$prefix" -e "$prefix/error.log" -c "$prefix/nginx.conf" >"$prefix/stdout.log" 2>&1 &
    BENCH_PIDS+=($!)
    URL="http://127.0.0.1:$port/_healthz/livez/"
    bench_wait_for 30 curl -fsS -o /dev/null "$URL" \
        || { cat "$prefix/error.log" "$prefix/stdout.log" >&2; bench_die "nginx did not answer $URL"; }
}

describe_target() {
    case "$1" in
        django) echo "Django fixture, /_healthz/livez/ (serve.py: Django $("$BENCH_PYTHON" -c 'import django; print(django.get_version())'), threaded WSGI server)" ;;
        nginx) echo "nginx $(/usr/sbin/nginx -v 2>&1 | sed 's|.*nginx/||'), static \`return 200\` /_healthz/livez/" ;;
    esac
}

echo "### okhealth-check health-check vs curl vs Python (maykin-common stand-in)"
echo
bench_print_machine
bench_print_binaries "$OKH"
echo "- curl: $(curl --version | head -n 1 | cut -d' ' -f1-2)"
echo "- python stand-in: $("$BENCH_PYTHON" -c 'import platform, requests; print(f"Python {platform.python_version()}, requests {requests.__version__}")') (bench/py/maykin_health_check.py)"
echo "- runs: $(((BENCH_RUNS + BENCH_ROUNDS - 1) / BENCH_ROUNDS * BENCH_ROUNDS)) timed per command (hyperfine -N) in $BENCH_ROUNDS rounds of $BENCH_WARMUP warm-up + $(((BENCH_RUNS + BENCH_ROUNDS - 1) / BENCH_ROUNDS)) runs; peak RSS: median of $BENCH_RSS_RUNS runs"
echo

UP="UP, response status code: 200"
IFS=, read -r -a target_list <<<"$TARGETS"
for target in "${target_list[@]}"; do
    case "$target" in
        django) start_django ;;
        nginx) start_nginx ;;
        *) bench_die "unknown target $target (django, nginx)" ;;
    esac
    bench_reset
    bench_add "okhealth-check" "$UP" "$OKH health-check --endpoint $URL"
    for extra in "${BENCH_ALSO[@]}"; do
        bench_add "${extra%%=*}" "$UP" "${extra#*=} health-check --endpoint $URL"
    done
    bench_add "curl" "" "curl -fsS -o /dev/null $URL"
    bench_add "python stand-in" "$UP" "$BENCH_PYTHON $BENCH_DIR/py/maykin_health_check.py --endpoint $URL"
    ratios=(
        --ratio "wall:okhealth-check/curl<=1.5"
        --ratio "wall:python stand-in/okhealth-check>=8"
        --ratio "cpu:python stand-in/okhealth-check"
        --ratio "rss:okhealth-check/curl"
        --ratio "rss:python stand-in/okhealth-check"
    )
    for extra in "${BENCH_ALSO[@]}"; do
        ratios+=(--ratio "wall:${extra%%=*}/okhealth-check")
    done
    bench_measure "$target" "$(describe_target "$target")" "${ratios[@]}"
    bench_stop_started # the next target's server runs alone
done

# What each process costs before it sends anything: start-up and imports only.
bench_reset
bench_add "okhealth-check --version" "*" "$OKH --version"
bench_add "curl --version" "*" "curl --version"
bench_add "python3 -c pass" "" "$BENCH_PYTHON -c pass"
bench_add "python3, import requests" "" "$BENCH_PYTHON $BENCH_DIR/py/import_only.py requests"
bench_measure floors "Start-up floors: the same programs doing no request"

echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
