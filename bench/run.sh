#!/usr/bin/env bash
# run.sh - make bench: what Shrike costs with several rule sets beside Falco's
# driver + sysdig and Linux audit, in one boot of the 6.1 guest (Debian's 2022
# Falco driver builds for 6.1 only). Installs the peers (bench/deps.sh),
# builds the benchmark, the empty probe and scap.ko for that kernel into
# $BUILD/bench, generates the sweep's rule files (bench/gen_rules.sh), boots
# bench/vm/bench.sh through tests/vm/run.sh and writes the raw log, the
# tables and plots (bench/report.sh) to $BUILD/bench/results/.
#
# Shrike's rule sets: C the default rules (RULES), C1 one rule
# (bench/rules/one_rule.yaml), CF Falco's stable rules as Falco ships them
# (../shared/falco/falco_rules.yaml beside the checkout, which tests/vm/run.sh
# copies into the guest; CF is left out when it is missing), and the
# rule-count sweep (bench/gen_rules.sh; its 1-rule point is C1): SN the
# write-below-/etc rule and N-1 rules that never match, half on openat for
# other paths, half on other syscalls; ON all on openat; XN all on other
# syscalls; N in SWEEP, the families in SWEEP_KINDS.
#
# Environment: BUILD (default build), BENCH_KERNEL (default: the newest
# installed 6.1 cloud kernel with headers), ROUNDS (default 7), SCALE
# (iteration counts, 1 = sized for TCG), SCENARIOS (default all),
# SWEEP (default "10 100 1000"), SWEEP_KINDS (default "S O X"), LOAD_SECS,
# RULES (a rules file in the tree; default rules/shrike_rules.yaml when
# present, else the VM rig's), BENCH_KVM=1 (KVM instead of TCG).
set -eu
cd "$(dirname "$0")/.."
top=$PWD
bdir=${BUILD:-build}
case $bdir in /*) ;; *) bdir=$top/$bdir ;; esac
kver=${BENCH_KERNEL:-}
# As the Makefile: the newest 6.1 cloud kernel with headers and an image.
[ -n "$kver" ] || kver=$(for h in /usr/src/linux-headers-6.1.0-*-cloud-amd64; do
	k=${h#/usr/src/linux-headers-}
	[ -f "/boot/vmlinuz-$k" ] && echo "$k"
done | sort -V | tail -n1)
[ -n "$kver" ] || { echo "bench: no 6.1 cloud kernel with headers and /boot/vmlinuz: run make deps" >&2; exit 1; }
kdir=/usr/src/linux-headers-$kver
out=$bdir/bench
rounds=${ROUNDS:-7}
sweep=${SWEEP:-10 100 1000}
falco_rules=$top/../shared/falco/falco_rules.yaml
# The command as given, for the results.
cmd="make BUILD=${BUILD:-build} bench"
for v in ROUNDS SCALE SCENARIOS SWEEP SWEEP_KINDS OPS SWEEP_OPS RULES LOAD_SCENARIOS LOAD_SECS LOAD_EVERY ALERT_RATES ALERT_SECS BENCH_KVM; do
	val=${!v:-}
	[ -z "$val" ] || case $val in *' '*) cmd="$cmd $v=\"$val\"" ;; *) cmd="$cmd $v=$val" ;; esac
done

[ -d "$kdir" ] || { echo "bench: no headers for $kver ($kdir): run make deps" >&2; exit 1; }
[ -f "/boot/vmlinuz-$kver" ] || { echo "bench: no /boot/vmlinuz-$kver: run make deps" >&2; exit 1; }
{ [ -f "$bdir/kmod/$kver/shrike.ko" ] && [ -x "$bdir/bin/shrike-agent" ]; } ||
	{ echo "bench: build first: make BUILD=${BUILD:-build} module programs" >&2; exit 1; }
BUILD=$bdir bash bench/deps.sh

if [ -z "${RULES:-}" ]; then
	RULES=tests/vm/rules/alerts.yaml
	[ -f rules/shrike_rules.yaml ] && RULES=rules/shrike_rules.yaml
fi
peer=bench/peers/$(basename "$RULES" .yaml)
{ [ -f "$peer.sysdig" ] && [ -f "$peer.audit" ]; } ||
	{ echo "bench: no equivalent sysdig filter and audit rules for $RULES ($peer.sysdig, $peer.audit)" >&2; exit 1; }
# Where the rig puts the file in the guest.
case $RULES in
rules/*) vm_rules=/$RULES ;;
tests/vm/rules/*) vm_rules=/scenarios/rules/${RULES#tests/vm/rules/} ;;
*) echo "bench: RULES must be below rules/ or tests/vm/rules/" >&2; exit 1 ;;
esac

mkdir -p "$out/bin" "$out/root/lib/modules" "$out/root/etc/audit/plugins.d" "$out/root/bench" "$out/results"
echo "  CC      syscall_bench, bench-true (static)"
gcc -O2 -static -Wall -Wextra -Werror -o "$out/bin/syscall_bench" bench/syscall_bench.c
gcc -O2 -static -nostdlib -Wall -Werror -o "$out/bin/bench-true" bench/true.c

# Kernel modules: copied next to their build so kbuild's files stay in $BUILD.
kbuild() {
	local name=$1 src=$2 dst=$out/kmod/$1/$kver
	if [ ! -f "$dst/$name.ko" ] || [ -n "$(find "$src" -newer "$dst/$name.ko" -type f | head -n1)" ]; then
		echo "  KBUILD  $name.ko for $kver"
		rm -rf "$dst" && mkdir -p "$dst" && cp -a "$src"/. "$dst"/
		make -C "$kdir" M="$dst" modules >"$dst/build.log" 2>&1 || { cat "$dst/build.log"; exit 1; }
	fi
	cp "$dst/$name.ko" "$out/root/lib/modules/"
}
kbuild emptyprobe bench/emptyprobe
. tests/kernels/lib.sh
scap=$(scap_build "$kver" "$bdir") || exit 1
cp "$scap" "$out/root/lib/modules/"

cp bench/audit/auditd.conf "$out/root/etc/audit/auditd.conf"
chmod 0640 "$out/root/etc/audit/auditd.conf"
cp "$peer.audit" "$out/root/bench/audit.rules"

# Shrike's rule sets: each must compile within the table format's limits
# (shrikec says which one it exceeds), here before the boot rather than as a
# missing scenario after it.
rm -rf "$out/root/bench/rules" && mkdir -p "$out/root/bench/rules"
cp bench/rules/one_rule.yaml "$out/root/bench/rules/"
sweep_scs="" rulesets=""
for k in ${SWEEP_KINDS:-S O X}; do
	case $k in
	S) kind=mixed ;; O) kind=openat ;; X) kind=other ;;
	*) echo "bench: SWEEP_KINDS are S (mixed), O (openat), X (other syscalls)" >&2; exit 1 ;;
	esac
	for n in $sweep; do
		bash bench/gen_rules.sh "$n" $kind >"$out/root/bench/rules/$kind$n.yaml"
		sweep_scs="$sweep_scs $k$n" rulesets="$rulesets $k$n=/bench/rules/$kind$n.yaml"
	done
done
scenarios=${SCENARIOS:-A B C1$sweep_scs C CF D E}
if [ ! -f "$falco_rules" ]; then
	case " $scenarios " in *" CF "*)
		echo "bench: no $falco_rules beside the checkout: scenario CF (Falco's stable rules) left out" >&2
		scenarios=$(echo "$scenarios" | sed 's/ CF / /; s/^CF //; s/ CF$//') ;;
	esac
fi
rulesets="C1=/bench/rules/one_rule.yaml C=$vm_rules CF=/falco/falco_rules.yaml$rulesets"
for rs in $rulesets; do
	case " $scenarios " in *" ${rs%%=*} "*) ;; *) continue ;; esac
	case ${rs#*=} in
	/bench/*) f=$out/root${rs#*=} ;;
	/falco/*) f=$falco_rules ;;
	*) f=$RULES ;;
	esac
	"$bdir/bin/shrikec" compile -q "$f" -o "$out/rules-${rs%%=*}.tbl" ||
		{ echo "bench: ${rs%%=*}: $f does not compile" >&2; exit 1; }
done

# What was measured: the checkout's commit, the last commit that changed
# Shrike's code or rules, and any uncommitted change to them.
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
code=$(git log -1 --format=%h -- kmod agent compiler rules 2>/dev/null || echo unknown)
changed=$(git status --porcelain -- kmod agent compiler rules 2>/dev/null | awk '{printf "%s%s", sep, $2; sep = ","}')
cat >"$out/root/bench/params" <<PARAMS
ROUNDS=$rounds
SCENARIOS="$scenarios"
OPS="${OPS:-getpid open_read open_write_etc fork_exec connect}"
SWEEP_OPS="${SWEEP_OPS:-getpid open_read}"
SCALE=${SCALE:-1}
RULES=$vm_rules
RULESETS="$rulesets"
COMMIT="$commit (kmod, agent, compiler, rules as of $code)${changed:+ + uncommitted changes in $changed}"
HOST_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
SYSDIG_FILTER='$(cat "$peer.sysdig")'
SYSDIG_FORMAT='%evt.num %evt.time %user.name %proc.cmdline %fd.name'
LOAD_SCENARIOS="${LOAD_SCENARIOS:-A C D E}"
LOAD_SECS=${LOAD_SECS:-10}
LOAD_EVERY=${LOAD_EVERY:-100}
ALERT_RATES="${ALERT_RATES:-50 100 200 500 1000 1000000}"
ALERT_SECS=${ALERT_SECS:-4}
PARAMS

echo "  BENCH   $rounds rounds of $scenarios on $kver, rules $RULES (commit $commit)"
start=$(date -u +%Y-%m-%dT%H:%MZ)
t0=$(date +%s)
# The host's load average while the guest runs, every 30 s: the machine is
# shared, and TCG's numbers move with what else runs on it.
while :; do echo "$(date +%s) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 30; done >"$out/results/loadavg.txt" &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT
# The guest runs under TCG, as the numbers are sized for and so that runs
# compare; BENCH_KVM=1 asks the rig for KVM. The rig of 210fa9e takes KVM
# whenever /dev/kvm is writable, and this machine's /dev/kvm (PVM, no
# VT-x/AMD-V) boots no stock kernel (qemu aborts on an MSR): so for TCG the
# rig also runs in a mount namespace where /dev/kvm is a read-only file.
# Later rigs take VM_ACCEL instead, and the namespace changes nothing there.
hide_kvm=
if [ "${BENCH_KVM:-0}" = 1 ]; then
	export VM_ACCEL=kvm
else
	export VM_ACCEL=tcg
	[ -e /dev/kvm ] && hide_kvm=1
fi
rig() {
	if [ -n "$hide_kvm" ]; then
		: >"$out/nokvm"
		# shellcheck disable=SC2016 # expanded by the inner shell
		unshare -m sh -c 'mount --bind "$1" /dev/kvm && mount -o remount,bind,ro /dev/kvm && shift && exec "$@"' sh "$out/nokvm" "$@"
	else
		"$@"
	fi
}
rc=0
VM_SCENARIO_DIR=bench/vm VM_TIMEOUT=${VM_TIMEOUT:-5400} \
	VM_EXTRA_PROGS="$out/bin/syscall_bench $out/bin/bench-true $(command -v sysdig) $out/pkg/sbin/auditd $out/pkg/sbin/auditctl" \
	VM_EXTRA_ROOT=$out/root BUILD=$bdir rig bash tests/vm/run.sh "$kver" bench || rc=$?
kill $sampler 2>/dev/null || true
log=$bdir/vm/$kver/bench.log
[ -f "$log" ] || exit 1
# The raw log, and what only the host knows: the load it saw, the wall time.
{
	cat "$log"
	awk '{print "BENCH host loadavg", $0}' "$out/results/loadavg.txt"
	echo "BENCH host loadavg_end $(date +%s) $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "BENCH host wall_s $(( $(date +%s) - t0 )) start $start cmd $cmd"
} >"$out/results/bench.log"
bash bench/report.sh "$out/results/bench.log" "$out/results" "$start" "$cmd" "$RULES"
exit $rc
