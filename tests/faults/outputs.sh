#!/usr/bin/env bash
# outputs.sh - the alert channels under faults: while a rule fires for every
# audit event posted to the agent (no shrike.ko needed), the HTTP output's
# receiver answers 500, then accepts and never answers; the file output's
# disk (a 64 KiB tmpfs) is full; the program output exits after five alerts.
# The other outputs keep every alert; the failing one counts each it loses
# (sent + failed + dropped = alerts, for every output); the file holds exactly
# the alerts counted as sent, no half line; each output recovers when its
# fault ends. In a private mount and network namespace (unshare, as root).
# The transcript is compared with tests/faults/run.out; UPDATE=1 rewrites it.
set -u
cd "$(dirname "$0")/../.." || exit 2
export TZ=UTC PATH="$PWD/${BUILD:-build}/bin:$PATH"

# shellcheck source=tests/ns_transcript.sh
. tests/ns_transcript.sh
ns_transcript FAULTS tests/faults "outputs lose only what their fault loses, counted" \
	--mount --net --propagation private

# ---- inside the namespaces --------------------------------------------------------
tmp=$(mktemp -d)
agent='' receiver=''
trap 'kill $agent $receiver 2>/dev/null; umount "$tmp/disk" 2>/dev/null; rm -rf "$tmp"' EXIT
ip link set lo up
mkdir "$tmp/disk"
mount -t tmpfs -o size=64k tmpfs "$tmp/disk"
echo ok >"$tmp/mode"
echo 0 >"$tmp/received"
python3 tests/faults/receiver.py "$tmp/mode" "$tmp/received" >"$tmp/receiver.out" &
receiver=$!
for _ in $(seq 100); do grep -qs ready "$tmp/receiver.out" && break; sleep 0.05; done
rport=$(sed -n 's/^ready //p' "$tmp/receiver.out")
[ -n "$rport" ] || { echo "receiver did not start"; exit 1; }

cp ../shared/falco/k8s_audit_rules.0.31.0.yaml "$tmp/rules.yaml"
# shellcheck source=tests/cli/agent/lib.sh
. tests/cli/agent/lib.sh
start_agent -o json_output=true -o outputs.queue_size=128 \
	-o file_output.enabled=true -o "file_output.filename=$tmp/disk/alerts.json" \
	-o http_output.enabled=true -o "http_output.url=http://127.0.0.1:$rport/" \
	-o http_output.timeout_ms=300 \
	-o program_output.enabled=true -o program_output.keep_alive=true \
	-o "program_output.program=head -n 5 >>$tmp/program.out"
url=http://127.0.0.1:$port

# post N: one EventList of N copies of an event the rule "Attach/Exec Pod" matches.
post() {
	python3 - "$1" tests/unit/k8s/pod_exec.json >"$tmp/list.json" <<'PY'
import json, sys
ev = json.load(open(sys.argv[2]))
print(json.dumps({"kind": "EventList", "items": [ev] * int(sys.argv[1])}))
PY
	code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		--data-binary @"$tmp/list.json" "$url/k8s-audit")
	[ "$code" = 200 ] || echo "post $1: HTTP $code"
}
metric() { # metric NAME OUTPUT
	curl -s "$url/metrics" | sed -n "s/^shrike_output_$1_total{output=\"$2\"} //p"
}
# settle: waits until every output's queue is empty.
settle() {
	for _ in $(seq 300); do
		curl -s "$url/metrics" | grep '^shrike_output_queue_depth' | grep -qv ' 0$' || return 0
		sleep 0.1
	done
	echo "queues not drained"
}
# account TOTAL OUTPUT...: each output's sent, failed and dropped, which add up to TOTAL.
account() {
	local total=$1 o s f d
	shift
	for o in "$@"; do
		s=$(metric sent "$o") f=$(metric failures "$o") d=$(metric drops "$o")
		printf '  %-8s sent %s, failed %s, dropped %s' "$o" "$s" "$f" "$d"
		[ $((s + f + d)) = "$total" ] && echo " (= $total)" || echo " (!= $total)"
	done
}
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

echo "== faults on: HTTP 500, file output's disk full, the program exits after 5 alerts"
echo 500 >"$tmp/mode"
head -c 65536 /dev/zero >"$tmp/disk/fill" 2>/dev/null
# Two bursts: the program exits during the first; the second finds it gone.
post 50
settle
post 50
settle
account 100 stdout file http
echo "  stdout alerts: $(grep -c '"rule":"Attach/Exec Pod"' "$tmp/out")"
echo "  file lines: $(lines "$tmp/disk/alerts.json") (sent: $(metric sent file))"
ps=$(metric sent program) pf=$(metric failures program) pd=$(metric drops program)
echo "  program: every alert accounted: $([ $((ps + pf + pd)) = 100 ] && echo yes || echo "no: $ps + $pf + $pd"), some failed: $([ "$pf" -gt 0 ] && echo yes || echo no)"
echo "  program restarted after exiting: $([ "$(lines "$tmp/program.out")" -gt 5 ] && echo yes || echo no)"

echo "== faults over: HTTP 200, disk freed"
echo ok >"$tmp/mode"
rm "$tmp/disk/fill"
post 100
settle
account 200 stdout file http
echo "  file lines: $(lines "$tmp/disk/alerts.json") (sent: $(metric sent file)), each one JSON: $(python3 -c '
import json, sys
print(all(json.loads(l)["rule"] == "Attach/Exec Pod" for l in open(sys.argv[1])))' "$tmp/disk/alerts.json")"
echo "  receiver got: $(cat "$tmp/received")"

echo "== the receiver accepts and never answers (timeout 300 ms)"
echo hang >"$tmp/mode"
post 20
settle
account 220 stdout file http

echo "== the receiver answers again"
echo ok >"$tmp/mode"
post 10
settle
echo "  http: sent $(metric sent http), receiver got: $(cat "$tmp/received")"
ok=$(curl -s "$url/healthz")
echo "healthz: $ok"
kill $agent
wait $agent 2>/dev/null
echo "agent exit: $?"
