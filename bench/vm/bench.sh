# shellcheck shell=sh
# bench: the benchmark scenario (bench/run.sh boots it; not part of make
# check). Every measurement prints one "BENCH ..." line for bench/report.sh.
# Scenarios, interleaved per round: A no monitor, B empty sys_enter/sys_exit
# probes, C*, S*, O*, X* shrike.ko + shrike-agent with one rule set each (C
# the default rules, C1 one rule, CF Falco's stable rules, SN ON XN the
# sweep's N synthetic rules: RULESETS), D Falco's scap.ko + sysdig, E auditd.
# The sweep's scenarios measure SWEEP_OPS only.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh
# shellcheck disable=SC1091 # made by bench/run.sh or bench/profile.sh for the guest
. /bench/params
set +e

echo "BENCH kernel $(uname -r)"
echo "BENCH rules $RULES"
echo "BENCH commit $COMMIT"
echo "BENCH host_load_at_start $HOST_LOAD"
echo "BENCH scenarios $SCENARIOS"
mkdir -p /var/run /var/log/audit /tmp/audit
echo x >/etc/bench-ready

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
stamp() { echo "BENCH time $1 $(cut -d' ' -f1 /proc/uptime)"; }

# The monitor is ready when an alert it produced shows up in its output:
# one for PATTERN (default bench-ready, a write below /etc) after TRIGGER
# (default: that write) runs.
ready() {
	out=$1 what=$2 pat=${3:-bench-ready} i=0
	shift 2
	[ $# -gt 0 ] && shift
	while ! grep -q "$pat" "$out" 2>/dev/null; do
		if [ $# -gt 0 ]; then "$@" >/dev/null 2>&1; else echo x >/etc/bench-ready; fi
		i=$((i + 1))
		[ $i -ge 600 ] && { echo "BENCH error $what not ready"; return 1; }
		sleep 0.1
	done
}

# The rule file of a Shrike scenario (C1, CF, S100, ...).
rules_of() {
	for rs in $RULESETS; do
		[ "${rs%%=*}" = "$1" ] && { echo "${rs#*=}"; return; }
	done
	echo "$RULES"
}

up_A() { :; }
down_A() { :; }

up_B() { insmod /lib/modules/emptyprobe.ko; }
down_B() { rmmod emptyprobe; }

# C*, S*: module reloaded each time, so no state carries over between
# scenarios or rounds. Falco's stable rules have no rule for writes below
# /etc: their readiness alert is an /etc/shadow read (Read sensitive file
# untrusted), as the falco_rules VM scenario makes it.
up_shrike() {
	insmod /lib/modules/shrike.ko
	shrike-agent -r "$(rules_of "$1")" >/tmp/c.out 2>/tmp/c.err &
	mon=$!
	case $(rules_of "$1") in
	/falco/*) ready /tmp/c.out "shrike-agent ($1)" /etc/shadow shrike-eventgen read_sensitive_file ;;
	*) ready /tmp/c.out "shrike-agent ($1)" ;;
	esac
}
down_shrike() {
	kill "$mon"; wait "$mon"
	rmmod shrike
}
up_C() { up_shrike C; }
down_C() { down_shrike; }
up() { case $1 in C?* | [SOX][0-9]*) up_shrike "$1" ;; *) "up_$1" ;; esac; }
down() { case $1 in C?* | [SOX][0-9]*) down_shrike ;; *) "down_$1" ;; esac; }

up_D() {
	insmod /lib/modules/scap.ko
	# --unbuffered: an alert is written when it happens, as Falco and shrike-agent do.
	sysdig -v --unbuffered -p"$SYSDIG_FORMAT" "$SYSDIG_FILTER" >/tmp/d.out 2>/tmp/d.err &
	mon=$!
	ready /tmp/d.out sysdig
}
down_D() {
	kill -INT $mon; wait $mon
	rmmod scap
}

up_E() {
	auditctl -D >/dev/null
	auditd -n -c /etc/audit &
	mon=$!
	auditctl -b 8192 >/dev/null
	while read -r rule; do
		# shellcheck disable=SC2086 # the rule: auditctl's options, a word each
		[ -n "$rule" ] && auditctl $rule
	done </bench/audit.rules
	auditctl -e 1 >/dev/null
	ready /tmp/audit/audit.log auditd
}
# Once audit was ever enabled, every new task gets an audit context (and the
# syscall slow path) unless a task rule says never: without it E would tax
# every later A-D round.
down_E() {
	auditctl -D >/dev/null
	auditctl -a task,never
	auditctl -e 0 >/dev/null
	kill $mon; wait $mon
}

# ---- 0. the rule sets: rules and table bytes, as the guest's shrikec sees them
for rs in $RULESETS; do
	case " $SCENARIOS " in *" ${rs%%=*} "*) ;; *) continue ;; esac
	echo "BENCH ruleset ${rs%%=*} ${rs#*=} $(shrikec compile "${rs#*=}" -o /tmp/rules.tbl 2>&1 | head -n1)"
done

# ---- 1. per-syscall cost, interleaved ----------------------------------------
stamp per_syscall
r=1
while [ $r -le "$ROUNDS" ]; do
	for s in $SCENARIOS; do
		ops=$OPS
		case $s in [SOX][0-9]*) ops=$SWEEP_OPS ;; esac
		up "$s" || { echo "BENCH error setup $s"; down "$s"; continue; }
		# shellcheck disable=SC2086 # an operation per word
		syscall_bench -s "$SCALE" $ops | while read -r _ op ns n; do
			echo "BENCH op $r $s $op $ns $n"
		done
		down "$s"
		rm -f /etc/shrike-bench-write
	done
	stamp "round_$r"
	r=$((r + 1))
done

# ---- 2. a whole workload, interleaved ----------------------------------------
stamp workload
# shellcheck source=bench/vm/workload.sh
. ./workload.sh
workload_setup
r=1
while [ $r -le "${WORKLOAD_ROUNDS:-5}" ]; do
	for s in ${WORKLOAD_SCENARIOS:-A C CF D E}; do
		up "$s" || { echo "BENCH error setup $s"; down "$s"; continue; }
		echo "BENCH workload $r $s $(workload_run)"
		down "$s"
		rm -f /etc/shrike-bench-write
	done
	r=$((r + 1))
done

# ---- 3. end to end under load ------------------------------------------------
stamp load
# Two generators (one per vCPU) make the consumer compete for CPU as on a
# busy node; one in EVERY iterations writes below /etc (an alert).
# audit writes two PATH records (parent and file) and a SYSCALL one per event.
alerts_in() {
	case $1 in
	*audit.log) grep -c 'name="/etc/shrike-bench-write".*nametype=\(NORMAL\|CREATE\)' "$1" ;;
	*) grep -c shrike-bench-write "$1" ;;
	esac 2>/dev/null || true
}
for s in $LOAD_SCENARIOS; do
	"up_$s" || { echo "BENCH error setup $s"; "down_$s"; continue; }
	case $s in
	C) out=/tmp/c.out; shrike-agent --stats >/tmp/stats0 ;;
	D) out=/tmp/d.out ;;
	E) out=/tmp/audit/audit.log; lost0=$(auditctl -s | awk '$1 == "lost" {print $2}') ;;
	*) out=/dev/null; mon= ;;
	esac
	before=$(alerts_in $out)
	t0=0; [ -n "$mon" ] && t0=$(cpu_ticks "$mon")
	syscall_bench load "$LOAD_SECS" "$LOAD_EVERY" >/tmp/g1 &
	g1=$!
	syscall_bench load "$LOAD_SECS" "$LOAD_EVERY" >/tmp/g2 &
	g2=$!
	wait $g1 $g2
	t1=0; [ -n "$mon" ] && t1=$(cpu_ticks "$mon")
	# Let the consumer catch up; its CPU until then counts too.
	prev=-1 i=0
	while [ $i -lt 300 ]; do
		n=$(alerts_in $out)
		[ "$n" = "$prev" ] && break
		prev=$n; i=$((i + 1)); sleep 1
	done
	t2=0 rss=0; [ -n "$mon" ] && { t2=$(cpu_ticks "$mon"); rss=$(rss_kb "$mon"); }
	made=$(cat /tmp/g1 /tmp/g2 | awk '{a += $7} END {print a}')
	sys=$(cat /tmp/g1 /tmp/g2 | awk '{a += $5} END {print a}')
	got=$(( $(alerts_in $out) - before ))
	drops=0
	case $s in
	C) shrike-agent --stats >/tmp/stats1
	   drops=$(awk 'NR == FNR && $1 ~ /^drops_/ {b += $2; next} $1 ~ /^drops_/ {a += $2} END {print a - b}' /tmp/stats0 /tmp/stats1)
	   sed 's/^/BENCH stats /' /tmp/stats1 ;;
	E) lost1=$(auditctl -s | awk '$1 == "lost" {print $2}'); drops=$((lost1 - lost0))
	   auditctl -s | sed 's/^/BENCH auditstatus /' ;;
	esac
	"down_$s"
	[ "$s" = D ] && { drops=$(sed -n 's/.*Driver Drops:[ ]*\([0-9]*\).*/\1/p' /tmp/d.out /tmp/d.err | tail -n1)
		grep -h 'Driver\|Events' /tmp/d.out /tmp/d.err | sed 's/^/BENCH sysdigsummary /'; }
	# monitor-cpu-ticks: during the load, then including the catch-up; 100 ticks a second.
	echo "BENCH load $s syscalls $sys alerts_made $made alerts_got $got drops ${drops:-?} cpu_ticks $((t1 - t0)) cpu_ticks_total $((t2 - t0)) rss_kb $rss secs $LOAD_SECS catchup_s $i"
	rm -f /etc/shrike-bench-write
done

# ---- 4. alert path: alerts/s kernel -> JSON with nothing lost ----------------
stamp alert_path
insmod /lib/modules/shrike.ko
shrike-agent -r "$RULES" -o json_output=true >/tmp/ap.out 2>/tmp/ap.err &
mon=$!
ready /tmp/ap.out shrike-agent
for rate in $ALERT_RATES; do
	shrike-agent --stats >/tmp/stats0
	before=$(alerts_in /tmp/ap.out)
	t0=$(cpu_ticks $mon)
	syscall_bench rate "$rate" "$ALERT_SECS" >/tmp/g1
	prev=-1 i=0
	while [ $i -lt 120 ]; do
		n=$(alerts_in /tmp/ap.out)
		[ "$n" = "$prev" ] && break
		prev=$n; i=$((i + 1)); sleep 1
	done
	shrike-agent --stats >/tmp/stats1
	drops=$(awk 'NR == FNR && $1 ~ /^drops_/ {b += $2; next} $1 ~ /^drops_/ {a += $2} END {print a - b}' /tmp/stats0 /tmp/stats1)
	read -r _ _ _ _ made _ secs </tmp/g1
	echo "BENCH alertpath target $rate made $made secs $secs got $(( $(alerts_in /tmp/ap.out) - before )) drops $drops cpu_ticks $(( $(cpu_ticks $mon) - t0 )) catchup_s $i"
	rm -f /etc/shrike-bench-write
done
tail -n1 /tmp/ap.out | sed 's/^/BENCH json /'
kill $mon; wait $mon
rmmod shrike

# ---- 5. memory -----------------------------------------------------------------
stamp memory
mem() { awk '/^(Slab|VmallocUsed|Percpu|MemAvailable):/ {printf "%s=%s ", $1, $2}' /proc/meminfo; }
slab() { awk '$1 == "shrike_task" {print $2, $3, $4}' /proc/slabinfo; }
sync; echo 3 >/proc/sys/vm/drop_caches
echo "BENCH mem base $(mem)"
insmod /lib/modules/shrike.ko
echo "BENCH mem module $(mem) lsmod=$(awk '$1 == "shrike" {print $2}' /proc/modules)"
shrikec compile -q "$RULES" -o /tmp/rules.tbl
echo "BENCH table_bytes $(wc -c </tmp/rules.tbl)"
shrike-agent --load-table /tmp/rules.tbl >/dev/null
echo "BENCH mem table $(mem)"
grep shrike /proc/vmallocinfo | sed 's/^/BENCH vmalloc /'
shrike-agent --unload-table >/dev/null
echo "BENCH mem unloaded $(mem)"
echo "BENCH slab before $(slab)"
i=0; pids=
while [ $i -lt 200 ]; do sleep 60 & pids="$pids $!"; i=$((i + 1)); done
sleep 1
echo "BENCH slab tasks200 $(slab)"
# shellcheck disable=SC2086 # a pid per word
kill $pids; wait 2>/dev/null
shrike-agent -r "$RULES" >/tmp/m.out 2>/tmp/m.err &
mon=$!
ready /tmp/m.out shrike-agent
sleep 1
echo "BENCH rss agent $(rss_kb $mon)"
kill $mon; wait $mon
rmmod shrike
insmod /lib/modules/scap.ko
sysdig --unbuffered -p"$SYSDIG_FORMAT" "$SYSDIG_FILTER" >/tmp/d.out 2>/tmp/d.err &
mon=$!
ready /tmp/d.out sysdig
sleep 1
echo "BENCH rss sysdig $(rss_kb $mon) $(mem)"
kill -INT $mon; wait $mon
rmmod scap
stamp end
echo "BENCH done"
