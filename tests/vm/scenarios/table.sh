# table: a compiled table is verified and loaded by shrike.ko in chunks,
# replaced atomically, refused with the verifier's reason when damaged
# (the old one keeps running), refused to unprivileged users, and unloaded.
. ./lib.sh

insmod /lib/modules/shrike.ko
shrikec compile rules/table_test.yaml -o /tmp/small.tbl

out=$(shrike-agent --load-table /tmp/small.tbl)
echo "$out"
sum=$(echo "$out" | sed -n 's/.*checksum \([0-9a-f]*\)$/\1/p')
[ -n "$sum" ] || fail "no checksum in: $out"
expect_eq "status after load" "table: loaded, checksum $sum" "$(shrike-agent --status | grep '^table:')"

# A table of several chunks (> 32 KiB): many generated rules.
{
	cat rules/table_test.yaml
	i=0
	while [ $i -lt 400 ]; do
		printf -- '- rule: Generated rule %d\n  desc: generated\n  condition: evt.type = openat and fd.name = /tmp/generated-%d-with-a-longish-name and proc.name != shrike-%d\n  output: generated %d (file=%%fd.name)\n  priority: INFO\n' $i $i $i $i
		i=$((i + 1))
	done
} >/tmp/big.yaml
shrikec compile /tmp/big.yaml -o /tmp/big.tbl
size=$(wc -c </tmp/big.tbl)
[ "$size" -gt 65536 ] || fail "big table only $size bytes"
out=$(shrike-agent --load-table /tmp/big.tbl)
bigsum=$(echo "$out" | sed -n 's/.*checksum \([0-9a-f]*\)$/\1/p')
expect_eq "big table rules" "loaded /tmp/big.tbl: 402 rules, $size bytes, checksum $bigsum" "$out"
expect_eq "status after replace" "table: loaded, checksum $bigsum" "$(shrike-agent --status | grep '^table:')"

# Damage one byte past the header: the agent's own check refuses it, and
# the kernel refuses it too when sent anyway (checksum first).
cp /tmp/small.tbl /tmp/bad.tbl
printf '\377' | dd of=/tmp/bad.tbl bs=1 seek=100 conv=notrunc 2>/dev/null
set +e
msg=$(shrike-agent --load-table /tmp/bad.tbl 2>&1)
rc=$?
set -e
expect_eq "damaged table exit" 1 "$rc"
echo "$msg" | grep -q 'table rejected: .*checksum' || fail "unexpected message: $msg"
set +e
msg=$(shrike-agent --no-verify --load-table /tmp/bad.tbl 2>&1)
rc=$?
set -e
expect_eq "damaged table exit (kernel)" 1 "$rc"
computed=$(echo "$msg" | sed -n 's/.*computed 0x\([0-9a-f]*\).*/\1/p')
[ -n "$computed" ] && [ "$computed" != "$sum" ] || fail "no computed checksum in: $msg"
expect_eq "damaged table message (kernel)" \
	"shrike-agent: loading /tmp/bad.tbl: Invalid argument: table rejected: checksum 0x$sum, computed 0x$computed (byte 12)" "$msg"
expect_eq "old table still loaded" "table: loaded, checksum $bigsum" "$(shrike-agent --status | grep '^table:')"

# A table over the module's max_table_size is refused before any copy.
echo 65536 >/sys/module/shrike/parameters/max_table_size
set +e
msg=$(shrike-agent --load-table /tmp/big.tbl 2>&1)
set -e
expect_eq "over max_table_size" \
	"shrike-agent: loading /tmp/big.tbl: Argument list too long: table larger than max_table_size" "$msg"
echo 1048576 >/sys/module/shrike/parameters/max_table_size

# Unprivileged users cannot load or unload.
set +e
msg=$(as_user shrike-agent --load-table /tmp/small.tbl 2>&1)
rc=$?
set -e
expect_eq "unprivileged load exit" 1 "$rc"
expect_eq "unprivileged load message" "shrike-agent: loading /tmp/small.tbl: Operation not permitted" "$msg"

shrike-agent --unload-table
expect_eq "status after unload" "table: none" "$(shrike-agent --status | grep '^table:')"
set +e
msg=$(shrike-agent --unload-table 2>&1)
set -e
expect_eq "second unload" "shrike-agent: unloading the table: No such file or directory: no table loaded" "$msg"

# Unload the module with a table loaded.
shrike-agent --load-table /tmp/small.tbl >/dev/null
rmmod shrike
echo "table: done"
