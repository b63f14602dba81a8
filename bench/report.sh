#!/usr/bin/env bash
# report.sh LOG OUTDIR [START CMD RULES] - turns the BENCH lines of a bench VM
# log into results.md (tables) and overhead.svg (gnuplot), in OUTDIR.
#
# Overhead of a scenario = median over rounds of (its ns/op - A's ns/op in
# the same round): pairing within a round cancels most of the drift of a
# shared, noisy host; the median drops the rounds another job disturbed.
set -eu
log=$1 dir=$2 start=${3:-?} cmd=${4:-?} rules=${5:-?}
mkdir -p "$dir"
md=$dir/results.md
dat=$dir/overhead.dat

LC_ALL=C awk -v dat="$dat" -v start="$start" -v cmd="$cmd" -v rules="$rules" '
function median(arr, n,    i, j, t, b) {
	for (i = 1; i <= n; i++) b[i] = arr[i]
	for (i = 2; i <= n; i++) { t = b[i]; for (j = i - 1; j >= 1 && b[j] > t; j--) b[j + 1] = b[j]; b[j + 1] = t }
	if (n == 0) return "nan"
	return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
}
function f(x) { return x == "nan" ? "-" : sprintf("%.0f", x) }
function r(a, b) { return (a == "nan" || b == "nan" || b <= 0) ? "-" : sprintf("%.2f", a / b) }
/^BENCH kernel/ { kernel = $3 }
/^BENCH op / {
	rd = $3; s = $4; op = $5; ns[rd, s, op] = $6; iters[op] = $7
	if (!(op in seenop)) { seenop[op] = 1; ops[++nops] = op }
	if (!(s in seens)) { seens[s] = 1; scs[++nscs] = s }
	if (rd > rounds) rounds = rd
}
/^BENCH load / { load[$3] = $0 }
/^BENCH alertpath / { ap[++nap] = $0 }
/^BENCH (mem|slab|rss|table_bytes|vmalloc) / { mem[++nmem] = substr($0, 7) }
/^BENCH error/ { err[++nerr] = substr($0, 7) }
END {
	name["A"] = "A no monitor"; name["B"] = "B empty probe (floor)"; name["C"] = "C Shrike + agent"
	name["D"] = "D Falco driver + sysdig"; name["E"] = "E auditd"
	printf "Kernel %s, %d rounds interleaved (A B C D E per round), started %s, rules %s.\n", kernel, rounds, start, rules
	printf "Command: `%s`.\n\n", cmd
	printf "### ns/op (median over rounds)\n\n| op | iterations |"
	for (k = 1; k <= nscs; k++) printf " %s |", name[scs[k]]
	printf "\n| --- | ---: |"; for (k = 1; k <= nscs; k++) printf " ---: |"; printf "\n"
	for (o = 1; o <= nops; o++) {
		op = ops[o]; printf "| %s | %s |", op, iters[op]
		for (k = 1; k <= nscs; k++) {
			n = 0; for (rd = 1; rd <= rounds; rd++) if ((rd, scs[k], op) in ns) v[++n] = ns[rd, scs[k], op]
			med[scs[k], op] = median(v, n); printf " %s |", f(med[scs[k], op])
		}
		printf "\n"
	}
	printf "\n### Added ns/op over no monitor (median of per-round differences)\n\n| op |"
	for (k = 2; k <= nscs; k++) printf " %s |", name[scs[k]]
	printf " C / floor | C / Falco+sysdig | C / audit |\n| --- |"
	for (k = 2; k <= nscs; k++) printf " ---: |"; printf " ---: | ---: | ---: |\n"
	for (o = 1; o <= nops; o++) {
		op = ops[o]; printf "| %s |", op
		for (k = 2; k <= nscs; k++) {
			n = 0; for (rd = 1; rd <= rounds; rd++) if ((rd, scs[k], op) in ns && (rd, "A", op) in ns) v[++n] = ns[rd, scs[k], op] - ns[rd, "A", op]
			ov[scs[k], op] = median(v, n); printf " %s (%s%%) |", f(ov[scs[k], op]), (med["A", op] > 0 && ov[scs[k], op] != "nan") ? sprintf("%+.0f", 100 * ov[scs[k], op] / med["A", op]) : "-"
		}
		printf " %s | %s | %s |\n", r(ov["C", op], ov["B", op]), r(ov["C", op], ov["D", op]), r(ov["C", op], ov["E", op])
		printf "%s", op > dat
		for (k = 2; k <= nscs; k++) printf " %s", (ov[scs[k], op] == "nan" ? 0 : ov[scs[k], op] / 1000) > dat
		printf "\n" > dat
	}
	printf "\nPer-round ns/op (A B C D E):\n\n```\n"
	for (o = 1; o <= nops; o++) for (rd = 1; rd <= rounds; rd++) {
		printf "%-15s r%d", ops[o], rd
		for (k = 1; k <= nscs; k++) printf " %10s", ((rd, scs[k], ops[o]) in ns) ? ns[rd, scs[k], ops[o]] : "-"
		printf "\n"
	}
	printf "```\n\n### Under load\n\n```\n"
	for (s in load) print load[s]
	printf "```\n\n### Alert path (Shrike)\n\n```\n"
	for (i = 1; i <= nap; i++) print ap[i]
	printf "```\n\n### Memory\n\n```\n"
	for (i = 1; i <= nmem; i++) print mem[i]
	printf "```\n"
	for (i = 1; i <= nerr; i++) printf "\nERROR: %s\n", err[i]
}' "$log" >"$md"
grep -ah '^BENCH \(stats\|sysdigsummary\|auditstatus\|json\)' "$log" | sed 's/^BENCH /    /' >>"$md" || true

if command -v gnuplot >/dev/null && [ -s "$dat" ]; then
	gnuplot <<GP
set terminal svg size 900,480 dynamic font "sans,12"
set output "$dir/overhead.svg"
set title "Added µs per syscall over no monitor (median, $(awk '/^BENCH kernel/ {print $3}' "$log"), TCG)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.01:*]
set ylabel "µs added per op (log scale)"
set key top left
set grid ytics
plot "$dat" using (\$2 > 0 ? \$2 : 0.01):xtic(1) title "empty probe (floor)", \
     "" using (\$3 > 0 ? \$3 : 0.01) title "Shrike + agent", \
     "" using (\$4 > 0 ? \$4 : 0.01) title "Falco driver + sysdig", \
     "" using (\$5 > 0 ? \$5 : 0.01) title "auditd"
GP
fi
echo "  REPORT  $md${dat:+, $dir/overhead.svg}"
cat "$md"
