#!/usr/bin/env bash
# run.sh - make style: the checks a reviewer would otherwise do by eye, each
# printing file:line: message and failing on any finding.
#   clang-format   userspace C against .clang-format (clang-format.sh)
#   checkpatch     kmod/, the kernel's own checkpatch.pl (checkpatch.sh)
#   scripts        every shell script through shellcheck (shellcheck.sh)
#   layers         who includes whom, no include cycles, no file over 1,000
#                  lines (layers.py)
set -euo pipefail
cd "$(dirname "$0")/../.."

fail=0
run() {
	local name=$1
	shift
	printf '  %-7s %s\n' STYLE "$name"
	if ! "$@"; then
		echo "style: $name: findings above" >&2
		fail=1
	fi
}

run clang-format bash tests/style/clang-format.sh
run checkpatch bash tests/style/checkpatch.sh
run scripts bash tests/style/shellcheck.sh
run layers python3 tests/style/layers.py
exit $fail
