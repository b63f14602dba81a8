# shellcheck shell=sh
# noise: the default syscall rules (rules/shrike_rules.yaml) stay quiet on
# ordinary activity: a package installed and purged, a tarball unpacked,
# copied, renamed and deleted, state written below /var/lib, a compile-like
# build run from /tmp, a shell session without a terminal, logs rotated, and
# non-sensitive /etc files read; once on the host and once in a container.
# One real action at the end (shrike-eventgen write_below_etc) proves the
# agent was delivering: its alert must be the only one, and the module's own
# counters must show that only it was sent and that no event was dropped.
#
# The activity is activity.sh's, the container lib.sh's fake_container.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

fake_container

# shellcheck source=tests/vm/activity.sh
. ./activity.sh
activity_fixtures

# ---- the agent -------------------------------------------------------------------------

insmod /lib/modules/shrike.ko
trap '[ $? = 0 ] || { agent_dump; shrike-agent --stats; }' EXIT
agent_run -r /rules/shrike_rules.yaml

in_host
activity host /opt/noise
in_container
activity container /var/tmp/noise

# The end marker, in the container: once its alert is in, anything the
# activity above caused is in too.
shrike-eventgen write_below_etc || fail "shrike-eventgen write_below_etc exited $?"
wait_for "the marker alert" 20 test -s /tmp/alerts.out
sleep 2
shrike-agent --stats >/tmp/stats
kill $agent
wait $agent || true
cat /tmp/agent.err
cat /tmp/stats

expect_eq "alerts" "Error File below /etc opened for writing (file=/etc/shrike-eventgen-test user=root user_uid=0 command=shrike-eventgen write_below_etc parent=sh container_id=c0ffee00c0ff image=<NA> pod=<NA>)" \
	"$(cut -d' ' -f2- /tmp/alerts.out)"
# The module's view, whatever the delivery: one alert decided in the kernel
# (the marker), none dropped, and the activity did reach the rules. Events
# sent up as candidates (a field the kernel could not compute, such as the
# name of a directory opened with O_DIRECTORY) are the agent's to finish:
# the alert file above shows it found no match in them.
sent=$(sed -n 's/^sent: //p' /tmp/stats)
candidates=$(sed -n 's/^candidates: //p' /tmp/stats)
expect_eq "kernel alerts (sent - candidates)" 1 $((sent - candidates))
expect_eq "kernel drops" "" "$(grep '^drops_' /tmp/stats | grep -v ': 0$' || true)"
events=$(sed -n 's/^events: //p' /tmp/stats)
[ "${events:-0}" -ge 1000 ] || fail "kernel events: $events, expected the activity's (at least 1000)"
echo "ok: kernel events $events"
rmmod shrike
echo "noise: done"
