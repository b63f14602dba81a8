#!/usr/bin/env bash
# install.sh - `make install` into a scratch DESTDIR: every file where the
# issue and the packages put it, paths in the unit filled in from PREFIX, and
# the configuration rules of an upgrade: an unchanged default is replaced, a
# file the admin changed is kept (the new default beside it as *.dist).
# Usage: BUILD=dir bash tests/install.sh
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
ver=$(sed -n 's/^#define SHRIKE_VERSION[[:space:]]*"\(.*\)"$/\1/p' kmod/uapi/shrike.h)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "install: FAIL: $*" >&2; exit 1; }
say() { printf '  %-7s %s\n' INSTALL "$*"; }
inst() { make -s --no-print-directory BUILD="$BUILD" install DESTDIR="$d" "$@"; }

inst PREFIX=/usr >/dev/null
want="etc/shrike/shrike.yaml
etc/shrike/rules.d/k8s_audit_rules.yaml
etc/shrike/rules.d/shrike_rules.yaml
lib/systemd/system/shrike-agent.service
usr/bin/shrike-agent
usr/bin/shrike-eventgen
usr/bin/shrikec
usr/lib/modules-load.d/shrike.conf
usr/share/man/man1/shrike-eventgen.1
usr/share/man/man1/shrikec.1
usr/share/man/man5/shrike.yaml.5
usr/share/man/man8/shrike-agent.8
usr/share/shrike/defaults/rules.d/k8s_audit_rules.yaml
usr/share/shrike/defaults/rules.d/shrike_rules.yaml
usr/share/shrike/defaults/shrike.yaml
usr/src/shrike-$ver/dkms.conf
$(cd rules/tests && ls ./*.cases.yaml events/syscall/*.jsonl events/k8s_audit/*.jsonl | sed 's|^\./||; s|^|usr/share/shrike/rules-tests/|')"
got=$(cd "$d" && find . -type f ! -path "./usr/src/shrike-$ver/kmod/*" | sed 's|^\./||' | sort)
[ "$got" = "$(echo "$want" | sort)" ] || fail "files: $(diff <(echo "$want" | sort) <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
# The module source is the kmod tree DKMS builds (dkms.conf's MAKE): these
# files, as in the checkout, and nothing else.
kmod_src=$(ls kmod/Kbuild kmod/Makefile kmod/*.c kmod/*.h kmod/uapi/*.h kmod/common/*.c kmod/common/*.h \
	kmod/fields/*.c kmod/fields/*.h | sort)
for f in $kmod_src; do
	cmp -s "$f" "$d/usr/src/shrike-$ver/$f" || fail "usr/src/shrike-$ver/$f differs from $f"
done
got=$(cd "$d/usr/src/shrike-$ver" && find kmod -type f | sort)
[ "$got" = "$kmod_src" ] || fail "module source files: $(diff <(echo "$kmod_src") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
grep -qx "PACKAGE_VERSION=\"$ver\"" "$d/usr/src/shrike-$ver/dkms.conf" || fail "dkms.conf version"
unit=$d/lib/systemd/system/shrike-agent.service
grep -qx 'ExecStart=/usr/bin/shrike-agent -c /etc/shrike/shrike.yaml' "$unit" || fail "unit ExecStart: $(grep ExecStart= "$unit")"
! grep -q @ "$unit" || fail "unit has an unfilled placeholder: $(grep @ "$unit")"
[ "$("$d/usr/bin/shrikec" --version | cut -d' ' -f2)" = "$ver" ] || fail "installed shrikec --version"
say "PREFIX=/usr: programs, man pages, configuration, unit, modules-load.d, module source $ver"

# The default rules' cases as installed: against the installed rules
# directory (here moved into DESTDIR), every one holds.
rt=$d/usr/share/shrike/rules-tests
n=$(cat rules/tests/*.cases.yaml | grep -c '^    rules_file: ')
[ "$(grep -c '^    rules_file: /etc/shrike/rules.d$' "$rt"/*.cases.yaml | awk -F: '{ s += $2 } END { print s }')" = "$n" ] ||
	fail "installed cases: not all $n rules_file lines name /etc/shrike/rules.d"
sed -i "s|rules_file: /etc/shrike/rules.d\$|rules_file: $d/etc/shrike/rules.d|" "$rt"/*.cases.yaml
out=$("$d/usr/bin/shrikec" test --cases "$rt"/*.cases.yaml 2>&1) || fail "installed rules' cases: $(echo "$out" | tail -5)"
[ "$(echo "$out" | tail -n1)" = "$n cases: $n passed, 0 failed, 0 with bad input" ] || fail "installed rules' cases: $(echo "$out" | tail -n1)"
say "the default rules' $n cases hold against the installed rules directory"

# A clean start prints no warning: the installed shrike.yaml names only what
# was installed. Run as installed, its /etc paths moved into DESTDIR, without
# shrike.ko (--disable-source syscall), webserver and syslog.
sed "s|/etc/shrike/|$d/etc/shrike/|g" "$d/etc/shrike/shrike.yaml" >"$d/start.yaml"
"$d/usr/bin/shrike-agent" -c "$d/start.yaml" --disable-source syscall -o webserver.enabled=false \
	-o syslog_output.enabled=false -o log_syslog=false >/dev/null 2>"$d/start.err" &
agent=$!
for _ in $(seq 100); do grep -qs 'waiting for events' "$d/start.err" && break; sleep 0.1; done
kill $agent; wait $agent || fail "the installed agent exited with $? on SIGTERM: $(cat "$d/start.err")"
start=$(grep -v 'rules loaded\|waiting for events' "$d/start.err" || true)
[ -z "$start" ] || fail "a clean start of the installed configuration printed: $start"
grep -q 'rules loaded' "$d/start.err" || fail "the installed configuration loaded no rules: $(cat "$d/start.err")"
rm "$d/start.yaml" "$d/start.err"
say "a clean start of the installed shrike.yaml: rules loaded, no warning"

# Upgrade: the admin changed shrike.yaml; shrike_rules.yaml is still the
# default of the version installed before, which differed from this one.
conf=$d/etc/shrike/shrike.yaml rules=$d/etc/shrike/rules.d/shrike_rules.yaml
echo "# changed by the admin" >>"$conf"
cp "$conf" "$d/admin.yaml"
echo "# the previous version's default" >>"$rules"
cp "$rules" "$d/usr/share/shrike/defaults/rules.d/shrike_rules.yaml"
out=$(inst PREFIX=/usr)
cmp -s "$conf" "$d/admin.yaml" || fail "the admin's shrike.yaml was overwritten"
cmp -s "$d/etc/shrike/shrike.yaml.dist" agent/shrike.yaml || fail "no shrike.yaml.dist with the new default"
echo "$out" | grep -qx "install: /etc/shrike/shrike.yaml was changed here: kept; the new default is /etc/shrike/shrike.yaml.dist" ||
	fail "no notice of the kept file: '$out'"
cmp -s "$rules" rules/shrike_rules.yaml || fail "an unchanged old default was not upgraded"
[ ! -e "$rules.dist" ] || fail "$rules.dist made for an unchanged default"
# Once the admin takes the new default, the next install leaves no .dist.
cp "$d/etc/shrike/shrike.yaml.dist" "$conf"
inst PREFIX=/usr >/dev/null
[ ! -e "$conf.dist" ] || fail "a stale shrike.yaml.dist left after the admin took the default"
say "upgrade: changed shrike.yaml kept (+ .dist and a notice), unchanged default rules replaced"

# Another PREFIX: the unit points there.
rm -rf "$d" && mkdir "$d"
inst PREFIX=/opt/shrike >/dev/null
{ [ -x "$d/opt/shrike/bin/shrike-agent" ] && [ -f "$d/opt/shrike/share/man/man8/shrike-agent.8" ]; } || fail "PREFIX=/opt/shrike layout"
grep -qx 'ExecStart=/opt/shrike/bin/shrike-agent -c /etc/shrike/shrike.yaml' "$d/lib/systemd/system/shrike-agent.service" ||
	fail "unit ExecStart for PREFIX=/opt/shrike"
say "PREFIX=/opt/shrike: programs and man pages there, the unit runs /opt/shrike/bin/shrike-agent"
