# shellcheck shell=sh
# fields_net: socket fields from real connects and accepts over loopback,
# with exact values (rules/fields_net.yaml prints them), and cases that must
# not alert.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

insmod /lib/modules/shrike.ko
mkdir -p /tmp/fx
: >/tmp/fx/END
syslogd -n -O /tmp/fx/syslog &
slog=$!
wait_for "/dev/log" 10 test -S /dev/log
agent_start /scenarios/rules/fields_net.yaml

# busybox nc listens on an IPv6 socket (v4-mapped peers: left to the agent);
# httpd binds the IPv4 address it is given.
mkdir -p /tmp/fx/www
echo hi >/tmp/fx/www/index.html
httpd -f -p 127.0.0.1:7777 -h /tmp/fx/www &
httpd=$!
wait_for "listener" 10 grep -q ':1E61 ' /proc/net/tcp
printf 'GET /index.html HTTP/1.0\r\n\r\n' | /bin/nc 127.0.0.1 7777 >/tmp/fx/nc.out
nc 127.0.0.1 9 </dev/null 2>/dev/null || true
# IPv6 over ::1: busybox nc listens on [::] and the client is IPv6 too.
nc -l -p 7779 </dev/null >/dev/null &
nc6=$!
wait_for "IPv6 listener" 10 grep -q ':1E63 ' /proc/net/tcp6
echo hi | nc ::1 7779 || true
wait $nc6 || true
shrike-eventgen reverse_shell
timeout 5 nslookup shrike.test 127.0.0.1 >/dev/null 2>&1 || true
logger shrike-test
agent_stop cat /tmp/fx/END
kill $slog $httpd

expect_val "data through nc" "HTTP/1.1 200 OK" "$(head -n1 /tmp/fx/nc.out | tr -d '\r')"
# The client port is the kernel's pick: taken from the connect line, and
# the accept line must agree with it.
cport=$(sed -n 's/^S01 type=connect .* cport=\([0-9]*\) .*/\1/p' /tmp/alerts.txt)
{ [ -n "$cport" ] && [ "$cport" -gt 1024 ]; } || expect_val "S01 client port" "> 1024" "$cport"
lo=127.0.0.1
expect_alerts S01 "type=connect res=SUCCESS tc=4 ftype=ipv4 fam=ip l4=tcp conn=true srv=false cip=$lo cport=$cport sip=$lo sport=7777 lip=$lo lport=$cport rip=$lo rport=7777 cnet=$lo/32 snet=$lo/32 lnet=$lo/32 rnet=$lo/32 name=$lo:$cport->$lo:7777
type=accept res=SUCCESS tc=4 ftype=ipv4 fam=ip l4=tcp conn=true srv=true cip=$lo cport=$cport sip=$lo sport=7777 lip=<NA> lport=<NA> rip=<NA> rport=<NA> cnet=$lo/32 snet=$lo/32 lnet=<NA> rnet=<NA> name=$lo:$cport->$lo:7777"
expect_alerts S02 hit
expect_alerts S03 hit
expect_alerts S04 "rawres=-111 conn=false tc=4 name=<NA> sport=<NA>"
expect_alerts S05 "dir=> tc=4 fd=3 type=ipv4 fam=ip"
expect_alerts S06 "l4=udp sip=$lo sport=53 cip=$lo conn=true name=$(sed -n 's/^S06 .* name=\(127.0.0.1:[0-9]*->127.0.0.1:53\)$/\1/p' /tmp/alerts.txt)"
expect_alerts N06 ""
# The httpd child moves the accepted socket onto 0 and copies it to 1; the
# shrike-eventgen child copies its (bound) client socket onto 0, 1 and 2.
ssrv="srv=true conn=true l4=tcp cip=$lo cport=$cport sip=$lo sport=7777 name=$lo:$cport->$lo:7777"
scli="srv=false conn=true l4=tcp cip=$lo cport=47802 sip=$lo sport=47801 name=$lo:47802->$lo:47801"
expect_alerts S08 "httpd fd=0 $ssrv
httpd fd=1 $ssrv
shrike-eventgen fd=0 $scli
shrike-eventgen fd=1 $scli
shrike-eventgen fd=2 $scli"
expect_val "S09 nc's writes" "srv=false conn=true cip=$lo sport=7777 name=$lo:$cport->$lo:7777" \
	"$(sed -n 's/^S09 //p' /tmp/alerts.txt | sort -u)"
cport6=$(sed -n 's/^S10 type=connect .* name=::1:\([0-9]*\)->.*/\1/p' /tmp/alerts.txt)
{ [ -n "$cport6" ] && [ "$cport6" -gt 1024 ]; } || expect_val "S10 client port" "> 1024" "$cport6"
expect_alerts S10 "type=connect tc=6 ftype=ipv6 srv=false cip=::1 sip=::1 sport=7779 cnet=::1/128 name=::1:$cport6->::1:7779
type=accept tc=6 ftype=ipv6 srv=true cip=::1 sip=::1 sport=7779 cnet=::1/128 name=::1:$cport6->::1:7779"
expect_alerts S07 "tc=u fam=unix addr=/dev/log name=<NA> l4=<NA>"
expect_alerts N08 ""
expect_alerts S12 "cport=$cport"
finish fields_net
rmmod shrike
