# shellcheck shell=sh
# sandbox: the interactive VM of tests/vm/sandbox.sh (make run where the
# running kernel cannot take shrike.ko). Not a test: it lives outside
# tests/vm/scenarios so make check does not run it.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

# What every shrike-eventgen action needs, as the VM scenarios that run them
# have it (lib.sh): /dev/pts, the stand-in container (a cgroup and /var/tmp
# on overlayfs), the API server's name and address. Before the agent starts:
# it resolves the name when it loads the rules. /var/log, as any system has
# it (clear_log writes a file there).
eventgen_setup
mkdir -p /var/log
insmod /lib/modules/shrike.ko
for m in /lib/modules/net/*.ko; do
	[ -e "$m" ] && insmod "$m"
done
i=0
while ! ip link show eth0 >/dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
ip addr add 10.0.2.15/24 dev eth0
ip link set eth0 up
ip route add default via 10.0.2.2

# Alerts on the console; the agent's own messages in /tmp/agent.log.
shrike-agent -c /etc/shrike/shrike.yaml -r /rules -o syslog_output.enabled=false \
	-o log_syslog=false -o webserver.listen_address=0.0.0.0 2>/tmp/agent.log &
i=0
while ! grep -q 'waiting for events' /tmp/agent.log && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q 'waiting for events' /tmp/agent.log || { echo "sandbox: shrike-agent did not start:"; cat /tmp/agent.log; }

cat <<'BANNER'

==== Shrike sandbox ============================================================
shrike.ko is loaded and shrike-agent runs with the default rules (rules/*.yaml);
its alerts print here, its own log is /tmp/agent.log. This shell runs in a
stand-in container (a cgroup named as docker names one, /var/tmp its writable
layer; no image or pod names), so a shell started here is itself an alert
("Terminal shell in container"): in_host leaves it, in_container goes back. Try:
  touch /etc/x                  # "File below /etc opened for writing"
  cat /etc/shadow               # a sensitive file read
  su -s /bin/sh user            # a shell as uid 1000
  shrike-eventgen --list        # the synthetic events, one per rule
  shrike-eventgen NAME          # one of them; --all: every one, --benign: quiet
From the host (forwarded port):
  curl http://127.0.0.1:8765/healthz
  curl http://127.0.0.1:8765/metrics
  curl -H 'Content-Type: application/json' -d @audit.json http://127.0.0.1:8765/k8s-audit
Leave: exit (powers off), or Ctrl-A X (kills qemu).
================================================================================
SHRIKE-SANDBOX: ready
BANNER
cd /root || exit
# The shell reads lib.sh (ENV) for in_container and in_host; its prompt says
# which one it is in. The agent stays on the host.
in_container
export HOME=/root ENV=/scenarios/lib.sh
# shellcheck disable=SC2154 # c: the prompt's own, read when it is shown
export PS1='shrike-vm[$(read -r c </proc/self/cgroup; case $c in */docker/*) echo container ;; *) echo host ;; esac)]:\w# '
# A session of its own with the console as its terminal: job control, Ctrl-C.
setsid cttyhack sh || true
poweroff -f
