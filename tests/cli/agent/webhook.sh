#!/usr/bin/env bash
# webhook.sh - shrike-agent's HTTP server with real clients (curl): audit
# fixtures become Falco alerts; bad JSON, undated events, a wrong content type, an oversized
# body, wrong methods and many concurrent clients get their answers and the
# agent stays up; SIGHUP with a broken rules file keeps the old rules, with a
# good one swaps them. Runs without shrike.ko (--disable-source syscall).
# Prints a transcript with no times or ports, compared by tests/cli/run.sh.
set -u
fix=tests/unit/k8s
tmp=$(mktemp -d)
trap 'kill $agent 2>/dev/null; rm -rf "$tmp"' EXIT
cp ../shared/falco/k8s_audit_rules.0.31.0.yaml "$tmp/rules.yaml"

. tests/cli/agent/lib.sh
start_agent -o webserver.max_body_bytes=4096
url=http://127.0.0.1:$port

post() {	# post NAME FILE [CONTENT-TYPE]
	printf '%-24s ' "$1"
	curl -s -o "$tmp/body" -w '%{http_code} ' -H "Content-Type: ${3:-application/json}" \
		--data-binary @"$2" "$url/k8s-audit"
	head -c 200 "$tmp/body" | tr '\n' ' '
	echo
}

for f in pod_create_privileged pod_exec anonymous_api configmap_secret crb_cluster_admin readyz; do
	post "$f" "$fix/$f.json"
done
printf '{"kind":"Event"' >"$tmp/truncated.json"
post "truncated JSON" "$tmp/truncated.json"
printf '{"kind":"Pod"}' >"$tmp/pod.json"
post "not an audit event" "$tmp/pod.json"
# Falco dates an event by its stageTimestamp and refuses a body with one it
# cannot date, all of it: the list's dated event is not evaluated either.
printf '{"kind":"Event","verb":"get"}' >"$tmp/notime.json"
post "no stageTimestamp" "$tmp/notime.json"
printf '{"kind":"EventList","items":[%s,{"kind":"Event","verb":"get","stageTimestamp":"now"}]}' \
	"$(cat $fix/readyz.json)" >"$tmp/list_notime.json"
post "list, one undated" "$tmp/list_notime.json"
post "wrong content type" "$fix/pod_exec.json" text/plain
head -c 10000 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
post "oversized" "$tmp/big.json"
printf '%-24s %s\n' "GET /k8s-audit" "$(curl -s -o /dev/null -w '%{http_code}' "$url/k8s-audit")"
printf '%-24s %s\n' "GET /healthz" "$(curl -s -w ' %{http_code}' "$url/healthz")"
printf '%-24s %s\n' "GET /nope" "$(curl -s -o /dev/null -w '%{http_code}' "$url/nope")"

# 16 clients at once, 10 requests each.
for c in $(seq 16); do
	for _ in $(seq 10); do
		curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
			--data-binary @"$fix/readyz.json" "$url/k8s-audit"
	done >"$tmp/client.$c" &
done
# shellcheck disable=SC2046 # a pid per word
wait $(jobs -p | grep -v "^$agent\$") 2>/dev/null
echo "concurrent: $(cat "$tmp"/client.* | grep -c '^200$') of 160 answered 200"

# A reload with a broken file keeps the running rules.
printf -- '- rule: Broken\n  desc: d\n  condition: ka.verb = \n  output: o\n  priority: WARNING\n  source: k8s_audit\n' >>"$tmp/rules.yaml"
kill -HUP $agent
for _ in $(seq 100); do grep -q 'reload failed' "$tmp/err" && break; sleep 0.1; done
grep -E '^[^ ]*rules.yaml:[0-9]+:[0-9]+: error' "$tmp/err" | sed "s|$tmp/||"
grep -o 'reload failed: still running table' "$tmp/err"
post "after a failed reload" "$fix/pod_exec.json"
# A good file is swapped in.
cat >"$tmp/rules.yaml" <<'RULES'
- rule: Any exec
  desc: every exec into a pod
  condition: ka.verb = create and ka.target.subresource = exec
  output: exec by %ka.user.name into %ka.target.name
  priority: ERROR
  source: k8s_audit
RULES
kill -HUP $agent
for _ in $(seq 100); do [ "$(grep -c 'table .* loaded' "$tmp/err")" -ge 1 ] && break; sleep 0.1; done
post "after a good reload" "$fix/pod_exec.json"
post "no rule matches now" "$fix/pod_create_privileged.json"

curl -s "$url/metrics" >"$tmp/metrics"
grep -E '^shrike_(build_info|rules_loaded|reloads_total|events_total\{source="k8s_audit"|matches_total|http_requests_total|k8s_audit_events_total|output_sent_total)' "$tmp/metrics" |
	sed 's/version="[^"]*",abi="[0-9]*"/version="V",abi="N"/'
# Every sample has its HELP and TYPE, every name once.
awk '/^# HELP /{h[$3]++} /^# TYPE /{t[$3]++} /^[a-z]/{n=$1; sub(/\{.*/, "", n); s[n]=1}
	END {for (n in s) if (h[n] != 1 || t[n] != 1) print "metric " n ": " h[n]+0 " HELP, " t[n]+0 " TYPE"}' "$tmp/metrics"
kill -TERM $agent
wait $agent
echo "agent exit: $?"
echo "--- alerts"
sort "$tmp/out" | uniq -c
