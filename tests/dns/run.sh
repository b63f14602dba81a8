#!/usr/bin/env bash
# run.sh - DNS never stalls the rules CLI or the agent. In a private mount,
# network and UTS namespace (unshare, as root: offline, nothing of the host's
# resolver used), /etc/resolv.conf names 127.0.0.53, where resolver.pl reads
# every query and answers none, and /etc/hosts has only localhost. Then:
#   - shrikec validate, compile, list, explain and fields, on Falco 0.31's
#     rules and tests/dns/rules.yaml: no query at all;
#   - shrikec test: queries only for the names its events compare with,
#     gives up within its 2 s budget with a note, instead of waiting out the
#     resolver's timeouts (glibc: 5 s a try), and decides the comparisons;
#   - shrike-agent (audit source only: no shrike.ko needed): ready, /healthz
#     and an audit alert while its resolver thread waits on the silent
#     resolver in the background, where it used to wait a second first.
# The transcript is compared with tests/dns/run.out; UPDATE=1 rewrites it.
set -u
cd "$(dirname "$0")/../.." || exit
export TZ=UTC PATH="$PWD/${BUILD:-build}/bin:$PATH"

# shellcheck source=tests/ns_transcript.sh
. tests/ns_transcript.sh
ns_transcript DNS tests/dns "no stall on a resolver that never answers" --mount --net --uts --propagation private

# ---- inside the namespaces ------------------------------------------------------
tmp=$(mktemp -d)
resolver='' agent=''
trap 'kill $resolver $agent 2>/dev/null; rm -rf "$tmp"' EXIT
ip link set lo up
hostname shrike-dns-test	# no dot: no search domain derived from it
printf 'nameserver 127.0.0.53\n' >"$tmp/resolv.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$tmp/hosts"
printf 'hosts: files dns\n' >"$tmp/nsswitch.conf"
for f in resolv.conf hosts nsswitch.conf; do
	# Without an nsswitch.conf glibc asks DNS, then the files: the same here.
	[ $f = nsswitch.conf ] && [ ! -e /etc/$f ] && continue
	mount --bind "$tmp/$f" /etc/$f || { echo "cannot bind-mount over /etc/$f"; exit 1; }
done
# No name service cache daemon answering from the host's resolver.
[ -d /run/nscd ] && mount -t tmpfs tmpfs /run/nscd

: >"$tmp/queries"
perl tests/dns/resolver.pl "$tmp/queries" >"$tmp/resolver.out" &
resolver=$!
for _ in $(seq 100); do grep -qs ready "$tmp/resolver.out" && break; sleep 0.05; done
grep -q ready "$tmp/resolver.out" || { echo "resolver.pl did not start"; exit 1; }

falco=../shared/falco/falco_rules.0.31.0.yaml
ours=tests/dns/rules.yaml

names() {	# the names queried since line $1 of the log, sorted, or "none"
	local n
	n=$(tail -n +"$(($1 + 1))" "$tmp/queries" | awk '{ print $3 }' | sort -u | paste -sd ' ')
	echo "${n:-none}"
}

# Each command without shrikec test: exit code and queries, nothing else
# (their output is the CLI goldens' business).
for cmd in "validate $falco $ours" "compile $falco $ours -o $tmp/t.tbl" "list $falco $ours" \
	"explain \"Name needed\" $ours" "explain \"Contact K8S API Server From Container\" $falco" \
	"fields"; do
	before=$(wc -l <"$tmp/queries")
	eval timeout 30 shrikec "$cmd" >/dev/null 2>&1
	rc=$?
	printf 'shrikec %-8s exit %s, queries: %s\n' "${cmd%% *}" "$rc" "$(names "$before")"
done

# shrikec_test TITLE ARGS...: shrikec test's stdout, stderr, exit code and
# queries, and whether it finished before the resolver's first timeout
# (glibc's: 5 s; the old shrikec test waited up to 30 s, then longer).
shrikec_test() {
	local before start end rc
	echo "--- shrikec test $1"
	before=$(wc -l <"$tmp/queries")
	start=$(date +%s%N)
	timeout 30 shrikec test "${@:2}" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	end=$(date +%s%N)
	sed 's/^/stdout: /' "$tmp/out"
	sed 's/^/stderr: /' "$tmp/err"
	echo "exit $rc, queries: $(names "$before")"
	if [ $(((end - start) / 1000000)) -lt 5000 ]; then
		echo "did not wait for the resolver's timeout"
	else
		echo "WAITED $(((end - start) / 1000000)) ms: as long as the resolver's timeout"
	fi
}
printf '{"evt.type":"openat","evt.time":1700000000000000001,"fd.name":"/etc/x","proc.name":"vi"}\n' >"$tmp/open.jsonl"
shrikec_test "of Falco 0.31's rules, an event that compares no name" \
	"$falco" --events "$tmp/open.jsonl"
shrikec_test "of tests/dns/rules.yaml, tests/dns/events.jsonl" \
	--rule-matching all "$ours" --events tests/dns/events.jsonl

# The agent: --disable-source syscall runs without shrike.ko; the table still
# holds the syscall rules, whose names its resolver thread resolves. Its
# stderr is timestamped as it comes.
echo "--- shrike-agent"
before=$(wc -l <"$tmp/queries")
shrike-agent --disable-source syscall -r "$ours" -o syslog_output.enabled=false \
	-o webserver.listen_address=127.0.0.1 -o webserver.listen_port=0 >"$tmp/agent.out" \
	2> >(perl -MTime::HiRes=time -ne '$| = 1; printf "%.3f %s", time, $_' >"$tmp/agent.err") &
agent=$!
for _ in $(seq 200); do grep -qs 'waiting for events' "$tmp/agent.err" && break; sleep 0.05; done
grep -o 'shrike-agent: [0-9]* rules loaded\|syscall source disabled, waiting for events' "$tmp/agent.err"
port=$(sed -n 's/.*webserver listening on port \([0-9]*\).*/\1/p' "$tmp/agent.err")
[ -n "$port" ] || { echo "agent did not start"; cat "$tmp/agent.err"; exit 1; }
# Its first query: the names are being resolved, in the background.
for _ in $(seq 100); do [ "$(wc -l <"$tmp/queries")" -gt "$before" ] && break; sleep 0.05; done
ready=$(awk '/waiting for events/ { print $1; exit }' "$tmp/agent.err")
asked=$(tail -n +"$((before + 1))" "$tmp/queries" | awk '{ print $1; exit }')
# The old agent waited 1 s for the names before it went on.
if [ -n "$asked" ] && awk -v r="$ready" -v q="$asked" 'BEGIN { exit !(r < q + 0.5) }'; then
	echo "ready without waiting for the resolver"
else
	echo "NOT READY before the resolver's answer could come: ready $ready, first query ${asked:-none}"
fi
printf '%-14s %s\n' "GET /healthz" "$(curl -s -m 5 -w ' %{http_code}' "http://127.0.0.1:$port/healthz")"
printf '%-14s %s\n' "POST pod_exec" "$(curl -s -m 5 -o /dev/null -w '%{http_code}' \
	-H 'Content-Type: application/json' --data-binary @tests/unit/k8s/pod_exec.json \
	"http://127.0.0.1:$port/k8s-audit")"
for _ in $(seq 100); do [ -s "$tmp/agent.out" ] && break; sleep 0.05; done
sed 's/^/alert: /' "$tmp/agent.out"
kill -TERM $agent
wait $agent
echo "agent exit $?, queries: $(names "$before")"
