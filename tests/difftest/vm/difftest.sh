# shellcheck shell=sh
# difftest: the guest half of the differential test against libsinsp
# (tests/difftest/run.sh). Falco's 2022 driver (scap.ko) and shrike.ko are
# loaded together; sysdig records every event to a capture while, for each
# rules file in /difftest/rulesets, shrike-agent runs those rules (every
# matching rule alerting, -A as sysdig sees every event type) over the same
# workload: every shrike-eventgen action and its benign counterpart on the
# host and in the container, activity.sh's ordinary activity, and real
# commands (shells, a network server and clients, file churn). Each round is
# framed by opening /tmp/difftest-mark.NAME.begin and .end, which the host
# finds in the capture to evaluate the same rules there with sysdig. The
# capture, the alerts and the agents' logs go back to the host on VM_DISK.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh
# shellcheck source=tests/vm/activity.sh
. ./activity.sh

res=/tmp/out
mkdir -p $res
eventgen_setup
activity_fixtures
# The 2022 driver reports a task's cgroup v1 paths only: the container's
# cgroup in a v1 hierarchy too (pids: a controller the v2 root does not
# use), so that libsinsp sees the container that Shrike reads from v2.
mkdir -p /tmp/cg1
mount -t cgroup -o pids none /tmp/cg1
mkdir -p /tmp/cg1/system.slice /tmp/cg1/docker/$fake_cid
in_host() {
	echo $$ >/sys/fs/cgroup/system.slice/cgroup.procs
	echo $$ >/tmp/cg1/system.slice/cgroup.procs
}
in_container() {
	echo $$ >/sys/fs/cgroup/docker/$fake_cid/cgroup.procs
	echo $$ >/tmp/cg1/docker/$fake_cid/cgroup.procs
}

# Real commands: a shell session with a terminal-less su, a network server
# and its clients on loopback, downloads, package-manager-like churn.
replay() {
	sh -c 'for f in /etc/*; do [ -f "$f" ] && head -c 64 "$f" >/dev/null; done; ls -R /usr >/dev/null'
	su -s /bin/sh -c 'id; cat /etc/passwd >/dev/null; ls /home/user; echo x >/tmp/user-file; rm /tmp/user-file' user >/dev/null
	mkdir -p /tmp/www && echo hello >/tmp/www/index.html
	httpd -f -p 127.0.0.1:8080 -h /tmp/www &
	web=$!
	sleep 0.3
	wget -q -O /dev/null http://127.0.0.1:8080/index.html
	wget -q -O /dev/null http://127.0.0.1:8080/missing || true
	nc -l -p 9000 >/dev/null &
	nl=$!
	sleep 0.3
	echo data | nc 127.0.0.1 9000 || true
	wait $nl 2>/dev/null || true
	kill $web
	wait $web 2>/dev/null || true
	mkdir -p /tmp/churn/usr/lib /tmp/churn/var/lib/dpkg/info
	for i in $(seq 1 40); do
		echo "file $i" >"/tmp/churn/usr/lib/lib$i.so.new"
		mv "/tmp/churn/usr/lib/lib$i.so.new" "/tmp/churn/usr/lib/lib$i.so"
		echo "/usr/lib/lib$i.so" >>/tmp/churn/var/lib/dpkg/info/pkg.list
	done
	chmod -R go-w /tmp/churn
	rm -rf /tmp/churn
}

workload() {
	in_host
	shrike-eventgen --all >/dev/null 2>&1 || echo "difftest: shrike-eventgen --all (host) exited $?"
	shrike-eventgen --benign --all >/dev/null 2>&1 || echo "difftest: --benign --all (host) exited $?"
	in_container
	shrike-eventgen --all >/dev/null 2>&1 || echo "difftest: shrike-eventgen --all (container) exited $?"
	shrike-eventgen --benign --all >/dev/null 2>&1 || echo "difftest: --benign --all (container) exited $?"
	in_host
	activity host /opt/noise >/dev/null
	in_container
	activity container /var/tmp/noise >/dev/null
	in_host
	replay
}

insmod /lib/modules/scap.ko
# -z: compressed; not sysdig's own events (its writes to the capture).
sysdig -z -w $res/capture.scap.gz 'proc.name != sysdig' 2>$res/sysdig.err &
sysdig=$!
sleep 3
[ -d /proc/$sysdig ] || { cat $res/sysdig.err; fail "sysdig did not start"; }
insmod /lib/modules/shrike.ko

# shellcheck disable=SC2013 # a NAME=RULES word per line
for rs in $(cat /difftest/rulesets); do
	name=${rs%%=*} rules=${rs#*=}
	touch "/tmp/difftest-mark.$name.begin" "/tmp/difftest-mark.$name.end"
	shrike-agent -A -r "$rules" -o rule_matching=all -o json_output=true \
		-p '%thread.tid %evt.type %evt.dir %proc.name %evt.rawtime' \
		>"$res/$name.json" 2>"$res/$name.err" &
	agent=$!
	i=0
	until grep -q 'waiting for events' "$res/$name.err"; do
		i=$((i + 1))
		if [ $i -ge 600 ] || [ ! -d /proc/$agent ]; then
			cat "$res/$name.err"
			fail "agent ($name) not ready"
		fi
		sleep 0.1
	done
	cat "/tmp/difftest-mark.$name.begin"
	workload
	cat "/tmp/difftest-mark.$name.end"
	sleep 3
	shrike-agent --stats >"$res/$name.stats"
	kill $agent
	wait $agent || true
	echo "difftest: $name: $(wc -l <"$res/$name.json") alerts"
done
kill -INT $sysdig
wait $sysdig || true
rmmod shrike
rmmod scap
# fd.sip.name compares with names resolved where the filter is compiled:
# the host's sysdig resolves them with the guest's hosts file.
cp /etc/hosts $res/hosts
ls -l $res
export_dir $res
echo "difftest: exported"
