#!/usr/bin/env bash
# tests/style/shellcheck.sh - runs shellcheck on every shell script of the
# repository: the tracked files (git ls-files, so a clean clone has them all)
# named *.sh or starting with a sh or bash shebang. It checks from the
# repository root, which .shellcheckrc and the "# shellcheck source="
# directives are relative to, following sourced files (-x). Any finding
# fails it. Usage: bash tests/style/shellcheck.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v shellcheck >/dev/null || { echo "shellcheck: not installed (apt-get install shellcheck)" >&2; exit 1; }

scripts=()
while IFS= read -r -d '' f; do
	[ -f "$f" ] || continue
	case $f in
	*.sh) scripts+=("$f"); continue ;;
	esac
	# The first line only, NUL bytes (binary files) dropped.
	first=$(head -c 128 "$f" | tr -d '\0' | head -n1)
	case $first in
	'#!/bin/sh'* | '#!/bin/bash'* | '#!/bin/dash'* | '#!/usr/bin/env bash'* | '#!/usr/bin/env sh'*)
		scripts+=("$f") ;;
	esac
done < <(git ls-files -z)
[ ${#scripts[@]} -gt 0 ] || { echo "shellcheck: no shell scripts found (not a git checkout?)" >&2; exit 1; }

if shellcheck -x "${scripts[@]}"; then
	echo "shellcheck: ${#scripts[@]} scripts clean"
else
	echo "shellcheck: findings above (${#scripts[@]} scripts checked)" >&2
	exit 1
fi
