#!/usr/bin/env bash
# shrikec.sh - make images-check: the shrikec image run the way a CI job runs
# it (README "Rules in CI"), under runc with no network: the archive's image
# unpacked by umoci, a job's directory mounted at /work (the image's working
# directory), the root read-only, each command given as the arguments to the
# image's entrypoint. Each run's output and exit status must be exactly the
# expected ones.
set -eu
cd "$(dirname "$0")/../.."
bdir=${BUILD:-build}
ver=${VERSION:?VERSION}
archive=$bdir/images/shrikec-$ver.oci.tar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/layout" "$tmp/work/rules" "$tmp/work/events"
tar -xf "$archive" -C "$tmp/layout"
umoci unpack --image "$tmp/layout:$ver" "$tmp/b" >/dev/null
mv "$tmp/b/config.json" "$tmp/b/base.json"

# The image's own process: shrikec in /work.
got=$(python3 -c 'import json, sys; p = json.load(open(sys.argv[1]))["process"]; print(p["args"], p["cwd"])' "$tmp/b/base.json")
[ "$got" = "['shrikec'] /work" ] || { echo "images: shrikec: entrypoint and working directory $got" >&2; exit 1; }

# run NAME ARG...: shrikec ARG... in the image; its stdout, then its stderr,
# then "exit N" must be stdin's.
n=0 fail=0
run() {
	local name=$1 rc=0
	shift
	n=$((n + 1))
	python3 - "$tmp" "$@" <<-'EOF'
		import json, sys
		tmp = sys.argv[1]
		c = json.load(open(tmp + "/b/base.json"))
		c["process"]["args"] += sys.argv[2:]
		c["process"]["terminal"] = False
		c["root"]["readonly"] = True
		c["mounts"].append({"destination": "/work", "type": "bind", "source": tmp + "/work", "options": ["rbind", "rw"]})
		json.dump(c, open(tmp + "/b/config.json", "w"))
	EOF
	runc --root "$tmp/runc" run --bundle "$tmp/b" "shrikec-image-$$-$n" </dev/null >"$tmp/out" 2>"$tmp/err" || rc=$?
	cat "$tmp/err" >>"$tmp/out"
	echo "exit $rc" >>"$tmp/out"
	if diff -u - "$tmp/out" >"$tmp/diff"; then
		printf '  %-7s %s\n' IMAGES "shrikec image: $name"
	else
		echo "images: shrikec image: $name: shrikec $*:" && cat "$tmp/diff"
		fail=1
	fi
}

# The default rules, where the Debian package puts them.
set --
for r in rules/*.yaml; do set -- "$@" "/etc/shrike/rules.d/${r#rules/}"; done
for r in "$@"; do echo "$r: Ok"; done | { cat; printf '0 errors, 0 warnings\nexit 0\n'; } |
	run "validate of the default rules in /etc/shrike/rules.d" validate "$@"

# A job's checkout at /work: its rules by relative paths, one invalid.
cp rules/shrike_rules.yaml "$tmp/work/rules/"
printf -- '- rule: Bad port\n  desc: a port by name\n  condition: evt.type = connect and fd.sport = http\n  output: "port %%fd.sport"\n  priority: WARNING\n' \
	>"$tmp/work/rules/bad.yaml"
run "validate of the job's good rules" validate rules/shrike_rules.yaml <<'EOF'
rules/shrike_rules.yaml: Ok
0 errors, 0 warnings
exit 0
EOF
run "validate of the job's invalid rules" validate rules/shrike_rules.yaml rules/bad.yaml <<'EOF'
rules/shrike_rules.yaml: Invalid
rules/bad.yaml: Invalid
1 errors, 0 warnings
rules/bad.yaml:3:48: error[E-OPERAND]: 'http' is not a valid number
  in rule 'Bad port' (rules/bad.yaml:1:3)
    3 |   condition: evt.type = connect and fd.sport = http
      |                                                ^
exit 1
EOF

# The job's events against the image's default rules: the alerts
# tests/cli/cases/rules_container.out holds for the same command.
cp tests/cli/events/rules_container.jsonl "$tmp/work/events/"
run "test of the job's events against the default rules" \
	test /etc/shrike/rules.d/shrike_rules.yaml --events events/rules_container.jsonl <tests/cli/cases/rules_container.out
exit $fail
