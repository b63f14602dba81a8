#!/usr/bin/env bash
# webhook.sh - make bench-webhook: the /k8s-audit webhook under wrk, to
# 127.0.0.1 only. shrike-agent runs without shrike.ko (syscall source off)
# with the default audit rules, alerts as JSON to a file on tmpfs; wrk POSTs
# EventLists of 1, 10 and 100 copies of an exec-into-pod event (one alert
# each: "Attach/Exec Pod") over 1, 8 and 64 connections, SECONDS each
# (default 10). For each run: events/s the agent accepted, wrk's latency
# p50/p99, the agent's CPU (share of one core) and RSS; and the check that
# nothing accepted was lost: the alerts written equal the events the agent
# accepted (shrike_events_total{source="k8s_audit"}), which is also every
# event of every request answered 200 (wrk's count, give or take the
# requests in flight when it stops). A table on stdout and in
# $BUILD/bench/webhook.txt.
set -euo pipefail
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
export PATH="$PWD/$BUILD/bin:$PATH"
secs=${SECONDS_PER_RUN:-10}
out=$BUILD/bench/webhook.txt
command -v wrk >/dev/null || { echo "bench-webhook: wrk missing (make deps)" >&2; exit 1; }

tmp=$(mktemp -d)
agent=''
cleanup() {
	[ -n "$agent" ] && kill "$agent" 2>/dev/null
	mountpoint -q "$tmp/alerts" && umount "$tmp/alerts"
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/alerts" "$(dirname "$out")"
mount -t tmpfs -o size=2g tmpfs "$tmp/alerts" 2>/dev/null || true

shrike-agent --disable-source syscall -r rules/k8s_audit_rules.yaml \
	-o webserver.listen_address=127.0.0.1 -o webserver.listen_port=0 \
	-o webserver.max_connections_per_address=64 \
	-o syslog_output.enabled=false -o stdout_output.enabled=false -o json_output=true \
	-o file_output.enabled=true -o file_output.keep_alive=true \
	-o "file_output.filename=$tmp/alerts/alerts.json" >"$tmp/out" 2>"$tmp/err" &
agent=$!
port=''
for _ in $(seq 100); do
	port=$(sed -n 's/.*webserver listening on port \([0-9]*\).*/\1/p' "$tmp/err")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { echo "bench-webhook: the agent did not start" >&2; cat "$tmp/err" >&2; exit 1; }
url=http://127.0.0.1:$port

metric() { curl -s "$url/metrics" | sed -n "s/^$1 //p"; }
alerts() {
	touch "$tmp/alerts/alerts.json"
	grep -c '"rule":"Attach/Exec Pod"' "$tmp/alerts/alerts.json" || true
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$agent/stat"; }
settle() {
	for _ in $(seq 600); do
		[ "$(metric 'shrike_output_queue_depth{output="file"}')" = 0 ] && return
		sleep 0.1
	done
}

hz=$(getconf CLK_TCK)
{
	echo "webhook load: wrk (2 threads, 1 for one connection), ${secs} s a run, agent $(shrike-agent --version | head -n1), $(nproc) CPUs"
	printf '%-6s %-5s %10s %10s %9s %9s %6s %8s %s\n' batch conns "events/s" "requests/s" "p50" "p99" "cpu%" "peak MB" "alerts = accepted"
} | tee "$out"
for batch in 1 10 100; do
	python3 - "$batch" tests/unit/k8s/pod_exec.json >"$tmp/body.json" <<'PY'
import json, sys
ev = json.load(open(sys.argv[2]))
print(json.dumps({"kind": "EventList", "items": [ev] * int(sys.argv[1])}))
PY
	cat >"$tmp/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$tmp/body.json", "r")
wrk.body = f:read("*a")
f:close()
EOF
	for conns in 1 8 64; do
		# Each run's alerts alone in the file (the tmpfs holds one run's).
		: >"$tmp/alerts/alerts.json"
		ev0=$(metric 'shrike_events_total{source="k8s_audit"}')
		al0=$(alerts)
		c0=$(cpu_ticks)
		wrk -t"$([ "$conns" -lt 2 ] && echo 1 || echo 2)" -c"$conns" -d"${secs}s" --latency -s "$tmp/post.lua" "$url/k8s-audit" >"$tmp/wrk.out"
		c1=$(cpu_ticks)
		settle
		ev1=$(metric 'shrike_events_total{source="k8s_audit"}')
		al1=$(alerts)
		rss=$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$agent/status")
		reqs=$(sed -n 's/^Requests\/sec: *//p' "$tmp/wrk.out")
		p50=$(awk '$1 == "50%" { print $2 }' "$tmp/wrk.out")
		p99=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.out")
		bad=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$tmp/wrk.out")
		accepted=$((ev1 - ev0))
		got=$((al1 - al0))
		check="$got = $accepted"
		[ "$got" = "$accepted" ] || check="$got != $accepted: LOST"
		[ -z "$bad" ] || check="$check, $bad non-2xx"
		printf '%-6s %-5s %10.0f %10.1f %9s %9s %6.0f %8s %s\n' "$batch" "$conns" \
			"$(echo "$accepted / $secs" | bc -l)" "$reqs" "$p50" "$p99" \
			"$(echo "($c1 - $c0) * 100 / $hz / $secs" | bc -l)" "$rss" "$check" | tee -a "$out"
	done
done
