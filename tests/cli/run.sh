#!/usr/bin/env bash
# run.sh - golden tests of the command-line programs: each cases/NAME.cmd is
# one command line run from the repo root (TZ=UTC); its stdout, stderr and
# exit code must equal cases/NAME.out byte for byte. UPDATE=1 rewrites the
# .out files (review the diff before committing).
set -u
cd "$(dirname "$0")/../.." || exit
export TZ=UTC PATH="$PWD/${BUILD:-build}/bin:$PATH"
pass=0 fail=0
for cmd in tests/cli/cases/*.cmd; do
	name=$(basename "$cmd" .cmd)
	exp=tests/cli/cases/$name.out
	got=$(bash -c "$(cat "$cmd")" 2>&1; echo "exit $?")
	if [ -n "${UPDATE:-}" ]; then
		printf '%s\n' "$got" >"$exp"
	fi
	if [ "$got" = "$(cat "$exp" 2>/dev/null)" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "  CLI     FAIL $name: $(cat "$cmd")"
		diff -u "$exp" <(printf '%s\n' "$got") | sed 's/^/    /'
	fi
done
echo "  CLI     $pass passed, $fail failed"
[ $fail = 0 ]
