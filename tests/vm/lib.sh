# lib.sh - helpers for VM scenarios (sourced; runs under busybox sh -e).

fail() {
	echo "FAIL: $*"
	exit 1
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
	echo "ok: $1"
}

# as_user CMD...: runs a command as the unprivileged user (uid 1000).
as_user() {
	su -s /bin/sh -c "$*" user
}

# wait_for WHAT SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
wait_for() {
	what=$1 secs=$2
	shift 2
	i=0
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		[ $i -ge $((secs * 10)) ] && fail "timed out waiting for $what"
		sleep 0.1
	done
}
