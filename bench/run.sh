#!/usr/bin/env bash
# run.sh - make bench: what Shrike costs beside Falco's driver + sysdig and
# Linux audit, in one boot of the 6.1 guest (Debian's 2022 Falco driver builds
# for 6.1 only). Installs the peers (bench/deps.sh), builds the benchmark, the
# empty probe and scap.ko for that kernel into $BUILD/bench, boots
# bench/vm/bench.sh through tests/vm/run.sh and writes the tables and plot
# (bench/report.sh) to $BUILD/bench/results/.
#
# Environment: BUILD (default build), BENCH_KERNEL, ROUNDS (default 5), SCALE
# (iteration counts, 1 = sized for TCG), LOAD_SECS, RULES (a rules file in the
# tree; default rules/shrike_rules.yaml when present, else the VM rig's).
set -eu
cd "$(dirname "$0")/.."
top=$PWD
bdir=${BUILD:-build}
case $bdir in /*) ;; *) bdir=$top/$bdir ;; esac
kver=${BENCH_KERNEL:-6.1.0-56-cloud-amd64}
kdir=/usr/src/linux-headers-$kver
out=$bdir/bench
rounds=${ROUNDS:-5}

[ -d "$kdir" ] || { echo "bench: no headers for $kver ($kdir): run make deps" >&2; exit 1; }
[ -f "$bdir/kmod/$kver/shrike.ko" ] && [ -x "$bdir/bin/shrike-agent" ] ||
	{ echo "bench: build first: make BUILD=${BUILD:-build} module programs" >&2; exit 1; }
BUILD=$bdir bash bench/deps.sh

if [ -z "${RULES:-}" ]; then
	RULES=tests/vm/rules/alerts.yaml
	[ -f rules/shrike_rules.yaml ] && RULES=rules/shrike_rules.yaml
fi
peer=bench/peers/$(basename "$RULES" .yaml)
[ -f "$peer.sysdig" ] && [ -f "$peer.audit" ] ||
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
kbuild scap "$(ls -d "$out"/pkg/usr/src/scap-* | head -n1)"

cp bench/audit/auditd.conf "$out/root/etc/audit/auditd.conf"
chmod 0640 "$out/root/etc/audit/auditd.conf"
cp "$peer.audit" "$out/root/bench/audit.rules"
cat >"$out/root/bench/params" <<PARAMS
ROUNDS=$rounds
SCENARIOS="${SCENARIOS:-A B C D E}"
OPS="${OPS:-getpid open_read open_write_etc fork_exec connect}"
SCALE=${SCALE:-1}
RULES=$vm_rules
SYSDIG_FILTER='$(cat "$peer.sysdig")'
SYSDIG_FORMAT='%evt.num %evt.time %user.name %proc.cmdline %fd.name'
LOAD_SCENARIOS="${LOAD_SCENARIOS:-A C D E}"
LOAD_SECS=${LOAD_SECS:-10}
LOAD_EVERY=${LOAD_EVERY:-100}
ALERT_RATES="${ALERT_RATES:-50 100 200 500 1000 1000000}"
ALERT_SECS=${ALERT_SECS:-4}
PARAMS

cmd="make BUILD=${BUILD:-build} bench${ROUNDS:+ ROUNDS=$ROUNDS}"
echo "  BENCH   $rounds rounds on $kver, rules $RULES"
start=$(date -u +%Y-%m-%dT%H:%MZ)
rc=0
VM_SCENARIO_DIR=bench/vm VM_TIMEOUT=${VM_TIMEOUT:-5400} \
	VM_EXTRA_PROGS="$out/bin/syscall_bench $out/bin/bench-true $(command -v sysdig) $out/pkg/sbin/auditd $out/pkg/sbin/auditctl" \
	VM_EXTRA_ROOT=$out/root BUILD=$bdir bash tests/vm/run.sh "$kver" bench || rc=$?
log=$bdir/vm/$kver/bench.log
[ -f "$log" ] || exit 1
cp "$log" "$out/results/bench.log"
bash bench/report.sh "$out/results/bench.log" "$out/results" "$start" "$cmd" "$RULES"
exit $rc
