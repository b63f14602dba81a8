#!/usr/bin/env bash
# shrikec.sh - make images-check: the shrikec image run the way a CI job runs
# it (README "Rules in CI"), under runc with no network: the archive's image
# unpacked by umoci, a job's directory mounted at /work (the image's working
# directory) and owned by the job's user, whom the command runs as (uid 1000,
# not root: docker run --user), the root read-only, each command given as the
# arguments to the image's entrypoint. Each run's output and exit status must
# be exactly the expected ones.
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
	chown -R 1000:1000 "$tmp/work"
	python3 - "$tmp" "$@" <<-'EOF'
		import json, sys
		tmp = sys.argv[1]
		c = json.load(open(tmp + "/b/base.json"))
		c["process"]["args"] += sys.argv[2:]
		c["process"]["terminal"] = False
		c["process"]["user"] = {"uid": 1000, "gid": 1000}
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

# The job's rule tests (test --cases) with a JUnit report written into its
# checkout: cases that hold (the job's rules and the image's), one that does
# not (exit 1), one with bad input (exit 2).
mkdir -p "$tmp/work/tests"
cat >"$tmp/work/tests/rules.cases.yaml" <<'EOF'
container_attacks:
  rules_file: ../rules/shrike_rules.yaml
  trace_file: ../events/rules_container.jsonl
  detect: true
  detect_level: [CRITICAL, WARNING, NOTICE]
  detect_counts:
    - Launch privileged container: 1
    - Drop and execute new binary in container: 1
  output_contains:
    - "Privileged container started (container_id=3f2a9c1d7e4b"
default_rules_quiet:
  rules_file: /etc/shrike/rules.d/shrike_rules.yaml
  events:
    - {evt.type: container, evt.time: 1714979281000000001, container.id: 0123456789ab, container.name: web, container.image.repository: docker.io/library/nginx, container.privileged: false}
  detect: false
EOF
cat >"$tmp/work/tests/fails.cases.yaml" <<'EOF'
twice_privileged:
  rules_file: /etc/shrike/rules.d/shrike_rules.yaml
  trace_file: ../events/rules_container.jsonl
  detect: true
  detect_counts:
    - Launch privileged container: 2
EOF
cat >"$tmp/work/tests/bad.cases.yaml" <<'EOF'
no_events:
  rules_file: /etc/shrike/rules.d/shrike_rules.yaml
  trace_file: ../events/missing.jsonl
  detect: false
EOF
run "test --cases with a JUnit report, every case holds" test --cases tests/rules.cases.yaml --junit report.xml <<'EOF'
ok    tests/rules.cases.yaml: container_attacks (5 alerts)
ok    tests/rules.cases.yaml: default_rules_quiet (0 alerts)
2 cases: 2 passed, 0 failed, 0 with bad input
exit 0
EOF
cat >"$tmp/report.want" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="shrikec test --cases" tests="2" failures="0" errors="0" time="T">
  <testsuite name="tests/rules.cases.yaml" tests="2" failures="0" errors="0" skipped="0" time="T" timestamp="TS" hostname="H">
    <testcase name="container_attacks" classname="tests/rules.cases.yaml" time="T"/>
    <testcase name="default_rules_quiet" classname="tests/rules.cases.yaml" time="T"/>
  </testsuite>
</testsuites>
EOF
if sed -E 's/ time="[0-9.]+"/ time="T"/; s/ timestamp="[^"]*" hostname="[^"]*"/ timestamp="TS" hostname="H"/' \
	"$tmp/work/report.xml" >"$tmp/report.got" && diff -u "$tmp/report.want" "$tmp/report.got" &&
	[ "$(stat -c %u:%g "$tmp/work/report.xml")" = 1000:1000 ]; then
	printf '  %-7s %s\n' IMAGES "shrikec image: its JUnit report in the job's checkout, the job's user's"
else
	echo "images: shrikec image: report.xml not the expected one (above)"
	fail=1
fi
run "test --cases, a case fails" test --cases tests/rules.cases.yaml tests/fails.cases.yaml <<'EOF'
ok    tests/rules.cases.yaml: container_attacks (5 alerts)
ok    tests/rules.cases.yaml: default_rules_quiet (0 alerts)
FAIL  tests/fails.cases.yaml: twice_privileged (5 alerts)
3 cases: 2 passed, 1 failed, 0 with bad input
tests/fails.cases.yaml:6: case twice_privileged: rule Launch privileged container expected 2, got 1
exit 1
EOF
run "test --cases, bad input" test --cases tests/bad.cases.yaml <<'EOF'
ERROR tests/bad.cases.yaml: no_events (0 alerts)
1 case: 0 passed, 0 failed, 1 with bad input
tests/bad.cases.yaml:3: case no_events: cannot read tests/../events/missing.jsonl: No such file or directory
exit 2
EOF

# The default rules' cases the image carries (make install's rules-tests)
# against its /etc/shrike/rules.d: the report of the build's shrikec on the
# checkout's cases and rules, which must be all passed.
rt=/usr/share/shrike/rules-tests
mkdir -p "$tmp/rt"
cp -r rules/tests/events "$tmp/rt/"
for c in rules/tests/*.cases.yaml; do
	sed "s|^\(    rules_file: \)\.\./.*|\1$PWD/rules|" "$c" >"$tmp/rt/${c##*/}"
done
cases=$(cat rules/tests/*.cases.yaml | grep -c '^    rules_file: ')
rc=0
"$bdir/bin/shrikec" test --cases "$tmp/rt/k8s_audit_rules.cases.yaml" "$tmp/rt/shrike_rules.cases.yaml" \
	>"$tmp/want" 2>&1 || rc=$?
if [ $rc != 0 ] || [ "$(tail -n1 "$tmp/want")" != "$cases cases: $cases passed, 0 failed, 0 with bad input" ]; then
	echo "images: the default rules' cases do not all hold on the checkout (exit $rc): $(tail -n1 "$tmp/want")"
	exit 1
fi
{ sed "s|$tmp/rt|$rt|g" "$tmp/want"; echo "exit 0"; } |
	run "the default rules' $cases cases against the image's rules" \
		test --cases $rt/k8s_audit_rules.cases.yaml $rt/shrike_rules.cases.yaml
exit $fail
