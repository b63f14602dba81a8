#!/usr/bin/env bash
# no_rules.sh - shrike-agent with a falco.yaml none of whose rules files
# exists: one line naming them and exit 1 at once, before the webserver and
# netlink (no shrike.ko needed), where it used to warn, load 0 rules and
# answer /healthz. Falco 0.31's own falco.yaml (rules_file), newer Falco's
# key (rules_files), and a file with both, refused as Falco refuses it.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {	# run ARGS...: the agent's stderr (scratch paths cut) and exit code
	timeout 10 shrike-agent "$@" 2>&1 >/dev/null | sed "s|$tmp/||g"
	echo "exit ${PIPESTATUS[0]}"
}

# Falco 0.31's falco.yaml as it is, but for /etc/falco, made a directory that
# does not exist (it could exist on this machine).
sed 's|/etc/falco/|/nonexistent/falco/|' ../shared/falco/falco.0.31.0.yaml >"$tmp/falco.yaml"
echo "--- Falco 0.31's falco.yaml, rules_file entries absent"
run -c "$tmp/falco.yaml"

printf 'rules_files:\n  - /nonexistent/falco_rules.yaml\n  - /nonexistent/rules.d\n' >"$tmp/new.yaml"
echo "--- newer Falco's rules_files, entries absent"
run -c "$tmp/new.yaml"
echo "--- rules_files read as rules_file"
shrike-agent -c "$tmp/new.yaml" --print-config | grep '^rules_file:'

printf 'rules_file: [/nonexistent/a.yaml]\nrules_files: [/nonexistent/b.yaml]\n' >"$tmp/both.yaml"
echo "--- both keys"
run -c "$tmp/both.yaml"
