#!/usr/bin/env bash
# priority.sh - shrike-agent leaves out the rules less severe than its
# `priority` when it compiles them, as Falco does not load them: with first
# match, a Notice rule that matches an event first must not hide the Warning
# rule after it (matched, then dropped at output, there would be no alert at
# all). Runs without shrike.ko (--disable-source syscall).
set -u
tmp=$(mktemp -d)
trap 'kill $agent 2>/dev/null; rm -rf "$tmp"' EXIT
cat >"$tmp/rules.yaml" <<'RULES'
- rule: Exec into a pod
  desc: any exec into a pod
  condition: ka.verb = create and ka.target.subresource = exec
  output: exec into %ka.target.name
  priority: NOTICE
  source: k8s_audit
- rule: Exec into a pod by alice
  desc: alice's exec into a pod
  condition: ka.verb = create and ka.target.subresource = exec and ka.user.name = alice@example.com
  output: exec by %ka.user.name into %ka.target.name
  priority: WARNING
  source: k8s_audit
RULES

. tests/cli/agent/lib.sh
start_agent -o priority=warning
grep -o '[0-9]* rules loaded' "$tmp/err"
curl -s -o /dev/null -w 'pod_exec: %{http_code}\n' -H 'Content-Type: application/json' \
	--data-binary @tests/unit/k8s/pod_exec.json "http://127.0.0.1:$port/k8s-audit"
kill -TERM $agent
wait $agent
echo "agent exit: $?"
echo "--- alerts"
sed 's/^[^ ]* //' "$tmp/out"
