# shellcheck shell=bash
# Shared helpers of the benchmark scripts in bench/ (sourced, not run).
#
# The benchmarks are not tests: nothing here is registered with ctest, and nothing fails on a
# slow result. They start every server they measure against themselves, on free loopback
# ports, and stop exactly those processes when they exit.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_REPO="$(cd "$BENCH_DIR/.." && pwd)"
# Debian's django, celery, requests and redis packages are seen only by this interpreter.
BENCH_PYTHON=/usr/bin/python3

BENCH_PIDS=()
BENCH_TMP=""
BENCH_KEEP=""

bench_die() {
    echo "bench: $*" >&2
    exit 1
}

# Installs what the benchmarks need, with apt-get only for what is missing.
bench_install() {
    # shellcheck source=../scripts/deps.sh disable=SC1091
    source "$BENCH_REPO/scripts/deps.sh"
    okh_install_packages hyperfine time curl procps python3 python3-requests "$@"
}

# A clean Python environment: no virtualenv, no PYTHONPATH, and no CELERY_* variable that
# would win over the broker given on the command line (celery/app/utils.py).
bench_clean_environment() {
    unset PYTHONPATH PYTHONHOME PYTHONSTARTUP VIRTUAL_ENV DJANGO_SETTINGS_MODULE
    local name
    for name in $(compgen -e); do
        case "$name" in
            CELERY_* | MKN_HEALTH_CHECKS_* | OKH_CELERY_* | OKH_DB_* | OKH_REDIS_* | PG*) unset "$name" ;;
        esac
    done
    # Our own clients must never go through a proxy to reach 127.0.0.1.
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
    export NO_COLOR=1
}

bench_make_tmp() {
    BENCH_TMP="$(mktemp -d /tmp/okh-bench-XXXXXX)"
}

# Stops the processes this script started (and only those), newest first: SIGTERM, then
# SIGKILL after 10 s.
bench_stop_started() {
    local i pid waited
    for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
        pid="${BENCH_PIDS[$i]}"
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for ((waited = 0; waited < 100; waited++)); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
        fi
        wait "$pid" 2>/dev/null || true
    done
    BENCH_PIDS=()
}

bench_cleanup() {
    bench_stop_started
    if [ -n "$BENCH_TMP" ] && [ -d "$BENCH_TMP" ]; then
        if [ -n "$BENCH_KEEP" ]; then
            mkdir -p "$BENCH_KEEP" && cp -r "$BENCH_TMP"/. "$BENCH_KEEP"/ && echo "raw data kept in $BENCH_KEEP" >&2
        fi
        rm -rf "$BENCH_TMP"
    fi
}

bench_install_trap() {
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# A TCP port on 127.0.0.1 that nobody listens on right now.
bench_free_port() {
    "$BENCH_PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# bench_wait_for SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds.
bench_wait_for() {
    local seconds="$1"
    shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

# The okhealth-check binary to measure: $OKHEALTH_CHECK if set, else the Release build in
# build-release/, configured and brought up to date here (a no-op when it is), under the
# project's build lock: the machine is shared and builds must not run concurrently.
bench_okhealth_binary() {
    if [ -n "${OKHEALTH_CHECK:-}" ]; then
        [ -x "$OKHEALTH_CHECK" ] || bench_die "OKHEALTH_CHECK=$OKHEALTH_CHECK is not executable"
        echo "$OKHEALTH_CHECK"
        return
    fi
    local dir="$BENCH_REPO/build-release"
    if [ -z "${OKH_BENCH_NO_BUILD:-}" ]; then
        if [ ! -f "$dir/build.ninja" ]; then
            flock /tmp/okhealth-build.lock cmake -S "$BENCH_REPO" -B "$dir" -G Ninja \
                -DCMAKE_BUILD_TYPE=Release -DOKHEALTH_BUILD_TESTS=OFF >&2 || bench_die "cannot configure $dir"
        fi
        flock /tmp/okhealth-build.lock cmake --build "$dir" --target okhealth-check >&2 \
            || bench_die "cannot build okhealth-check in $dir (OKH_BENCH_NO_BUILD=1 measures the binary already there)"
    fi
    [ -x "$dir/app/okhealth-check" ] || bench_die "no $dir/app/okhealth-check (unset OKH_BENCH_NO_BUILD or set OKHEALTH_CHECK)"
    echo "$dir/app/okhealth-check"
}

# The CMAKE_BUILD_TYPE of the build dir a binary comes from, or "?".
bench_build_type() {
    local binary="$1" dir cache
    dir="$(cd "$(dirname "$binary")" && pwd)"
    while [ "$dir" != "/" ]; do
        cache="$dir/CMakeCache.txt"
        if [ -f "$cache" ]; then
            local type
            type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")"
            echo "${type:-none (no optimisation flags)}"
            return
        fi
        dir="$(dirname "$dir")"
    done
    echo "?"
}

# Prints the machine and the versions, as Markdown list items.
bench_print_machine() {
    local cpu
    cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) cores (${cpu:-unknown CPU}), $(free -m | awk '/^Mem:/ {print $2}') MiB RAM, $(uname -sr)"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- hyperfine $(hyperfine --version | awk '{print $2}'), GNU time $(dpkg-query -W -f='${Version}' time 2>/dev/null)"
}

# bench_rss NAME RUNS OUTFILE COMMAND...: peak RSS (KiB, GNU time's %M: the maximum resident
# set size of the process) of RUNS runs, one "NAME<TAB>KiB" line per run.
bench_rss() {
    local name="$1" runs="$2" out="$3"
    shift 3
    local i kib
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -f '%M' -o "$BENCH_TMP/rss.one" "$@" >/dev/null 2>&1 \
            || bench_die "$name failed while measuring memory: $*"
        kib="$(tail -n 1 "$BENCH_TMP/rss.one")"
        printf '%s\t%s\n' "$name" "$kib" >>"$out"
    done
}

# bench_expect NAME EXPECTED_STDOUT COMMAND...: runs COMMAND once and checks its exit code
# and output (not the output when EXPECTED_STDOUT is "*"), so that the benchmark never times
# a failing check.
bench_expect() {
    local name="$1" expected="$2"
    shift 2
    local output status=0
    output="$("$@" 2>"$BENCH_TMP/expect.err")" || status=$?
    if [ "$status" -ne 0 ] || { [ "$expected" != "*" ] && [ "$output" != "$expected" ]; }; then
        echo "bench: $name does not behave as expected (exit $status)" >&2
        echo "  command: $*" >&2
        echo "  expected stdout: $expected" >&2
        echo "  got stdout: $output" >&2
        sed 's/^/  stderr: /' "$BENCH_TMP/expect.err" >&2
        exit 1
    fi
}

# bench_measure KEY TITLE [--ratio SPEC]...: measures the commands in the arrays
# BENCH_NAMES, BENCH_COMMANDS and BENCH_EXPECT (expected stdout, "*" for any; see
# bench_expect), side by side: wall and CPU time with hyperfine (no shell; BENCH_WARMUP
# warm-up runs, then BENCH_RUNS runs each), then peak RSS (BENCH_RSS_RUNS runs each); prints
# the Markdown tables of summarize.py. The timed runs are split into BENCH_ROUNDS rounds, each
# with its own BENCH_WARMUP warm-up runs. A command string is split at spaces (no quoting).
bench_measure() {
    local key="$1" title="$2"
    shift 2
    local i
    for i in "${!BENCH_NAMES[@]}"; do
        # shellcheck disable=SC2086 # the command strings are split on purpose
        bench_expect "${BENCH_NAMES[$i]}" "${BENCH_EXPECT[$i]}" ${BENCH_COMMANDS[$i]}
    done
    # Rounds: every command gets a block of runs in each round, so that a burst of load from
    # elsewhere on the shared cores is spread over all commands instead of hitting one.
    local per_round=$(((BENCH_RUNS + BENCH_ROUNDS - 1) / BENCH_ROUNDS)) round
    local hyperfine_args=() json_args=()
    for i in "${!BENCH_NAMES[@]}"; do
        hyperfine_args+=(--command-name "${BENCH_NAMES[$i]}" "${BENCH_COMMANDS[$i]}")
    done
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        echo "[$key] timing ${#BENCH_NAMES[@]} commands, round $round of $BENCH_ROUNDS" >&2
        hyperfine -N --style basic --warmup "$BENCH_WARMUP" --runs "$per_round" \
            --export-json "$BENCH_TMP/$key.$round.json" "${hyperfine_args[@]}" \
            >"$BENCH_TMP/$key.$round.hyperfine.txt" 2>&1 \
            || { cat "$BENCH_TMP/$key.$round.hyperfine.txt" >&2; bench_die "hyperfine failed"; }
        json_args+=(--hyperfine "$BENCH_TMP/$key.$round.json")
    done
    echo "[$key] measuring peak RSS" >&2
    : >"$BENCH_TMP/$key.rss.tsv"
    for i in "${!BENCH_NAMES[@]}"; do
        # shellcheck disable=SC2086
        bench_rss "${BENCH_NAMES[$i]}" "$BENCH_RSS_RUNS" "$BENCH_TMP/$key.rss.tsv" ${BENCH_COMMANDS[$i]}
    done
    "$BENCH_PYTHON" "$BENCH_DIR/summarize.py" --title "$title" \
        "${json_args[@]}" --rss "$BENCH_TMP/$key.rss.tsv" "$@"
}

# bench_add NAME EXPECTED_STDOUT COMMAND: appends one command to bench_measure's arrays.
bench_add() {
    BENCH_NAMES+=("$1")
    BENCH_EXPECT+=("$2")
    BENCH_COMMANDS+=("$3")
}

bench_reset() {
    BENCH_NAMES=()
    BENCH_EXPECT=()
    BENCH_COMMANDS=()
}

# Parses the options both scripts share; sets BENCH_ARGS_LEFT to the rest.
BENCH_RUNS=50
BENCH_WARMUP=3
BENCH_ROUNDS=5
BENCH_RSS_RUNS=15
BENCH_ALSO=()
BENCH_HOLD_LOCK=""
bench_parse_common() {
    BENCH_ARGS_LEFT=()
    while [ $# -gt 0 ]; do
        case "$1" in
            --runs) BENCH_RUNS="$2"; shift 2 ;;
            --warmup) BENCH_WARMUP="$2"; shift 2 ;;
            --rounds) BENCH_ROUNDS="$2"; shift 2 ;;
            --rss-runs) BENCH_RSS_RUNS="$2"; shift 2 ;;
            --also)
                [ -x "${2#*=}" ] || bench_die "--also $2: not an executable"
                case "${2%%=*}" in */* | "") bench_die "--also $2: NAME must not be empty or hold a '/'" ;; esac
                BENCH_ALSO+=("$2")
                shift 2
                ;;
            --keep) BENCH_KEEP="$2"; shift 2 ;;
            --hold-build-lock) BENCH_HOLD_LOCK=1; shift ;;
            *) BENCH_ARGS_LEFT+=("$1"); shift ;;
        esac
    done
}

# bench_snapshot_binaries OKH: copies the binaries to measure into the temp dir (a build of
# the shared build dirs may replace or delete them halfway through), sets OKH to the copy of
# the main one and rewrites BENCH_ALSO; BENCH_BINARY_LINES describes the originals.
bench_snapshot_binaries() {
    local original="$1" i=0 extra path
    BENCH_BINARY_LINES=("- okhealth-check: $("$original" --version | awk '{print $2}'), $original, build type $(bench_build_type "$original")")
    mkdir -p "$BENCH_TMP/bin"
    cp "$original" "$BENCH_TMP/bin/okhealth-check" || bench_die "cannot copy $original"
    # shellcheck disable=SC2034 # read by the scripts that source this file
    OKH="$BENCH_TMP/bin/okhealth-check"
    local copies=()
    for extra in "${BENCH_ALSO[@]}"; do
        path="${extra#*=}"
        BENCH_BINARY_LINES+=("- ${extra%%=*}: $path, build type $(bench_build_type "$path")")
        i=$((i + 1))
        cp "$path" "$BENCH_TMP/bin/also-$i" || bench_die "cannot copy $path"
        copies+=("${extra%%=*}=$BENCH_TMP/bin/also-$i")
    done
    BENCH_ALSO=("${copies[@]}")
}

# The okhealth-check lines of the machine description.
bench_print_binaries() {
    printf '%s\n' "${BENCH_BINARY_LINES[@]}"
}

# With --hold-build-lock: waits until no build of the project runs, then keeps builds off the
# shared cores while measuring, by holding /tmp/okhealth-build.lock (the lock every build of
# the project takes) until this script exits. The holder is one Python process, started here
# and stopped at exit like the servers; it also ends on its own when this script is gone.
bench_hold_build_lock() {
    [ -n "$BENCH_HOLD_LOCK" ] || return 0
    echo "waiting for /tmp/okhealth-build.lock (a build may be running)" >&2
    "$BENCH_PYTHON" -c '
import fcntl, os, sys, time
parent = os.getppid()
lock = open("/tmp/okhealth-build.lock", "a")
fcntl.flock(lock, fcntl.LOCK_EX)
with open(sys.argv[1], "w") as flag:
    flag.write("held\n")
deadline = time.monotonic() + 3600
while os.getppid() == parent and time.monotonic() < deadline:
    time.sleep(0.5)
' "$BENCH_TMP/build-lock.held" &
    BENCH_PIDS+=($!)
    until [ -s "$BENCH_TMP/build-lock.held" ]; do
        kill -0 "${BENCH_PIDS[-1]}" 2>/dev/null || bench_die "cannot take /tmp/okhealth-build.lock"
        sleep 0.2
    done
    echo "holding /tmp/okhealth-build.lock while measuring" >&2
}
