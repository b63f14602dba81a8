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
