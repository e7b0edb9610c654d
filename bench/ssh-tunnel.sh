#!/usr/bin/env bash
# Latency an SSH tunnel adds to an HTTP probe, side by side in one run:
#   direct      okhealth-check → nginx
#   okhealth    okhealth-check → its own libssh2 tunnel (connection "ssh") → nginx
#   ssh -L      okhealth-check → an OpenSSH `ssh -L` forward → nginx
# Each is a whole `okhealth-check run --format json` of one HTTP check; the figure is the
# probe's own latencyMs (the tunnel is up before the probe starts, as in a running monitor),
# median of N runs. Goal (issue 4): okhealth's added latency ≤ OpenSSH's + 1 ms.
# Then (with `serve`) 200 HTTP checks at 1 s through one tunnel for 60 s: CPU and lateness.
#
#   bench/ssh-tunnel.sh [--runs N] [--serve-seconds S]
# Only loopback addresses; every process started here is stopped at exit.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

runs=40
serve_seconds=60
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift ;;
        --serve-seconds) serve_seconds="$2"; shift ;;
        *) bench_die "unknown option $1" ;;
    esac
    shift
done

bench_install openssh-server openssh-client nginx-light
bench_clean_environment
bench_make_tmp
bench_install_trap
okh=$(bench_okhealth_binary)
T="$BENCH_TMP"

# nginx: a static livez, nothing else.
nginx_port=$(bench_free_port)
mkdir -p "$T/nginx"
cat > "$T/nginx/nginx.conf" <<CONF
user root;
daemon off;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $T/nginx/body;
    proxy_temp_path $T/nginx/proxy;
    fastcgi_temp_path $T/nginx/fastcgi;
    uwsgi_temp_path $T/nginx/uwsgi;
    scgi_temp_path $T/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        location / { return 200 "ok\n"; }
    }
}
CONF
nginx -c "$T/nginx/nginx.conf" -p "$T/nginx" &
BENCH_PIDS+=($!)
bench_wait_for 10 curl -fsS "http://127.0.0.1:$nginx_port/_healthz/livez/"

# sshd with generated keys, as the tests' fixture does.
ssh_port=$(bench_free_port)
mkdir -p "$T/ssh" /run/sshd
ssh-keygen -q -N '' -t ed25519 -f "$T/ssh/host"
ssh-keygen -q -N '' -t ed25519 -f "$T/ssh/client"
cp "$T/ssh/client.pub" "$T/ssh/authorized_keys"
echo "[127.0.0.1]:$ssh_port $(cut -d' ' -f1,2 "$T/ssh/host.pub")" > "$T/ssh/known_hosts"
cat > "$T/ssh/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $ssh_port
HostKey $T/ssh/host
PidFile $T/ssh/sshd.pid
AuthorizedKeysFile $T/ssh/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
AllowTcpForwarding yes
MaxStartups 100
CONF
/usr/sbin/sshd -D -e -f "$T/ssh/sshd_config" -E "$T/ssh/sshd.log" &
BENCH_PIDS+=($!)
bench_wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$ssh_port"

# OpenSSH's own forward, persistent like okhealth's tunnel in a running monitor.
forward_port=$(bench_free_port)
ssh -F /dev/null -N -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/ssh/client" \
    -o UserKnownHostsFile="$T/ssh/known_hosts" -o StrictHostKeyChecking=yes -o ExitOnForwardFailure=yes \
    -L "127.0.0.1:$forward_port:127.0.0.1:$nginx_port" -p "$ssh_port" "$(id -un)@127.0.0.1" &
BENCH_PIDS+=($!)
bench_wait_for 10 curl -fsS "http://127.0.0.1:$forward_port/"

deployment() { # name port connection-json
    cat <<JSON
{"version": 1, "deployments": [{"name": "$1", "connection": $3, "services": [{"name": "nginx", "kind": "nginx",
 "checks": [{"name": "livez", "type": "http", "role": "liveness", "url": "http://127.0.0.1:$2/_healthz/livez/", "timeout": "5s"}]}]}]}
JSON
}
deployment direct "$nginx_port" '{"type": "direct"}' > "$T/direct.json"
deployment ssh-L "$forward_port" '{"type": "direct"}' > "$T/forward.json"
deployment okhealth "$nginx_port" "{\"type\": \"ssh\", \"host\": \"127.0.0.1\", \"port\": $ssh_port, \"user\": \"$(id -un)\",
  \"identityFiles\": [\"$T/ssh/client\"], \"useAgent\": false, \"knownHostsFile\": \"$T/ssh/known_hosts\", \"sshConfig\": \"none\"}" \
    > "$T/tunnel.json"

latencies() { # file → one latencyMs per line
    local i
    for ((i = 0; i < runs; i++)); do
        "$okh" run "$1" --format json | "$BENCH_PYTHON" -c \
            'import json,sys; print(json.load(sys.stdin)["services"][0]["checks"][0]["latencyMs"])'
    done
}
for mode in direct forward tunnel; do
    "$okh" run "$T/$mode.json" > /dev/null || bench_die "$mode: the check is not healthy"
done
# Interleaved rounds, so background load hits every mode alike.
: > "$T/direct.txt"; : > "$T/forward.txt"; : > "$T/tunnel.txt"
for round in 1 2 3 4; do
    runs_per=$((runs / 4))
    for mode in direct forward tunnel; do
        runs=$runs_per latencies "$T/$mode.json" >> "$T/$mode.txt"
    done
done

"$BENCH_PYTHON" - "$T" <<'PY'
import statistics, sys
t = sys.argv[1]
def load(name):
    return [float(x) for x in open(f"{t}/{name}.txt") if x.strip()]
d, f, s = load("direct"), load("forward"), load("tunnel")
md, mf, ms = statistics.median(d), statistics.median(f), statistics.median(s)
print(f"| path | runs | median probe latency | added over direct |")
print(f"|---|---|---|---|")
print(f"| direct | {len(d)} | {md:.2f} ms | – |")
print(f"| OpenSSH ssh -L | {len(f)} | {mf:.2f} ms | {mf - md:+.2f} ms |")
print(f"| okhealth tunnel | {len(s)} | {ms:.2f} ms | {ms - md:+.2f} ms |")
goal = (ms - md) <= (mf - md) + 1.0
print(f"\nokhealth adds {ms - md:.2f} ms, OpenSSH adds {mf - md:.2f} ms: goal (≤ OpenSSH + 1 ms) {'met' if goal else 'NOT met'}")
PY

# Part 2: 200 HTTP checks at 1 s through one tunnel, `okhealth-check serve`, for S seconds.
checks=""
for ((i = 0; i < 200; i++)); do
    [ -n "$checks" ] && checks+=","
    checks+="{\"name\": \"c$i\", \"type\": \"http\", \"role\": \"info\", \"interval\": \"1s\", \"timeout\": \"900ms\",
      \"url\": \"http://127.0.0.1:$nginx_port/_healthz/livez/?n=$i\"}"
done
cat > "$T/serve.json" <<JSON
{"version": 1, "deployments": [{"name": "many", "connection": {"type": "ssh", "host": "127.0.0.1", "port": $ssh_port,
  "user": "$(id -un)", "identityFiles": ["$T/ssh/client"], "useAgent": false, "knownHostsFile": "$T/ssh/known_hosts",
  "sshConfig": "none"}, "services": [{"name": "nginx", "kind": "nginx", "checks": [$checks]}]}]}
JSON
metrics_port=$(bench_free_port)
"$okh" serve "$T/serve.json" --listen "127.0.0.1:$metrics_port" > "$T/serve.log" 2>&1 &
serve_pid=$!
BENCH_PIDS+=($serve_pid)
bench_wait_for 20 curl -fsS "http://127.0.0.1:$metrics_port/metrics"
sleep 10 # first runs are spread over the interval; let it settle
cpu_ticks() { awk '{print $14 + $15}' "/proc/$serve_pid/stat"; }
probes() { curl -fsS "http://127.0.0.1:$metrics_port/metrics" | awk '/^okhealth_probes_total/ {s += $2} END {print s}'; }
ticks0=$(cpu_ticks); probes0=$(probes)
sleep "$serve_seconds"
ticks1=$(cpu_ticks); probes1=$(probes)
hz=$(getconf CLK_TCK)
p99=$(curl -fsS "http://127.0.0.1:$metrics_port/metrics" | awk -F' ' '/^okhealth_scheduler_lateness_seconds\{.*quantile="0.99"/ {print $2 * 1000}')
rss=$(awk '/VmHWM/ {print $2 / 1024}' "/proc/$serve_pid/status")
"$BENCH_PYTHON" - "$ticks0" "$ticks1" "$hz" "$probes0" "$probes1" "$serve_seconds" "${p99:-nan}" "$rss" <<'PY'
import sys
t0, t1, hz, p0, p1, secs, p99, rss = sys.argv[1:]
cpu = (float(t1) - float(t0)) / float(hz)
n = float(p1) - float(p0)
print(f"\n200 HTTP checks at 1 s through one tunnel, {secs} s: {n:.0f} probes, CPU {cpu:.2f} s "
      f"({cpu / secs_f * 100 if (secs_f := float(secs)) else 0:.1f} % of a core, {cpu / n * 1000:.3f} s per 1,000 probes), "
      f"p99 lateness {float(p99):.1f} ms, peak RSS {float(rss):.1f} MiB")
PY
