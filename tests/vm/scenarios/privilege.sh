# privilege: every command needs CAP_NET_ADMIN in the initial user namespace
# (GENL_ADMIN_PERM). An unprivileged user cannot read the module's state,
# load or unload a table, read the counters, receive alerts, change the
# configuration or lock; nor can root inside a new user namespace, whose
# capabilities count only there. Nothing they tried changed anything.
. ./lib.sh

# run_rc CMD...: "EXIT-CODE|OUTPUT" of a command (stdout and stderr).
run_rc() {
	set +e
	out=$("$@" 2>&1)
	rc=$?
	set -e
	echo "$rc|$out"
}

insmod /lib/modules/shrike.ko
shrikec compile rules/table_test.yaml -o /tmp/t.tbl
chmod 0644 /tmp/t.tbl
shrike-agent --load-table /tmp/t.tbl >/dev/null
state() { shrike-agent --status | grep -E '^(table|generation|locked|rate limit|match mode):'; }
before=$(state)

# refused WHO RUNNER: each command through RUNNER is refused with EPERM.
refused() {
	who=$1 runner=$2
	expect_eq "$who: GET_INFO" "2|shrike-agent: GET_INFO failed: Operation not permitted" \
		"$(run_rc $runner shrike-agent --status)"
	expect_eq "$who: LOAD" "1|shrike-agent: loading /tmp/t.tbl: Operation not permitted" \
		"$(run_rc $runner shrike-agent --load-table /tmp/t.tbl)"
	expect_eq "$who: UNLOAD" "1|shrike-agent: unloading the table: Operation not permitted" \
		"$(run_rc $runner shrike-agent --unload-table)"
	expect_eq "$who: GET_STATS" "2|shrike-agent: GET_STATS failed: Operation not permitted" \
		"$(run_rc $runner shrike-agent --stats)"
	expect_eq "$who: SUBSCRIBE" "0|subscribe: Operation not permitted" \
		"$(run_rc $runner shrike-nltest subscribe)"
	expect_eq "$who: SET_CONFIG" \
		"1|shrike-agent: setting the configuration: Operation not permitted" \
		"$(run_rc $runner shrike-agent --rate-limit 1/1)"
	expect_eq "$who: LOCK" "1|shrike-agent: locking: Operation not permitted" \
		"$(run_rc $runner shrike-agent --lock)"
}

# as_user takes one command line.
user_run() { as_user "$*"; }
refused "user 1000" user_run

# Root in a new user namespace (still the initial network namespace, where
# the family lives): uid 0 there, no capability in the initial namespace.
command -v unshare >/dev/null || fail "no unshare applet"
expect_eq "userns: uid 0 inside" "0" "$(unshare -U -r id -u)"
refused "root in a user namespace" "unshare -U -r"
# The same for the unprivileged user's own namespace.
refused "user 1000 in its user namespace" "user_run unshare -U -r"
# In a new network namespace as well, the family is not even visible
# (netnsok is false): the module serves the initial namespace only.
expect_eq "new netns: no family" \
	"1|shrike-agent: generic netlink family 'shrike' not found: is shrike.ko loaded? (modprobe shrike)" \
	"$(run_rc unshare -U -r -n shrike-agent --status)"

expect_eq "state unchanged" "$before" "$(state)"
# And root in the initial namespace can do all of it.
shrike-nltest subscribe
shrike-agent --stats >/dev/null
shrike-agent --rate-limit 5/5
shrike-agent --unload-table
shrike-agent --load-table /tmp/t.tbl >/dev/null
shrike-agent --lock
expect_eq "root: locked" "locked: yes" "$(shrike-agent --status | grep '^locked:')"
echo "privilege: done"
