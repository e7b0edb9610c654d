#!/usr/bin/env bash
# The desktop app's figures (docs/benchmarks.md, "Desktop"), in one run:
#   1. 500 http checks at 1 s against a local nginx in the real main window under Xvfb:
#      event-loop delays from inside the GUI thread, RSS, CPU per 1,000 probes; then the same
#      checks under `okhealth-check serve` for as long: the GUI's overhead as a ratio.
#   2. start-up: process start to the main window's first paint (median of --startup-runs).
#   3. a 30-day history view of a check with 10-second results (bench/history-bench's file).
# Options: --checks N (500), --seconds S (60), --startup-runs N (15), --hold-build-lock.
# Not a test: nothing here fails on a slow figure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

checks=500
seconds=60
startup_runs=15
BENCH_HOLD_LOCK=""
while [ $# -gt 0 ]; do
    case "$1" in
        --checks) checks="$2"; shift ;;
        --seconds) seconds="$2"; shift ;;
        --startup-runs) startup_runs="$2"; shift ;;
        --hold-build-lock) BENCH_HOLD_LOCK=1 ;;
        *) bench_die "unknown option $1" ;;
    esac
    shift
done

bench_install nginx-light xvfb xauth fonts-dejavu-core
bench_clean_environment
bench_make_tmp
bench_install_trap

dir="$BENCH_REPO/build-release"
if [ -z "${OKH_BENCH_NO_BUILD:-}" ]; then
    flock /tmp/okhealth-build.lock cmake -S "$BENCH_REPO" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DOKHEALTH_BUILD_TESTS=OFF -DOKHEALTH_BUILD_BENCH=ON >&2 || bench_die "cannot configure $dir"
    flock /tmp/okhealth-build.lock cmake --build "$dir" --target gui-bench history-bench okhealth-check >&2 \
        || bench_die "cannot build the benchmarks in $dir"
fi
# Copies, so a build halfway through cannot swap them.
for binary in bench/gui-bench/gui-bench bench/history-bench/history-bench app/okhealth-check; do
    [ -x "$dir/$binary" ] || bench_die "no $dir/$binary"
    cp "$dir/$binary" "$BENCH_TMP/"
done
bench_hold_build_lock

echo "## Desktop ($checks checks, $seconds s each)"
echo
bench_print_machine
echo "- build: $(bench_build_type "$dir/app/okhealth-check")"
echo
echo "### Dashboard: main window vs okhealth-check serve"
echo
"$BENCH_TMP/gui-bench" dashboard --serve "$BENCH_TMP/okhealth-check" --checks "$checks" --seconds "$seconds"
echo

# One X server for the start-up runs, so its own start is not counted.
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp -noreset 3>"$BENCH_TMP/display" 2>/dev/null &
BENCH_PIDS+=($!)
bench_wait_for 10 test -s "$BENCH_TMP/display" || bench_die "Xvfb did not start"
display=":$(head -n 1 "$BENCH_TMP/display")"
echo "### Start-up to the first painted window"
echo
for ((i = 0; i < startup_runs; i++)); do
    OKH_BENCH_DISPLAY="$display" "$BENCH_TMP/gui-bench" startup 2>/dev/null | sed -n 's/^first-paint-ms //p'
done | sort -n >"$BENCH_TMP/startup.ms"
echo "| runs | min | median | max | goal |"
echo "|---|---|---|---|---|"
awk -v runs="$startup_runs" '{ v[NR] = $1 } END { printf "| %d | %.0f ms | %.0f ms | %.0f ms | < 1,000 ms |\n", runs, v[1], v[int((NR + 1) / 2)], v[NR] }' \
    "$BENCH_TMP/startup.ms"
echo

echo "### A 30-day history view"
echo
"$BENCH_TMP/history-bench" --checks 1 --days 30 --interval 10 --older-days 0 --runs 1 \
    --file "$BENCH_TMP/history.sqlite" --keep >/dev/null 2>&1 || bench_die "history-bench could not fill the file"
result="$(OKH_BENCH_DISPLAY="$display" "$BENCH_TMP/gui-bench" detail "$BENCH_TMP/history.sqlite" \
    openklant-0/service-0/check-0 --runs 9 2>/dev/null | sed -n 's/^detail-30d-ms //p')"
echo "One check, a result every 10 s for 30 days (259,200 results, rolled up as the store does),"
echo "selected with the 30 d span until its timeline, latency chart, uptime and first incidents"
echo "page are all shown: $result (goal < 100 ms)."
