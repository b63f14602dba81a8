# shellcheck shell=sh
# fields_fd: fd.* of files, directories and pipes, fs.path.* and
# evt.abspath from real syscalls, with exact values (rules/fields_fd.yaml
# prints them), and cases that must not alert.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

insmod /lib/modules/shrike.ko
mkdir -p /tmp/fx/f08d
cd /tmp || exit
for f in f01 f02 f03 f06t f23 f24a END; do
	echo $f >/tmp/fx/$f
done
agent_start /scenarios/rules/fields_fd.yaml

cat /tmp/fx/f01 >/dev/null
(cd /tmp/fx && cat f02) >/dev/null
cat /tmp/fx/../fx/f03 >/dev/null
cat /tmp//fx/f03 >/dev/null
cat /tmp/fx/./f03 >/dev/null
cat /tmp/fx/. >/dev/null 2>&1 || true
cat /tmp/fx/f04 2>/dev/null || true
echo x >/tmp/fx/f05
ln -s /tmp/fx/f06t /tmp/fx/f06l
cat /tmp/fx/f06l >/dev/null
exec 4>/tmp/fx/f07
rm /tmp/fx/f07
echo x >&4
exec 4>&-
ls /tmp/fx/f08d
echo f09 | /bin/cat >/dev/null
mkdir /tmp/fx/f20
(cd /tmp/fx && mkdir f21)
rmdir /tmp/fx/f20
rm /tmp/fx/f23
mv /tmp/fx/f24a /tmp/fx/f24b
(cd /tmp/fx && mv f24b f24a)
ln /tmp/fx/f24a /tmp/fx/f26
ln -s /tmp/fx/f01 /tmp/fx/f27
: >/tmp/fx/f29
chmod 4755 /tmp/fx/f29
(cd /tmp/fx && chmod 600 f29)
chown 0:0 /tmp/fx/f29
as_user /bin/chmod 644 /tmp/fx/f29 2>/dev/null || true
kill -0 $$
agent_stop cat /tmp/fx/END

# stat's %d is st_dev, new_encode_dev()d as Falco's fd.dev.
# shellcheck disable=SC2046 # a number per word
set -- $(stat -c '%i %d' /tmp/fx/f01)
dev="dev=$2 maj=$((($2 >> 8) & 0xfff)) min=$((($2 & 0xff) | (($2 >> 12) & 0xfff00)))"
f02ino=$(stat -c %i /tmp/fx/f02)
expect_alerts F01 "num=3 name=/tmp/fx/f01 raw=/tmp/fx/f01 dir=/tmp/fx file=f01 tc=f type=file ino=$1 $dev fam=<NA> srv=false abspath=/tmp/fx/f01
num=3 name=/tmp/fx/f02 raw=f02 dir=/tmp/fx file=f02 tc=f type=file ino=$f02ino $dev fam=<NA> srv=false abspath=/tmp/fx/f02"
expect_alerts F02 hit
# "//" leaves even fd.nameraw to the agent, which has no value: no alert.
# fd.nameraw of a path with "//" is UNKNOWN (libsinsp versions differ there).
expect_alerts F03 "name=/tmp/fx/f03 raw=/tmp/fx/../fx/f03
name=/tmp/fx/f03 raw=/tmp/fx/./f03"
expect_alerts N03 ""
expect_alerts F04 "num=-2 name=/tmp/fx/f04 raw=/tmp/fx/f04 dir=/tmp/fx file=<NA> tc=f type=<NA> ino=<NA>"
expect_alerts N04 ""
expect_alerts F05 "num=1 name=/tmp/fx/f05 dir=/tmp/fx file=f05 tc=f type=file ino=$(stat -c %i /tmp/fx/f05) raw=<NA>"
expect_alerts F06 "name=/tmp/fx/f06l ino=$(stat -c %i /tmp/fx/f06t)"
expect_alerts N07 ""
expect_alerts F08 "name=/tmp/fx/f08d dir=/tmp/fx/f08d file=<NA> tc=d type=directory"
expect_alerts F09 "tc=p type=pipe name=<NA> res=4
tc=p type=pipe name=<NA> res=0"
expect_alerts F20 "type=mkdir name=/tmp/fx/f20 raw=/tmp/fx/f20 abspath=<NA>
type=mkdir name=/tmp/fx/f21 raw=f21 abspath=<NA>
type=rmdir name=/tmp/fx/f20 raw=/tmp/fx/f20 abspath=<NA>
type=unlink name=/tmp/fx/f23 raw=/tmp/fx/f23 abspath=<NA>"
expect_alerts F21 hit
expect_alerts F24 "type=rename src=/tmp/fx/f24a dst=/tmp/fx/f24b srcraw=/tmp/fx/f24a dstraw=/tmp/fx/f24b
type=rename src=/tmp/fx/f24b dst=/tmp/fx/f24a srcraw=f24b dstraw=f24a
type=link src=/tmp/fx/f24a dst=/tmp/fx/f26 srcraw=/tmp/fx/f24a dstraw=/tmp/fx/f26"
expect_alerts F25 hit
# evt.arg.mode: chmod's PT_MODE as libsinsp names it (flags_table.c order).
expect_alerts F29 "type=chmod res=SUCCESS name=/tmp/fx/f29 raw=/tmp/fx/f29 fd=<NA> mode=2541 amode=S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID
type=chmod res=SUCCESS name=/tmp/fx/f29 raw=f29 fd=<NA> mode=384 amode=S_IWUSR|S_IRUSR
type=chown res=SUCCESS name=/tmp/fx/f29 raw=/tmp/fx/f29 fd=<NA> mode=<NA> amode=<NA>"
expect_alerts F30 "name=<NA> raw=<NA>"
expect_alerts F31 "name=/tmp/fx/f01 raw=/tmp/fx/f01 res=SUCCESS
name=/tmp/fx/f02 raw=f02 res=SUCCESS
name=/tmp/fx/../fx/f03 raw=/tmp/fx/../fx/f03 res=SUCCESS
name=/tmp//fx/f03 raw=/tmp//fx/f03 res=SUCCESS
name=/tmp/fx/./f03 raw=/tmp/fx/./f03 res=SUCCESS
name=/tmp/fx/f04 raw=/tmp/fx/f04 res=ENOENT"
expect_alerts N27 ""
expect_alerts N28 ""
finish fields_fd
rmmod shrike
