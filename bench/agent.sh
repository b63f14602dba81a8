#!/usr/bin/env bash
# agent.sh - shrike-agent's cost per alert, without a kernel or a VM:
# bench/agent_alerts.c pushes synthetic netlink batches (as shrike.ko sends
# them) through the agent's own receive callback and output threads. For
# each scenario: instructions per alert (callgrind, all threads, the
# difference between N2 and N1 alerts over N2 - N1, so that start-up and
# rule compilation cancel out) and system calls per alert (strace -f -c,
# the same difference). Needs valgrind and strace; builds against
# $BUILD/libshrike.a (make programs first).
#
#   bash bench/agent.sh [N1 [N2]]        (default 1000 11000)
#
# AGENT_ALERTS=PATH measures that build of the harness instead (one built
# against another commit's libshrike.a, to compare).
set -eu
cd "$(dirname "$0")/.."
bdir=${BUILD:-build}
n1=${1:-1000}
n2=${2:-11000}
out=$bdir/bench/agent
rules=rules/shrike_rules.yaml
rule="Write below etc"
pkgs="libmnl yaml-0.1 json-c libmicrohttpd libcurl"

{ command -v valgrind >/dev/null && command -v strace >/dev/null; } ||
	{ echo "agent.sh: needs valgrind and strace" >&2; exit 1; }
mkdir -p "$out"
bin=${AGENT_ALERTS:-$out/agent_alerts}
if [ -z "${AGENT_ALERTS:-}" ]; then
	[ -f "$bdir/libshrike.a" ] || { echo "agent.sh: build first: make BUILD=$bdir programs" >&2; exit 1; }
	echo "  CC      agent_alerts"
	# shellcheck disable=SC2046,SC2086 # pkgs and pkg-config's flags: a word each
	gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -I. $(pkg-config --cflags $pkgs) \
		-o "$bin" bench/agent_alerts.c "$bdir/libshrike.a" $(pkg-config --libs $pkgs) -lm -lpthread
fi

u=tests/unit/containers
scenarios=(
	"text|host process, text output (the default)|"
	"json|host process, JSON output|-o json_output=true"
	"container|containerd container, its own /etc/passwd, text|--container 111122223333 --pid 4242 --uid 101 -o container_engines.containerd.state_dirs=[$u/containerd] -o container_engines.proc_root=$u/proc -o container_engines.docker.enabled=false -o container_engines.cri-o.enabled=false"
)

instr() {	# instr TAG N ARGS...: callgrind's total
	local tag=$1 n=$2
	shift 2
	valgrind --tool=callgrind --callgrind-out-file="$out/$tag.$n.callgrind" \
		"$bin" "$n" "$rule" "$rules" "$@" >/dev/null 2>"$out/$tag.$n.err"
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/$tag.$n.err"
}

syscalls() {	# syscalls TAG N ARGS...: system calls of all threads
	local tag=$1 n=$2
	shift 2
	strace -f -c -o "$out/$tag.$n.strace" "$bin" "$n" "$rule" "$rules" "$@" >/dev/null 2>&1
	awk '$NF == "total" { print $4 }' "$out/$tag.$n.strace"
}

printf '%-10s %-55s %12s %12s\n' scenario what instr/alert syscalls/alert
for s in "${scenarios[@]}"; do
	IFS='|' read -r tag what args <<<"$s"
	# shellcheck disable=SC2086
	a=$(instr "$tag" "$n1" $args)
	# shellcheck disable=SC2086
	b=$(instr "$tag" "$n2" $args)
	# shellcheck disable=SC2086
	c=$(syscalls "$tag" "$n1" $args)
	# shellcheck disable=SC2086
	d=$(syscalls "$tag" "$n2" $args)
	printf '%-10s %-55s %12d %12s\n' "$tag" "$what" $(((b - a) / (n2 - n1))) \
		"$(awk -v c="$c" -v d="$d" -v n="$((n2 - n1))" 'BEGIN { printf "%.2f", (d - c) / n }')"
done
echo "(callgrind profiles and strace summaries in $out/)"
