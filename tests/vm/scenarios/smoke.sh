# shellcheck shell=sh
# smoke: the module loads, its generic netlink family resolves from userspace
# through libmnl, its parameters show, and it unloads cleanly.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

insmod /lib/modules/shrike.ko
grep -q '^shrike ' /proc/modules || fail "shrike not in /proc/modules"
expect_eq "max_table_size parameter" 1048576 "$(cat /sys/module/shrike/parameters/max_table_size)"

out=$(shrike-agent --status)
echo "$out"
expect_eq "module version" "module: shrike $(shrike-agent --version | sed -n 's/^shrike-agent \([^ ]*\) .*/\1/p')" \
	"$(echo "$out" | grep '^module:')"
expect_eq "abi" "abi: 1" "$(echo "$out" | grep '^abi:')"
expect_eq "table" "table: none" "$(echo "$out" | grep '^table:')"

# The parameter refuses values out of range and keeps the old one.
if echo 1 >/sys/module/shrike/parameters/max_table_size 2>/dev/null; then
	fail "max_table_size accepted 1"
fi
echo 65536 >/sys/module/shrike/parameters/max_table_size
expect_eq "max table size after set" "max table size: 65536" "$(shrike-agent --status | grep '^max table size:')"

# Every command needs CAP_NET_ADMIN: even reading the module's state.
set +e
msg=$(as_user shrike-agent --status 2>&1)
rc=$?
set -e
expect_eq "unprivileged GET_INFO exit" 2 "$rc"
expect_eq "unprivileged GET_INFO message" "shrike-agent: GET_INFO failed: Operation not permitted" "$msg"

rmmod shrike
grep -q '^shrike ' /proc/modules && fail "shrike still loaded"
# Once unloaded, the family is gone and the agent says so with exit 1.
set +e
msg=$(shrike-agent --status 2>&1)
rc=$?
set -e
expect_eq "status exit code without module" 1 "$rc"
expect_eq "status message without module" \
	"shrike-agent: generic netlink family 'shrike' not found: is shrike.ko loaded? (modprobe shrike)" "$msg"
echo "smoke: done"
