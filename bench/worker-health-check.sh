#!/usr/bin/env bash
# Benchmark: `okhealth-check worker-health-check` against the Python commands operators would
# otherwise run in a Celery worker container's health check, side by side in one run, against
# one real worker:
#
#   okhealth-check        okhealth-check worker-health-check --liveness-file F --broker URL
#                         --worker-name NAME (liveness file age, native Celery ping over Redis)
#   python stand-in       /usr/bin/python3 bench/py/maykin_worker_health_check.py, same flags:
#                         what maykin-common's worker-health-check does (liveness file age,
#                         Celery(broker=URL).control.ping(destination=[NAME], timeout=3), the
#                         same lines); a lower bound, see that file
#   celery inspect ping   /usr/bin/python3 -m celery -b URL inspect ping -d NAME -t 3, the
#                         classic Celery health check (no liveness file)
#
# Started here, on free 127.0.0.1 ports, and stopped at exit: redis-server (no persistence)
# and a Celery worker of the test fixture app (resources/standin/celery_app/okh_celery.py, solo
# pool, as tests/support/CeleryWorker.cpp starts it), which maintains the liveness file (touched
# every 5 s here) and the readiness file the way maykin-common's EventLoopProbe does.
#
# Wall time: hyperfine without a shell, median of --runs runs (default 50), taken in --rounds
# rounds (default 5) that each time every command in turn after --warmup warm-up runs (default
# 3), so that load from elsewhere on the shared cores hits all commands alike. Memory: peak RSS
# of the whole process (GNU time's %M), median of --rss-runs runs (default 15). Prints Markdown.
#
# Goals (issue): okhealth-check >= 10x faster than the Python equivalent, <= 1/2 its memory.
#
# Usage: bench/worker-health-check.sh [--runs N] [--rounds N] [--warmup N] [--rss-runs N]
#                                     [--also NAME=BINARY] [--hold-build-lock] [--keep DIR]
#   OKHEALTH_CHECK=PATH   binary to measure (default: build-release/, configured and brought
#                         up to date here under /tmp/okhealth-build.lock; OKH_BENCH_NO_BUILD=1
#                         takes it as it is)
#   --also NAME=BINARY    measure another okhealth-check binary too (e.g. the unoptimised build/)
#   --hold-build-lock     wait for a running build of the project to end, and hold off builds
#                         (/tmp/okhealth-build.lock) until the benchmark ends: the cores are shared
#   --keep DIR            keep the raw data (hyperfine JSON and output, RSS samples, logs) in DIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_parse_common "$@"
set -- "${BENCH_ARGS_LEFT[@]}"
while [ $# -gt 0 ]; do
    case "$1" in
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) bench_die "unknown option $1 (see --help)" ;;
    esac
done

bench_install python3-celery python3-kombu python3-redis redis-server redis-tools
OKH="$(bench_okhealth_binary)"
bench_clean_environment
bench_make_tmp
bench_install_trap
bench_snapshot_binaries "$OKH"
bench_hold_build_lock

# redis-server: loopback only, no persistence, everything in the temp dir.
REDIS_PORT="$(bench_free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$BENCH_TMP" \
    --daemonize no --protected-mode yes >"$BENCH_TMP/redis.log" 2>&1 &
BENCH_PIDS+=($!)
bench_wait_for 30 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping \
    || { cat "$BENCH_TMP/redis.log" >&2; bench_die "redis-server did not answer on port $REDIS_PORT"; }
BROKER="redis://127.0.0.1:$REDIS_PORT/0"

# The Celery worker, as tests/support/CeleryWorker.cpp starts it.
WORKER_NAME="okhbench@$(hostname)"
LIVENESS="$BENCH_TMP/celery_worker_event_loop.live"
READINESS="$BENCH_TMP/celery_worker.ready"
(
    cd "$BENCH_TMP"
    exec env PYTHONPATH="$BENCH_REPO/resources/standin/celery_app" PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
        OKH_CELERY_BROKER_URL="$BROKER" \
        MKN_HEALTH_CHECKS_WORKER_EVENT_LOOP_LIVENESS_FILE="$LIVENESS" \
        MKN_HEALTH_CHECKS_WORKER_READINESS_FILE="$READINESS" \
        MKN_HEALTH_CHECKS_WORKER_EVENT_LOOP_PROBE_FREQUENCY_SECONDS=5 \
        "$BENCH_PYTHON" -m celery -A okh_celery worker -n "$WORKER_NAME" -P solo -c 1 \
        --without-mingle --without-gossip -l info
) >"$BENCH_TMP/worker.log" 2>&1 &
BENCH_PIDS+=($!)
bench_wait_for 60 test -f "$READINESS" \
    || { tail -n 30 "$BENCH_TMP/worker.log" >&2; bench_die "the Celery worker did not become ready"; }
# kombu subscribes to the pidbox channel on the event loop's first tick, after the readiness
# file: a ping sent before is lost. Wait for a first pong.
bench_wait_for 30 "$OKH" worker-health-check --liveness-file "$LIVENESS" --broker "$BROKER" \
    --worker-name "$WORKER_NAME" --ping-timeout 1 \
    || { tail -n 30 "$BENCH_TMP/worker.log" >&2; bench_die "the Celery worker never answered a ping"; }

echo "### okhealth-check worker-health-check vs Python (maykin-common stand-in, celery inspect ping)"
echo
bench_print_machine
bench_print_binaries "$OKH"
echo "- python: $("$BENCH_PYTHON" -c 'import platform, celery, kombu, redis, requests; print(f"Python {platform.python_version()}, celery {celery.__version__}, kombu {kombu.__version__}, redis-py {redis.__version__}, requests {requests.__version__}")')"
echo "- broker: redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1; worker: the fixture app, solo pool, node $WORKER_NAME"
echo "- runs: $(((BENCH_RUNS + BENCH_ROUNDS - 1) / BENCH_ROUNDS * BENCH_ROUNDS)) timed per command (hyperfine -N) in $BENCH_ROUNDS rounds of $BENCH_WARMUP warm-up + $(((BENCH_RUNS + BENCH_ROUNDS - 1) / BENCH_ROUNDS)) runs; peak RSS: median of $BENCH_RSS_RUNS runs"
echo

FLAGS="--liveness-file $LIVENESS --broker $BROKER --worker-name $WORKER_NAME"
EXPECTED="The event loop appears to be running.
$WORKER_NAME: PONG."
bench_reset
bench_add "okhealth-check" "$EXPECTED" "$OKH worker-health-check $FLAGS"
for extra in "${BENCH_ALSO[@]}"; do
    bench_add "${extra%%=*}" "$EXPECTED" "${extra#*=} worker-health-check $FLAGS"
done
bench_add "python stand-in" "$EXPECTED" "$BENCH_PYTHON $BENCH_DIR/py/maykin_worker_health_check.py $FLAGS"
bench_add "celery inspect ping" "*" "$BENCH_PYTHON -m celery -b $BROKER inspect ping -d $WORKER_NAME -t 3"
ratios=(
    --ratio "wall:python stand-in/okhealth-check>=10"
    --ratio "rss:okhealth-check/python stand-in<=0.5"
    --ratio "cpu:python stand-in/okhealth-check"
    --ratio "wall:celery inspect ping/okhealth-check"
    --ratio "rss:okhealth-check/celery inspect ping"
)
for extra in "${BENCH_ALSO[@]}"; do
    ratios+=(--ratio "wall:${extra%%=*}/okhealth-check")
done
bench_measure worker "worker-health-check against a live worker (liveness file + ping through Redis)" "${ratios[@]}"

# What each process costs before it talks to the broker: start-up and imports only.
bench_reset
bench_add "okhealth-check --version" "*" "$OKH --version"
bench_add "python3 -c pass" "" "$BENCH_PYTHON -c pass"
bench_add "python3, import requests + celery" "" "$BENCH_PYTHON $BENCH_DIR/py/import_only.py requests celery"
bench_measure floors "Start-up floors: the same programs doing no check"

# The worker must have answered every ping without trouble.
if grep -qE '(ERROR|CRITICAL)/' "$BENCH_TMP/worker.log"; then
    echo "- note: the worker logged errors during the run:"
    grep -E '(ERROR|CRITICAL)/' "$BENCH_TMP/worker.log" | head -n 5 | sed 's/^/  /'
fi
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
