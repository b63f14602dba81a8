#!/usr/bin/env bash
# run.sh - shrike-agent's webserver against hostile HTTP clients (hostile.py:
# request smuggling shapes, huge headers, many idle and slow connections from
# one address) while a well-behaved client keeps posting audit events. In a
# private network namespace (unshare, as root): loopback only, 127.0.0.2 as
# the hostile address. Then: every audit event answered 200 became exactly
# one alert, the agent is up, and /metrics counts what it answered and
# refused.
# The transcript is compared with tests/http/run.out; UPDATE=1 rewrites it.
# About 35 s: one case waits out the 30 s idle timeout.
set -u
cd "$(dirname "$0")/../.." || exit 2
export TZ=UTC PATH="$PWD/${BUILD:-build}/bin:$PATH"

# shellcheck source=tests/ns_transcript.sh
. tests/ns_transcript.sh
ns_transcript HTTP tests/http "hostile clients, the webhook kept serving" --net

# ---- inside the network namespace ------------------------------------------------
tmp=$(mktemp -d)
agent=
trap 'kill $agent 2>/dev/null; rm -rf "$tmp"' EXIT
ip link set lo up
cp ../shared/falco/k8s_audit_rules.0.31.0.yaml "$tmp/rules.yaml"
# shellcheck source=tests/cli/agent/lib.sh
. tests/cli/agent/lib.sh
start_agent -o json_output=true
event=tests/unit/k8s/pod_exec.json

python3 tests/http/hostile.py "$port" "$event"

ok=$(curl -s "http://127.0.0.1:$port/healthz")
echo "healthz: $ok"
curl -s "http://127.0.0.1:$port/metrics" >"$tmp/metrics"
accepted=$(sed -n 's/^shrike_events_total{source="k8s_audit"} //p' "$tmp/metrics")
alerts=$(grep -c '"rule":"Attach/Exec Pod"' "$tmp/out")
# Each event in a body answered 200 is one the rule matches: one alert each.
echo "audit events accepted: $accepted; alerts: $alerts"
grep -E '^shrike_http_(requests|connections_refused)_total' "$tmp/metrics"
kill $agent
wait $agent 2>/dev/null
echo "agent exit: $?"
