#!/usr/bin/env bash
# report.sh LOG OUTDIR [START CMD RULES] - turns the BENCH lines of a bench VM
# log into results.md (tables) and, with gnuplot, overhead.svg (added cost
# per op and scenario) and sweep.svg (added cost against the rule count), in
# OUTDIR. START, CMD and RULES are for logs that do not carry them.
#
# Added cost of a scenario = median over rounds of (its ns/op - A's ns/op in
# the same round); ratio to no monitor = median over rounds of (its ns/op /
# A's). Pairing within a round cancels most of the drift of a shared, noisy
# host; the median drops the rounds another job disturbed. Ratios of added
# costs (to the empty probe, to Falco's driver) are ratios of those medians.
set -eu
log=$1 dir=$2 start=${3:-?} cmd=${4:-?} rules=${5:-?}
mkdir -p "$dir"
md=$dir/results.md
dat=$dir/overhead.dat
sdat=$dir/sweep.dat
rm -f "$dat" "$sdat" "$sdat.kinds" "$dir/overhead.svg" "$dir/sweep.svg"

LC_ALL=C awk -v dat="$dat" -v sdat="$sdat" -v start="$start" -v cmd="$cmd" -v rules="$rules" '
function median(arr, n,    i, j, t, b) {
	for (i = 1; i <= n; i++) b[i] = arr[i]
	for (i = 2; i <= n; i++) { t = b[i]; for (j = i - 1; j >= 1 && b[j] > t; j--) b[j + 1] = b[j]; b[j + 1] = t }
	if (n == 0) return "nan"
	return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
}
function minof(arr, n,    i, m) { m = "nan"; for (i = 1; i <= n; i++) if (m == "nan" || arr[i] < m) m = arr[i]; return m }
function maxof(arr, n,    i, m) { m = "nan"; for (i = 1; i <= n; i++) if (m == "nan" || arr[i] > m) m = arr[i]; return m }
function f(x) { return x == "nan" ? "-" : sprintf("%.0f", x) }
function r(a, b) { return (a == "nan" || b == "nan" || b <= 0) ? "-" : sprintf("%.2f", a / b) }
# Per-round values of scenario s for op into v[]; returns how many. what:
# "ns", "diff" (minus A of the round) or "ratio" (over A of the round).
function rounds_of(s, op, what,    rd, n) {
	n = 0
	for (rd = 1; rd <= rounds; rd++) {
		if (!((rd, s, op) in ns)) continue
		if (what == "ns") { v[++n] = ns[rd, s, op]; continue }
		if (!((rd, "A", op) in ns) || ns[rd, "A", op] <= 0) continue
		v[++n] = what == "diff" ? ns[rd, s, op] - ns[rd, "A", op] : ns[rd, s, op] / ns[rd, "A", op]
	}
	return n
}
function label(s) {
	if (s in name) return name[s]
	if (s ~ /^S[0-9]+$/) return s " Shrike, " substr(s, 2) " rules, mixed"
	if (s ~ /^O[0-9]+$/) return s " Shrike, " substr(s, 2) " rules, openat"
	if (s ~ /^X[0-9]+$/) return s " Shrike, " substr(s, 2) " rules, other syscalls"
	return s
}
/^BENCH kernel/ { kernel = $3 }
/^BENCH rules / { if (rules == "?") rules = $3 }
/^BENCH commit / { commit = substr($0, 14) }
/^BENCH host_load_at_start / { load0 = $3 " " $4 " " $5 }
/^BENCH host loadavg / { nla++; if (nla == 1) la0 = $4; la1[nla] = $5; la[nla] = sprintf("%5.1f min  %s %s %s", ($4 - la0) / 60, $5, $6, $7) }
/^BENCH host loadavg_end / { load1 = $5 " " $6 " " $7 }
/^BENCH host wall_s / { wall = $4; if (start == "?") start = $6; if (cmd == "?") cmd = substr($0, index($0, " cmd ") + 5) }
/^BENCH ruleset / { rsfile[$3] = $4; rsrules[$3] = $6; rsbytes[$3] = $8 }
/^BENCH time / { at[$3] = $4 }
/^BENCH op / {
	rd = $3; s = $4; op = $5; ns[rd, s, op] = $6; iters[op] = $7
	if (!(op in seenop)) { seenop[op] = 1; ops[++nops] = op }
	if (!(s in seens)) { seens[s] = 1; scs[++nscs] = s }
	if (rd > rounds) rounds = rd
}
/^BENCH workload / { wl[$3, $4] = $5; if (!($4 in wseen)) { wseen[$4] = 1; wsc[++nwsc] = $4 }; if ($3 > wrounds) wrounds = $3 }
/^BENCH load / { load[++nload] = $0 }
/^BENCH alertpath / { ap[++nap] = $0 }
/^BENCH (mem|slab|rss|table_bytes|vmalloc) / { mem[++nmem] = substr($0, 7) }
/^BENCH error/ { err[++nerr] = substr($0, 7) }
END {
	name["A"] = "A no monitor"; name["B"] = "B empty probe (floor)"
	name["C"] = "C Shrike, default rules" ("C" in rsrules ? " (" rsrules["C"] ")" : "")
	name["C1"] = "C1 Shrike, 1 rule"
	name["CF"] = "CF Shrike, Falco stable rules" ("CF" in rsrules ? " (" rsrules["CF"] ")" : "")
	name["D"] = "D Falco driver + sysdig"; name["E"] = "E auditd"
	opname["getpid"] = "getpid"; opname["open_read"] = "openat+close /tmp, no match"
	opname["open_write_etc"] = "openat write /etc (alert)"; opname["fork_exec"] = "fork+exec"
	opname["connect"] = "socket+connect+close"

	printf "Kernel %s, %d rounds interleaved (%s per round), started %s, default rules %s.\n", kernel, rounds, scs_list(), start, rules
	printf "Command: `%s`.\n", cmd
	if (commit != "") printf "Shrike (shrike.ko, shrike-agent, shrikec) from commit %s.\n", commit
	if (load0 != "" || nla) {
		for (i = 1; i <= nla; i++) v[i] = la1[i]
		printf "Host load average (1, 5, 15 min): %s at the start", load0 != "" ? load0 : "?"
		if (nla) printf "; 1-min average every 30 s during the run: min %s, median %s, max %s", minof(v, nla), median(v, nla), maxof(v, nla)
		if (load1 != "") printf "; %s at the end", load1
		printf ".\n"
	}
	if (wall != "") printf "Wall time %d min %d s (host: initramfs, boot, all sections).\n", wall / 60, wall % 60
	if (("per_syscall" in at) && ("end" in at)) {
		printf "Guest time: from boot to the first measurement %.0f s, per-syscall cost %.0f s (%.0f s a round), under load %.0f s, alert path %.0f s, memory %.0f s.\n",
			at["per_syscall"], at["load"] - at["per_syscall"], (at["round_" rounds] - at["per_syscall"]) / rounds,
			at["alert_path"] - at["load"], at["memory"] - at["alert_path"], at["end"] - at["memory"]
	}
	if (length(rsfile)) {
		printf "\nRule sets (rules as shrikec counts them, table bytes):"
		for (k = 1; k <= nscs; k++) if (scs[k] in rsfile) printf " %s %s (%s rules, %s B);", scs[k], rsfile[scs[k]], rsrules[scs[k]], rsbytes[scs[k]]
		printf "\n"
	}

	printf "\n### ns/op (median over rounds)\n\n| scenario |"
	for (o = 1; o <= nops; o++) printf " %s |", opname[ops[o]] != "" ? opname[ops[o]] : ops[o]
	printf "\n| --- |"; for (o = 1; o <= nops; o++) printf " ---: |"; printf "\n| iterations |"
	for (o = 1; o <= nops; o++) printf " %s |", iters[ops[o]]
	printf "\n"
	for (k = 1; k <= nscs; k++) {
		printf "| %s |", label(scs[k])
		for (o = 1; o <= nops; o++) { n = rounds_of(scs[k], ops[o], "ns"); printf " %s |", f(median(v, n)) }
		printf "\n"
	}

	printf "\n### Ratio to no monitor (median over rounds of ns/op over A'"'"'s in the same round)\n\n| scenario |"
	for (o = 1; o <= nops; o++) printf " %s |", opname[ops[o]] != "" ? opname[ops[o]] : ops[o]
	printf "\n| --- |"; for (o = 1; o <= nops; o++) printf " ---: |"; printf "\n"
	for (k = 2; k <= nscs; k++) {
		printf "| %s |", label(scs[k])
		for (o = 1; o <= nops; o++) { n = rounds_of(scs[k], ops[o], "ratio"); x = median(v, n); printf " %s |", x == "nan" ? "-" : sprintf("%.2f", x) }
		printf "\n"
	}

	printf "\n### Added ns/op over no monitor (median of per-round differences; min..max over rounds)\n\n| scenario |"
	for (o = 1; o <= nops; o++) printf " %s |", opname[ops[o]] != "" ? opname[ops[o]] : ops[o]
	printf "\n| --- |"; for (o = 1; o <= nops; o++) printf " ---: |"; printf "\n"
	for (k = 2; k <= nscs; k++) {
		printf "| %s |", label(scs[k])
		for (o = 1; o <= nops; o++) {
			n = rounds_of(scs[k], ops[o], "diff"); ov[scs[k], ops[o]] = median(v, n)
			ovmin[scs[k], ops[o]] = minof(v, n); ovmax[scs[k], ops[o]] = maxof(v, n)
			printf " %s |", n ? sprintf("%s (%s..%s)", f(ov[scs[k], ops[o]]), f(ovmin[scs[k], ops[o]]), f(ovmax[scs[k], ops[o]])) : "-"
		}
		printf "\n"
	}

	printf "\n### Added cost relative to the empty probe (getpid) and to Falco'"'"'s driver + sysdig (openat no match)\n\n"
	printf "| scenario | getpid added ns | / empty probe'"'"'s | openat+close /tmp added ns | / Falco driver + sysdig'"'"'s |\n| --- | ---: | ---: | ---: | ---: |\n"
	for (k = 2; k <= nscs; k++) {
		s = scs[k]
		printf "| %s | %s | %s | %s | %s |\n", label(s), f(ov[s, "getpid"]), s == "B" ? "1" : r(ov[s, "getpid"], ov["B", "getpid"]), f(ov[s, "open_read"]), s == "D" ? "1" : r(ov[s, "open_read"], ov["D", "open_read"])
	}
	printf "\n(\"-\": the denominator is not above zero, i.e. within noise, or the case was not measured.)\n"

	# The sweep: C1 is the 1-rule point of each family.
	kinds = "S O X"; split(kinds, kk, " ")
	kname["S"] = "mixed"; kname["O"] = "openat, other paths"; kname["X"] = "other syscalls"
	nn = 0
	for (k = 1; k <= nscs; k++) if (scs[k] ~ /^[SOX][0-9]+$/) {
		nr = substr(scs[k], 2) + 0; fam[substr(scs[k], 1, 1)] = 1
		if (!(nr in seenn)) { seenn[nr] = 1; sn[++nn] = nr }
	}
	if (nn) {
		sn[++nn] = 1
		for (i = 2; i <= nn; i++) { t = sn[i]; for (j = i - 1; j >= 1 && sn[j] > t; j--) sn[j + 1] = sn[j]; sn[j + 1] = t }
		printf "\n### Rule-count sweep: added ns/op against the number of rules (median; min..max over rounds)\n\n"
		printf "Each set is the write-below-/etc rule (C1, the 1-rule point) plus N-1 rules that never match (bench/gen_rules.sh): "
		printf "S mixed (every second rule on openat for another path, the others on mkdir, unlink, rename, execve), "
		printf "O all on openat for other paths, X all on other syscalls.\n\n| rules |"
		for (q = 1; q <= 3; q++) if (kk[q] in fam) printf " openat+close, %s |", kname[kk[q]]
		for (q = 1; q <= 3; q++) if (kk[q] in fam) printf " getpid, %s |", kname[kk[q]]
		printf "\n| ---: |"
		for (q = 1; q <= 3; q++) if (kk[q] in fam) printf " ---: | ---: |"
		printf "\n"
		for (i = 1; i <= nn; i++) {
			nr = sn[i]; printf "| %d |", nr; printf "%d", nr > sdat
			for (p = 1; p <= 2; p++) for (q = 1; q <= 3; q++) if (kk[q] in fam) {
				s = nr == 1 ? "C1" : kk[q] nr; op = p == 1 ? "open_read" : "getpid"
				if ((s, op) in ov && ov[s, op] != "nan") {
					printf " %s (%s..%s) |", f(ov[s, op]), f(ovmin[s, op]), f(ovmax[s, op])
					printf " %s %s %s", ov[s, op], ovmin[s, op], ovmax[s, op] > sdat
				} else { printf " - |"; printf " ? ? ?" > sdat }
			}
			printf "\n"; printf "\n" > sdat
		}
		printf "\n"
		for (q = 1; q <= 3; q++) if (kk[q] in fam) {
			s = kk[q] sn[nn]
			if (("C1", "open_read") in ov && (s, "open_read") in ov && ov[s, "open_read"] != "nan" && ov["C1", "open_read"] != "nan")
				printf "Slope %s, 1 to %d rules: %.1f ns per rule for openat+close, %.2f ns per rule for getpid.\n", kname[kk[q]], sn[nn],
					(ov[s, "open_read"] - ov["C1", "open_read"]) / (sn[nn] - 1), (ov[s, "getpid"] - ov["C1", "getpid"]) / (sn[nn] - 1)
		}
		nfam = 0; for (q = 1; q <= 3; q++) if (kk[q] in fam) fams = fams (nfam++ ? " " : "") kk[q]
		print fams > (sdat ".kinds")
	}

	# The histogram: scenarios that ran every op.
	printf "op" > dat
	for (k = 2; k <= nscs; k++) if (scs[k] !~ /^[SOX][0-9]+$/) printf "\t\"%s\"", label(scs[k]) > dat
	printf "\n" > dat
	for (o = 1; o <= nops; o++) {
		printf "%s", ops[o] > dat
		for (k = 2; k <= nscs; k++) if (scs[k] !~ /^[SOX][0-9]+$/) printf "\t%s", (ov[scs[k], ops[o]] == "nan" ? 0 : ov[scs[k], ops[o]] / 1000) > dat
		printf "\n" > dat
	}

	printf "\nPer-round ns/op:\n\n```\n%-15s %3s", "op", "rd"
	for (k = 1; k <= nscs; k++) printf " %10s", scs[k]
	printf "\n"
	for (o = 1; o <= nops; o++) for (rd = 1; rd <= rounds; rd++) {
		printf "%-15s r%-2d", ops[o], rd
		for (k = 1; k <= nscs; k++) printf " %10s", ((rd, scs[k], ops[o]) in ns) ? ns[rd, scs[k], ops[o]] : "-"
		printf "\n"
	}
	printf "```\n"
	if (nwsc) {
		printf "\n### A whole workload (bench/vm/workload.sh: a make -j2-like build of 384 units, a package unpacked and removed)\n\n"
		printf "Seconds end to end (median over %d rounds) and the overhead over no monitor (median of per-round ratios).\n\n", wrounds
		printf "| scenario | seconds | overhead |\n| --- | ---: | ---: |\n"
		for (k = 1; k <= nwsc; k++) {
			s = wsc[k]; n = 0; m = 0
			for (rd = 1; rd <= wrounds; rd++) if ((rd, s) in wl) {
				wsec[++n] = wl[rd, s] / 100
				if ((rd, "A") in wl && wl[rd, "A"] > 0) wpct[++m] = (wl[rd, s] / wl[rd, "A"] - 1) * 100
			}
			printf "| %s | %.2f | %s |\n", label(s), median(wsec, n), s == "A" || !m ? "-" : sprintf("%+.1f%%", median(wpct, m))
			delete wsec; delete wpct
		}
		printf "\nPer round (centiseconds):"
		for (rd = 1; rd <= wrounds; rd++) { printf " r%d", rd; for (k = 1; k <= nwsc; k++) printf " %s=%s", wsc[k], ((rd, wsc[k]) in wl) ? wl[rd, wsc[k]] : "-"; printf ";" }
		printf "\n"
	}
	printf "\n### Under load\n\n```\n"
	for (i = 1; i <= nload; i++) print load[i]
	printf "```\n\n### Alert path (Shrike)\n\n```\n"
	for (i = 1; i <= nap; i++) print ap[i]
	printf "```\n\n### Memory\n\n```\n"
	for (i = 1; i <= nmem; i++) print mem[i]
	printf "```\n"
	if (nla) {
		printf "\n### Host load average during the run (time since the start; 1, 5, 15 min)\n\n```\n"
		for (i = 1; i <= nla; i++) print la[i]
		printf "```\n"
	}
	for (i = 1; i <= nerr; i++) printf "\nERROR: %s\n", err[i]
}
function scs_list(    k, l) { for (k = 1; k <= nscs; k++) l = l (k > 1 ? " " : "") scs[k]; return l }' "$log" >"$md"
grep -ah '^BENCH \(stats\|sysdigsummary\|auditstatus\|json\)' "$log" | sed 's/^BENCH /    /' >>"$md" || true

ncol=$(head -n1 "$dat" 2>/dev/null | awk -F'\t' '{print NF}')
if command -v gnuplot >/dev/null && [ "${ncol:-0}" -gt 1 ] && [ "$(wc -l <"$dat")" -gt 1 ]; then
	gnuplot <<GP
set terminal svg size 1100,500 dynamic font "sans,12" noenhanced
set output "$dir/overhead.svg"
set title "Added µs per op over no monitor (median, $(awk '/^BENCH kernel/ {print $3}' "$log"), TCG)"
set datafile separator "\t"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.01:*]
set ylabel "µs added per op (log scale)"
set key below
set grid ytics
plot for [i=2:$ncol] "$dat" using (column(i) > 0 ? column(i) : 0.01):xtic(1) title columnheader(i)
GP
fi
# sweep.dat: N, then per family (sweep.dat.kinds) openat's median min max,
# then per family getpid's.
if command -v gnuplot >/dev/null && [ -s "$sdat" ]; then
	read -r -a kinds <"$sdat.kinds"
	nk=${#kinds[@]}
	rm -f "$sdat.kinds"
	open_plot="" getpid_plot=""
	for i in "${!kinds[@]}"; do
		case ${kinds[$i]} in S) t="mixed" ;; O) t="openat, other paths" ;; X) t="other syscalls" ;; esac
		c=$((2 + 3 * i)) g=$((2 + 3 * (nk + i)))
		# Log scale: a minimum below 100 ns (noise, or below zero) is drawn at 100.
		open_plot="$open_plot${open_plot:+, }\"$sdat\" using 1:$c:(\$$((c + 1)) > 100 ? \$$((c + 1)) : 100):$((c + 2)) with yerrorlines title \"$t\""
		getpid_plot="$getpid_plot${getpid_plot:+, }\"$sdat\" using 1:$g:$((g + 1)):$((g + 2)) with yerrorlines title \"$t\""
	done
	gnuplot <<GP
set terminal svg size 1100,480 dynamic font "sans,12" noenhanced
set output "$dir/sweep.svg"
set datafile missing "?"
set multiplot layout 1,2 title "Shrike: ns added per op over no monitor against the rules loaded, none matching (median, min..max over rounds; $(awk '/^BENCH kernel/ {print $3}' "$log"), TCG)"
set logscale x
set xrange [0.7:$(awk 'END {print $1 * 1.5}' "$sdat")]
set xlabel "rules"
set ylabel "ns added per op"
set key top left
set grid
set title "openat+close of /tmp (log-log)"
set logscale y
set yrange [100:*]
set format y "%.0s%c"
plot $open_plot
set title "getpid"
unset logscale y
set yrange [*:*]
set format y "%g"
plot $getpid_plot
unset multiplot
GP
fi
echo "  REPORT  $md$(for p in overhead sweep; do [ -f "$dir/$p.svg" ] && printf ', %s' "$dir/$p.svg"; done)"
cat "$md"
