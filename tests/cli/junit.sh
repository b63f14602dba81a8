#!/usr/bin/env bash
# junit.sh - checks JUnit XML reports (shrikec test --cases ... --junit FILE)
# against tests/cli/junit.xsd, the format Jenkins' junit plugin and GitLab
# read. First a self-check, so that a schema that accepts everything cannot
# pass: a well-formed report must validate and each broken one (a testcase
# without its name, a count that is not a number, an unknown element, ...)
# must be rejected. Then each REPORT given must validate.
#   bash tests/cli/junit.sh [REPORT...]      exit 0: all hold; 1: not
# Needs xmllint (libxml2-utils, in tests/deps.sh).
set -u
here=$PWD
cd "$(dirname "$0")/../.." || exit
xsd=tests/cli/junit.xsd
if ! command -v xmllint >/dev/null; then
	echo "  JUNIT   FAIL: xmllint not found (apt-get install libxml2-utils)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

valid() { xmllint --noout --schema "$xsd" "$1" 2>"$tmp/err"; }

good='<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="shrikec test" tests="3" failures="1" errors="0" skipped="1" time="0.012">
  <testsuite name="falco_tests.yaml" tests="3" failures="1" errors="0" skipped="1" time="0.012" timestamp="2026-12-07T16:04:12" hostname="ci">
    <properties><property name="rules" value="rules/single_rule.yaml"/></properties>
    <testcase name="multiple_rules" classname="falco_tests.yaml" time="0.004"/>
    <testcase name="wrong" classname="falco_tests.yaml" time="0.005">
      <failure message="rule open_from_cat expected 2, got 4" type="detect_counts">wrong.yaml:9: case wrong: rule open_from_cat expected 2, got 4</failure>
      <system-out>16:17:57.881785348: Warning An open was seen</system-out>
    </testcase>
    <testcase name="later" classname="falco_tests.yaml"><skipped message="not run"/></testcase>
    <system-out/>
    <system-err/>
  </testsuite>
</testsuites>'
printf '%s\n' "$good" >"$tmp/good.xml"
if ! valid "$tmp/good.xml"; then
	echo "  JUNIT   FAIL self-check: a valid report is rejected:" >&2
	sed 's/^/    /' "$tmp/err" >&2
	fail=1
fi
# Each broken report: a sed expression that breaks the valid one.
while IFS='|' read -r what expr; do
	sed "$expr" "$tmp/good.xml" >"$tmp/bad.xml"
	if cmp -s "$tmp/good.xml" "$tmp/bad.xml"; then
		echo "  JUNIT   FAIL self-check: '$what' changes nothing" >&2
		fail=1
	elif valid "$tmp/bad.xml"; then
		echo "  JUNIT   FAIL self-check: the schema accepts a report with $what" >&2
		fail=1
	fi
done <<'EOF'
a testcase without its name|s/<testcase name="multiple_rules" /<testcase /
a testcase without its classname|s/ classname="falco_tests.yaml" time="0.004"//
a testsuite without its name|s/<testsuite name="falco_tests.yaml" /<testsuite /
a testsuite without tests|s/<testsuite name="falco_tests.yaml" tests="3" /<testsuite name="falco_tests.yaml" /
failures that is not a number|s/failures="1" errors="0" skipped="1" time="0.012" timestamp/failures="one" errors="0" skipped="1" time="0.012" timestamp/
a negative time|s/time="0.004"/time="-1"/
a timestamp that is not a date|s/timestamp="2026-12-07T16:04:12"/timestamp="yesterday"/
an unknown element in a testcase|s/<system-out>16/<stdout>16/;s/<\/system-out>$/<\/stdout>/
a failure outside a testcase|s/    <system-out\/>/    <failure message="x"\/>/
a root that is not testsuites|s/testsuites/results/g
text that is not XML|s/<\/testsuites>//
EOF

for f in "$@"; do
	case $f in /*) path=$f ;; *) path=$here/$f ;; esac
	if valid "$path"; then
		echo "  JUNIT   $f: valid"
	else
		echo "  JUNIT   FAIL $f:" >&2
		sed 's/^/    /' "$tmp/err" >&2
		fail=1
	fi
done
[ $fail = 0 ] && echo "  JUNIT   schema self-check passed${1:+, $# report(s) valid}"
exit $fail
