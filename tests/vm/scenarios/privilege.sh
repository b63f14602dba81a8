# shellcheck shell=sh
# privilege: every command needs CAP_NET_ADMIN in the initial user namespace
# (GENL_ADMIN_PERM). An unprivileged user cannot read the module's state,
# load or unload a table, read the counters, receive alerts, change the
# configuration or lock; nor can root inside a new user namespace, whose
# capabilities count only there. A root process holding only CAP_NET_ADMIN
# (a CNI plugin's or kube-proxy's pod) reads the state and counters but
# changes nothing and hears no alert: that needs CAP_SYS_ADMIN. Alerts go to
# the subscribed socket itself, never to whoever binds its port id later; an
# agent whose stream another subscriber takes is told, and exits 1. After
# LOCK, nobody takes the alert stream from the subscribed agent. Nothing
# they tried changed anything.
# shellcheck source=tests/vm/lib.sh
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
# shellcheck disable=SC2086 # RUNNER: a command and its arguments
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

# Root with only CAP_NET_ADMIN: securebits noroot (exec grants uid 0
# nothing), NET_ADMIN ambient, the bounding set cut to it.
netadmin_run() {
	util-setpriv --securebits=+noroot,+noroot_locked --bounding-set=-all,+net_admin \
		--inh-caps=-all,+net_admin --ambient-caps=-all,+net_admin "$@"
}
expect_eq "net_admin only: effective set" "0000000000001000" \
	"$(netadmin_run cat /proc/self/status | sed -n 's/^CapEff:[[:space:]]*//p')"
expect_eq "net_admin only: GET_INFO" "0" "$(run_rc netadmin_run shrike-agent --status | head -n1 | cut -d'|' -f1)"
expect_eq "net_admin only: GET_STATS" "0" "$(run_rc netadmin_run shrike-agent --stats | head -n1 | cut -d'|' -f1)"
expect_eq "net_admin only: LOAD" "1|shrike-agent: loading /tmp/t.tbl: Operation not permitted: needs CAP_SYS_ADMIN" \
	"$(run_rc netadmin_run shrike-agent --load-table /tmp/t.tbl | head -n1)"
expect_eq "net_admin only: UNLOAD" "1|shrike-agent: unloading the table: Operation not permitted: needs CAP_SYS_ADMIN" \
	"$(run_rc netadmin_run shrike-agent --unload-table | head -n1)"
expect_eq "net_admin only: SUBSCRIBE" "0|subscribe: Operation not permitted: needs CAP_SYS_ADMIN" \
	"$(run_rc netadmin_run shrike-nltest subscribe)"
expect_eq "net_admin only: SET_CONFIG" \
	"1|shrike-agent: setting the configuration: Operation not permitted: needs CAP_SYS_ADMIN" \
	"$(run_rc netadmin_run shrike-agent --rate-limit 1/1 | head -n1)"
expect_eq "net_admin only: LOCK" "1|shrike-agent: locking: Operation not permitted: needs CAP_SYS_ADMIN" \
	"$(run_rc netadmin_run shrike-agent --lock | head -n1)"

expect_eq "state unchanged" "$before" "$(state)"
# And root in the initial namespace can do all of it.
shrike-nltest subscribe
shrike-agent --stats >/dev/null
shrike-agent --rate-limit 5/5
shrike-agent --unload-table
shrike-agent --load-table /tmp/t.tbl >/dev/null

# Alerts go to the subscriber's socket, held by the module, not to its port
# id: a socket bound to the same port id after the subscriber closed gets
# nothing, and the alert is counted as having no receiver.
printf -- '- rule: Rebind probe\n  desc: d\n  condition: evt.type = openat and fd.name = /tmp/rebind-probe\n  output: rebind probe (file=%%fd.name)\n  priority: WARNING\n' >/tmp/rebind.yaml
shrikec compile /tmp/rebind.yaml -o /tmp/rebind.tbl >/dev/null
shrike-agent --load-table /tmp/rebind.tbl >/dev/null
before_nr=$(shrike-agent --stats | sed -n 's/^drops_no_receiver: //p')
shrike-nltest rebind >/tmp/rebind.out &
nlt=$!
wait_for "the rebound socket" 10 grep -q '^rebound$' /tmp/rebind.out
: >/tmp/rebind-probe
wait $nlt
expect_eq "rebound port id" "subscribe: ok
rebound
alerts on the rebound port: 0" "$(cat /tmp/rebind.out)"
expect_eq "alert without receiver counted" "drops_no_receiver: $((before_nr + 1))" \
	"$(shrike-agent --stats | grep '^drops_no_receiver:')"

# Unlocked, a new subscriber takes the stream, and the agent it replaced is
# told: it says who took it and exits 1 (its supervisor restarts it).
shrike-agent -r /tmp/rebind.yaml >/tmp/replaced.out 2>/tmp/replaced.err &
agent=$!
wait_for "agent ready" 60 grep -q 'waiting for events' /tmp/replaced.err
shrike-nltest subscribe >/dev/null &
taker=$!
wait $taker
set +e
wait $agent
rc=$?
set -e
expect_eq "replaced agent exit" 1 "$rc"
expect_eq "replaced agent message" \
	"shrike-agent: another process (pid $taker) subscribed to shrike.ko's alerts: this agent receives none any more; exiting (run shrike-agent --lock to keep the stream)" \
	"$(grep 'another process' /tmp/replaced.err)"

# After LOCK, the subscribed agent keeps its stream: another root socket's
# SUBSCRIBE is refused and counted, and the agent still gets the alert.
shrike-agent --unload-table
printf -- '- rule: Lock probe\n  desc: d\n  condition: evt.type = openat and fd.name = /tmp/lock-probe\n  output: lock probe opened (file=%%fd.name)\n  priority: WARNING\n' >/tmp/lock.yaml
shrike-agent -r /tmp/lock.yaml >/tmp/lock.out 2>/tmp/lock.err &
agent=$!
wait_for "agent ready" 60 grep -q 'waiting for events' /tmp/lock.err
shrike-agent --lock
expect_eq "root: locked" "locked: yes" "$(shrike-agent --status | grep '^locked:')"
expect_eq "locked: second subscriber" \
	"0|subscribe: Operation not permitted: tables are locked and another socket is subscribed" \
	"$(run_rc shrike-nltest subscribe)"
expect_eq "locked: refusal counted" "subscribe_refused: 1" \
	"$(shrike-agent --stats | grep '^subscribe_refused:')"
: >/tmp/lock-probe
wait_for "the agent's alert" 30 grep -q 'lock probe opened (file=/tmp/lock-probe)' /tmp/lock.out
# Once the agent is gone its restart (any root process) may subscribe.
kill $agent
wait $agent || true
expect_eq "locked, agent gone: subscribe" "0|subscribe: ok" "$(run_rc shrike-nltest subscribe)"
echo "privilege: done"
