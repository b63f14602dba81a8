# shellcheck shell=sh
# ia32: a 32-bit process (static, no libc, int $0x80) opening a file below
# /etc for writing is caught by the same rule as a 64-bit one: its openat is
# syscall 295 of the ia32 table, mapped to the same event type. x32-ABI
# syscalls are not monitored, and are counted.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

insmod /lib/modules/shrike.ko
agent_run -r rules/alerts.yaml

shrike-ia32
expect_eq "the 32-bit program wrote its file" "written by a 32-bit process" "$(cat /etc/shrike-ia32)"
# And a 64-bit one, for comparison.
/bin/busybox touch /etc/shrike-x86-64

agent_drain "two alerts" 2 /tmp/alerts.out "$agent"
expect_eq "alerts" "Error File below /etc opened for writing (user=root command=shrike-ia32 file=/etc/shrike-ia32)
Error File below /etc opened for writing (user=root command=busybox touch /etc/shrike-x86-64 file=/etc/shrike-x86-64)" \
	"$(cat /tmp/alerts.txt)"
shrike-agent --stats | grep -E '^(events|sent|drops)'

# x32-ABI syscalls are not monitored (the tables have 64-bit and ia32
# numbers only): each is counted. Debian boots with x32 off (ENOSYS), but
# the tracepoint sees the call.
shrikec compile rules/alerts.yaml -o /tmp/ia32.tbl >/dev/null
shrike-agent --load-table /tmp/ia32.tbl >/dev/null
before=$(shrike-agent --stats | sed -n 's/^x32_unmonitored: //p')
shrike-nltest x32
expect_eq "x32 syscall counted" "x32_unmonitored: $((before + 1))" "$(shrike-agent --stats | grep '^x32_unmonitored:')"
rmmod shrike
echo "ia32: done"
