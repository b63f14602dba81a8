# shellcheck shell=sh
# fields_evt: evt.* fields and open flags from real syscalls, with exact
# values (rules/fields_evt.yaml prints them), and cases that must not alert.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

insmod /lib/modules/shrike.ko
mkdir -p /tmp/fx/e08
cd /tmp || exit
echo e01 >/tmp/fx/e01
echo e04 >/tmp/fx/e04
chmod 600 /tmp/fx/e04
: >/tmp/fx/e10
: >/tmp/fx/e13
: >/tmp/fx/e14
: >/tmp/fx/e15.0
: >/tmp/fx/e15.1
: >/tmp/fx/e16
: >/tmp/fx/e17
: >/tmp/fx/END
agent_start /scenarios/rules/fields_evt.yaml

cat /tmp/fx/e01 >/dev/null
cat /tmp/fx/e03 2>/dev/null || true
as_user cat /tmp/fx/e04 2>/dev/null || true
echo x >/tmp/fx/e05		# created
echo x >/tmp/fx/e05		# not created
echo x >>/tmp/fx/e05
ls /tmp/fx/e08 >/dev/null
cp /bin/busybox /tmp/fx/e09
cat /tmp/fx/e10
kill -0 $$
sleep 100 &
victim=$!
kill -USR2 $victim
wait $victim || true
echo hello >/tmp/fx/e13
# busybox cat uses sendfile: dd reads.
dd if=/tmp/fx/e13 of=/dev/null bs=64 count=1 2>/dev/null
t0=$(date +%s)
cat /tmp/fx/e14
cat /tmp/fx/e14
taskset -c 0 cat /tmp/fx/e15.0
taskset -c 1 cat /tmp/fx/e15.1
cat /tmp/fx/e16
(cd /tmp/fx && cat e17)
shrike-eventgen ptrace_attach ptrace_traceme change_namespace packet_socket setuid_to_root
shrike-eventgen --benign setuid_to_root
unshare -n -u true
agent_stop cat /tmp/fx/END

flags_w="O_TRUNC|O_CREAT|O_WRONLY"
expect_alerts E01 "type=openat stype=openat is=1 dir=< src=syscall res=SUCCESS rawres=3 failed=false fd=3 flags=O_RDONLY name=/tmp/fx/e01 rd=true wr=false cr=false ex=false io=false"
expect_alerts E02 hit
expect_alerts E03 "res=ENOENT rawres=-2 failed=true fd=-2"
expect_alerts E04 "res=EACCES rawres=-13 uid=1000"
expect_alerts E05 "flags=$flags_w|O_F_CREATED rd=false wr=true cr=true ex=false
flags=$flags_w rd=false wr=true cr=false ex=false
flags=O_APPEND|O_CREAT|O_WRONLY rd=false wr=true cr=false ex=false"
expect_alerts E06 hit
expect_alerts N06 ""
expect_alerts E07 "flags=O_APPEND|O_CREAT|O_WRONLY"
# Falco tests O_TMPFILE with a plain '&': O_DIRECTORY reads as it.
expect_alerts E08 "flags=O_DIRECTORY|O_NONBLOCK|O_RDONLY|O_CLOEXEC|O_TMPFILE cr=true tc=d type=directory"
expect_alerts E09 "flags=$flags_w|O_F_CREATED mode=493"
expect_alerts E10 "dir=> raw=1 fd=<NA> failed=false latency=0"
expect_alerts N10 ""
expect_alerts E11 "dir=> latency=0 failed=false io=false res=<NA>"
expect_alerts E12 "sig=SIGUSR2 rawsig=12 pid=$victim res=SUCCESS"
expect_alerts E13 "type=write io=true rd=false wr=true res=6
type=read io=true rd=true wr=false res=6"
# Two events: numbers increase, the time parts agree and are recent.
# shellcheck disable=SC2046 # a number per word
set -- $(sed -n 's/^E14 //p' /tmp/alerts.txt | sort -n | tr '\n' ' ')
expect_val "E14 count" 8 $#
{ [ "$5" -gt "$1" ] && [ "$6" -gt "$2" ]; } || expect_val "E14 evt.num and rawtime increase together" "> $1 $2" "$5 $6"
expect_val "E14 rawtime = s.ns" "$2" "$3$(printf %09d "$4")"
{ [ $(($3 - t0)) -ge 0 ] && [ $(($3 - t0)) -le 5 ]; } || expect_val "E14 rawtime.s near date" "$t0" "$3"
expect_alerts E15 "/tmp/fx/e15.0 cpu=0
/tmp/fx/e15.1 cpu=1"
expect_alerts E16 ""
expect_alerts E17 ""
expect_alerts N18 ""
expect_alerts E19 "req=PTRACE_SEIZE raw=20 res=SUCCESS
req=PTRACE_TRACEME raw=1 res=SUCCESS"
expect_alerts E20 hit
expect_alerts E21 "type=setns nstype=CLONE_NEWUTS rawns=128 flags=<NA> rawflags=<NA> res=SUCCESS
type=unshare nstype=<NA> rawns=<NA> flags=CLONE_NEWUTS rawflags=128 res=SUCCESS
type=unshare nstype=<NA> rawns=<NA> flags=CLONE_NEWNET|CLONE_NEWUTS rawflags=144 res=SUCCESS"
expect_alerts E22 "domain=AF_PACKET raw=17"
expect_alerts E23 "uid=root raw=0 user=root
uid=nobody raw=65534 user=nobody"
expect_alerts E24 hit
finish fields_evt
rmmod shrike
