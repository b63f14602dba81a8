#!/usr/bin/env bash
# run.sh - the stack the probes of shrike.ko use: make builds the module for
# each test kernel with gcc's -fcallgraph-info=su (build/kmod/<release>/*.ci;
# the debug kernel's KASAN frames are not a production figure and are left
# out), and deepest.awk follows the call graph from every tracepoint probe, adding the
# module's own frames. The deepest path of each probe is printed with the
# size of each frame; over LIMIT bytes (the module's share: the syscall entry
# below it and the kernel helpers it calls, such as d_path, have their own
# frames on the same 16 KiB stack), or with recursion, an unbounded frame or
# an indirect call it cannot follow, the check fails.
# Usage: run.sh "KERNEL_RELEASES"
set -eu
cd "$(dirname "$0")/../.."
. tests/kernels/lib.sh
LIMIT=${STACK_LIMIT:-2048}
ROOTS="probe.c:probe_enter probe.c:probe_exit tasks.c:probe_exec tasks.c:probe_fork tasks.c:probe_exit container.c:probe_exec"
bdir=${BUILD:-build}
case $bdir in /*) ;; *) bdir=$PWD/$bdir ;; esac
fail=0
for k in $1; do
	[ "$(kernel_kind "$k")" = debug ] && continue
	d=$bdir/kmod/$k
	[ -f "$d/probe.ci" ] || { echo "stack: no $d/probe.ci: make module first"; exit 1; }
	echo "  STACK   $k (limit $LIMIT bytes):"
	# shellcheck disable=SC2046 # a file per word
	if ! awk -v src="$d/" -v roots="$ROOTS" -v limit="$LIMIT" -f tests/stack/deepest.awk \
		$(find "$d" -name '*.ci' ! -name '*.mod.ci') | sed 's/^/          /'; then
		fail=1
	fi
done
exit $fail
