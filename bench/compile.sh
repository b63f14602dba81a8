#!/usr/bin/env bash
# compile.sh - benchmark (not a test): how long shrikec takes to compile a
# rules file and how big the table is. Median of N runs of the whole process
# (load, expand, compile, verify, write). Usage: compile.sh [N] [FILES...]
set -eu
cd "$(dirname "$0")/.."
n=${1:-21}
shift || true
files=${*:-../shared/falco/falco_rules.yaml}
shrikec=build/bin/shrikec
[ -x $shrikec ] || { echo "build first: make programs" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for f in $files; do
	times=()
	for _ in $(seq "$n"); do
		s=$(date +%s%N)
		$shrikec compile -q "$f" -o "$out"
		e=$(date +%s%N)
		times+=($(( (e - s) / 1000 )))
	done
	med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p")
	rules=$($shrikec list "$f" | tail -n1 | cut -d' ' -f1)
	printf '%-45s %4s rules  %7d bytes (%5.1f KiB)  median %6.2f ms (%d runs)\n' \
		"$(basename "$f")" "$rules" "$(stat -c %s "$out")" \
		"$(echo "$(stat -c %s "$out") / 1024" | bc -l)" "$(echo "$med / 1000" | bc -l)" "$n"
done
