#!/usr/bin/env bash
# clang-format.sh - userspace C (everything outside kmod/) against the
# repository's .clang-format, with Debian bookworm's clang-format (14).
# Prints file:line:col: for each finding; fix with clang-format -i FILE.
set -euo pipefail
cd "$(dirname "$0")/../.."
mapfile -t files < <(git ls-files '*.c' '*.h' | grep -v '^kmod/')
if ! out=$(clang-format --dry-run -Werror "${files[@]}" 2>&1); then
	grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning)' <<<"$out" | head -n 40
	echo "fix with: clang-format -i FILE"
	exit 1
fi
