# shellcheck shell=bash
# ns_transcript.sh - sourced by the transcript tests that run in namespaces
# of their own (tests/dns, tests/http). Outside them, ns_transcript TAG DIR
# PASSED UNSHARE-ARGS... re-runs the calling script in new namespaces
# (unshare, as root) with SHRIKE_IN_NS=1, compares what it printed with
# DIR/run.out (UPDATE=1 rewrites it), says TAG passed: PASSED or shows the
# difference, and exits. Inside them it returns and the script goes on.
ns_transcript() {
	local tag=$1 dir=$2 passed=$3 got
	shift 3
	[ -n "${SHRIKE_IN_NS:-}" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		printf '  %-7s SKIP: needs root (unshare %s)\n' "$tag" "$*"
		exit 0
	fi
	got=$(SHRIKE_IN_NS=1 unshare "$@" bash "$0" 2>&1)
	[ -n "${UPDATE:-}" ] && printf '%s\n' "$got" >"$dir/run.out"
	if [ "$got" = "$(cat "$dir/run.out" 2>/dev/null)" ]; then
		printf '  %-7s passed: %s\n' "$tag" "$passed"
		exit 0
	fi
	printf '  %-7s FAIL: %s/run.sh\n' "$tag" "$dir"
	diff -u "$dir/run.out" <(printf '%s\n' "$got") | sed 's/^/    /'
	exit 1
}
