#!/usr/bin/env bash
# compile.sh - benchmark (not a test): how long shrikec takes to compile rule
# files and how big the table is. Whole process (start, load, expand,
# compile, verify, write), N runs under perf stat: CPU time (task-clock) and
# wall time, means. Usage: compile.sh [N] [FILES...]
set -eu
cd "$(dirname "$0")/.."
n=${1:-21}
shift || true
[ $# -gt 0 ] || set -- ../shared/falco/falco_rules.yaml
shrikec=build/bin/shrikec
[ -x $shrikec ] || { echo "build first: make programs" >&2; exit 1; }
command -v perf >/dev/null || { echo "needs perf (linux-perf)" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out" "$out.stat"' EXIT
printf '%-32s %6s %12s %14s %12s\n' file rules "table bytes" "cpu ms (mean)" "wall ms"
for f in "$@"; do
	perf stat -r "$n" -x, -e task-clock -o "$out.stat" $shrikec compile -q "$f" -o "$out"
	cpu=$(awk -F, '/task-clock/ {printf "%.2f", $1}' "$out.stat")
	# perf -x prints no wall time: time the same runs once more in bulk.
	s=$(date +%s%N)
	for _ in $(seq "$n"); do $shrikec compile -q "$f" -o "$out"; done
	wall=$(( ($(date +%s%N) - s) / n / 1000 ))
	rules=$($shrikec list "$f" | tail -n1 | cut -d' ' -f1)
	printf '%-32s %6s %12d %14s %12s\n' "$(basename "$f")" "$rules" "$(stat -c %s "$out")" \
		"$cpu" "$(printf '%d.%02d' $((wall / 1000)) $((wall % 1000 / 10)))"
done
