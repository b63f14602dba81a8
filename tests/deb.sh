#!/usr/bin/env bash
# deb.sh - the Debian packages end to end, as root: `make deb`, lintian, then
# shrike-dkms, shrike and shrike-eventgen installed on this machine (DKMS builds the module for
# each installed kernel), checked, and purged again, leaving nothing behind.
# A failure midway still purges (trap). Usage: BUILD=dir bash tests/deb.sh
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
start=$(date +%s)

say() { printf '  %-7s %s\n' DEB "$*"; }
fail() { echo "deb: FAIL: $*" >&2; exit 1; }
trap 'echo "deb: FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR

[ "$(id -u)" = 0 ] || fail "needs root: it installs and purges the packages"
for c in dpkg-buildpackage dh dh_dkms lintian dkms man systemd-analyze apt-get; do
	command -v "$c" >/dev/null || fail "$c missing (make deps)"
done
kernels=$(ls -d /usr/src/linux-headers-*-cloud-amd64 2>/dev/null | sed 's|^/usr/src/linux-headers-||')
[ -n "$kernels" ] || fail "no /usr/src/linux-headers-*-cloud-amd64 (make deps)"

# One version: the contract header, dkms.conf and debian/changelog.
ver=$(sed -n 's/^#define SHRIKE_VERSION[[:space:]]*"\(.*\)"$/\1/p' kmod/uapi/shrike.h)
conf_ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
deb_ver=$(dpkg-parsechangelog -S Version)
{ [ -n "$ver" ] && [ "$ver" = "$conf_ver" ] && [ "$ver" = "$deb_ver" ]; } ||
	fail "versions disagree: SHRIKE_VERSION '$ver', dkms.conf '$conf_ver', debian/changelog '$deb_ver'"
say "version $ver (kmod/uapi/shrike.h = dkms.conf = debian/changelog)"

# Never purge what this test did not install.
for p in shrike shrike-dkms shrike-eventgen; do
	! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qv 'not-installed' ||
		fail "$p is already installed here; purge it first (apt-get purge shrike shrike-dkms shrike-eventgen)"
done
{ [ ! -e /var/lib/dkms/shrike ] && ! ls -d /usr/src/shrike-* >/dev/null 2>&1; } ||
	fail "shrike is already in DKMS or /usr/src (dkms remove shrike/VERSION --all; rm -r /usr/src/shrike-*)"

# ---- build and lint ------------------------------------------------------------
make BUILD="$BUILD" deb
arch=$(dpkg --print-architecture)
dir=$BUILD/deb
debs="$dir/shrike-dkms_${ver}_all.deb $dir/shrike_${ver}_${arch}.deb $dir/shrike-eventgen_${ver}_${arch}.deb"
for d in $debs; do [ -f "$d" ] || fail "$d not built"; done

# Errors and warnings fail unless overridden in debian/*.lintian-overrides;
# info and overridden (O:) tags are shown. (Lintian would rather not run as root.)
# shellcheck disable=SC2086 # a package file per word
if ! lintian --fail-on error,warning --display-info --show-overrides $debs >"$dir/lintian.log" 2>&1; then
	grep -v 'running with root privileges' "$dir/lintian.log" >&2
	fail "lintian"
fi
grep -v 'running with root privileges' "$dir/lintian.log" | sed 's/^/          /'
say "lintian: no errors or warnings; $(grep -c '^I: ' "$dir/lintian.log" || true) info and $(grep -c '^O: ' "$dir/lintian.log" || true) overridden tags"

# ---- install -------------------------------------------------------------------
mok_existed=0
[ -e /var/lib/dkms/mok.key ] && mok_existed=1
installed=0
cleanup() {
	rc=$?
	if [ $installed = 1 ]; then
		[ $rc = 0 ] || echo "deb: purging the packages after the failure" >&2
		dpkg --purge shrike shrike-eventgen >/dev/null 2>&1 || true
		dpkg --purge shrike-dkms >/dev/null 2>&1 || true
		if [ -d "/var/lib/dkms/shrike/$ver" ]; then
			dkms remove -m shrike -v "$ver" --all >/dev/null 2>&1 || true
		fi
		# dkms creates the signing key on its first build; this test made it.
		[ $mok_existed = 1 ] || rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

installed=1
t0=$(date +%s)
# shellcheck disable=SC2046 # a package file per word
# ./x.deb: apt takes the local files and any missing dependency from the registry.
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	$(for d in $debs; do echo "./$d"; done) >"$dir/install.log" 2>&1; then
	cat "$dir/install.log" >&2
	find /var/lib/dkms/shrike -name make.log -exec tail -n 40 {} + >&2 2>/dev/null
	fail "apt-get install (postinst)"
fi
for p in shrike shrike-dkms shrike-eventgen; do
	dpkg-query -W -f='${Status}' "$p" | grep -q 'install ok installed' || fail "$p not configured"
done
say "installed shrike, shrike-dkms and shrike-eventgen in $(( $(date +%s) - t0 ))s (DKMS builds included)"
# The running kernel has no headers here: the postinst must have skipped it.
grep -E 'Building for|skipped|chroot' "$dir/install.log" | sed 's/^/          /' || true

# ---- the module: one DKMS build per installed kernel ----------------------------
for k in $kernels; do
	st=$(dkms status -m shrike -v "$ver" -k "$k" 2>/dev/null)
	echo "$st" | grep -q ": installed" || fail "dkms status for $k: '${st:-nothing}' (want shrike/$ver installed)"
	ko=$(ls /lib/modules/"$k"/updates/dkms/shrike.ko* 2>/dev/null | head -n1)
	[ -n "$ko" ] || fail "no /lib/modules/$k/updates/dkms/shrike.ko*"
	mv=$(modinfo -k "$k" -F version shrike) || fail "modinfo -k $k shrike"
	[ "$mv" = "$ver" ] || fail "modinfo -k $k shrike: version $mv, want $ver"
	mf=$(modinfo -k "$k" -n shrike)
	[ "$mf" = "$ko" ] || fail "modinfo -k $k resolves shrike to $mf, not $ko"
	vm=$(modinfo -k "$k" -F vermagic shrike | cut -d' ' -f1)
	[ "$vm" = "$k" ] || fail "$ko vermagic $vm, want $k"
	# Debian's dkms signs with /var/lib/dkms/mok.key (README: Secure Boot).
	signer=$(modinfo -k "$k" -F signer shrike)
	[ -n "$signer" ] || fail "$ko is not signed (dkms signs with /var/lib/dkms/mok.key)"
	say "$k: $(basename "$ko") $mv, signed by '$signer'"
done

# ---- the programs, the configuration, the unit, the man pages ----------------------
# By path: a `make install` copy in /usr/local would come first in PATH.
for p in shrikec shrike-agent; do
	out=$("/usr/bin/$p" --version) || fail "/usr/bin/$p --version"
	[ "$(echo "$out" | awk 'NR == 1 {print $2}')" = "$ver" ] || fail "/usr/bin/$p --version: '$out', want $ver"
done
say "shrikec and shrike-agent --version: $ver"
# The event generator: its actions listed, one run for real (it cleans up).
n=$(/usr/bin/shrike-eventgen --list | grep -c '^[a-z]') || fail "/usr/bin/shrike-eventgen --list"
/usr/bin/shrike-eventgen write_below_etc || fail "/usr/bin/shrike-eventgen write_below_etc"
[ ! -e /etc/shrike-eventgen-test ] || fail "shrike-eventgen left /etc/shrike-eventgen-test behind"
say "shrike-eventgen: $n actions; write_below_etc ran and cleaned up"

conffiles=$(dpkg-query -W -f='${Conffiles}\n' shrike | awk 'NF {print $1}')
for f in /etc/shrike/shrike.yaml /etc/shrike/rules.d/*.yaml; do
	echo "$conffiles" | grep -qx "$f" || fail "$f is not a conffile of shrike"
done
/usr/bin/shrikec validate /etc/shrike/rules.d >/dev/null || fail "shrikec validate /etc/shrike/rules.d"
n=$(cat rules/tests/*.cases.yaml | grep -c '^    rules_file: ')
out=$(/usr/bin/shrikec test --cases /usr/share/shrike/rules-tests/*.cases.yaml 2>&1) ||
	fail "the packaged rules' cases: $(echo "$out" | tail -5)"
[ "$(echo "$out" | tail -n1)" = "$n cases: $n passed, 0 failed, 0 with bad input" ] ||
	fail "the packaged rules' cases: $(echo "$out" | tail -n1)"
say "the default rules' $n cases hold against /etc/shrike/rules.d as packaged"
# shellcheck disable=SC2086,SC2116 # on one line
say "conffiles: $(echo $conffiles)"
[ "$(grep -v '^#' /usr/lib/modules-load.d/shrike.conf)" = shrike ] || fail "modules-load.d/shrike.conf"
# dh_installsystemd's postinst enables the unit (starting it only under a running systemd).
[ -L /etc/systemd/system/multi-user.target.wants/shrike-agent.service ] || fail "shrike-agent.service not enabled"

# The installed agent without the module: exit 1 and the one-line reason;
# under a (simulated) lockdown the hint about signing.
if [ ! -e /sys/module/shrike ]; then
	rc=0
	msg=$(/usr/bin/shrike-agent --status 2>&1) || rc=$?
	{ [ $rc = 1 ] && echo "$msg" | grep -q "not found: is shrike.ko loaded"; } ||
		fail "shrike-agent --status without the module: rc $rc, '$msg'"
	if ! grep -q '\[\(integrity\|confidentiality\)\]' /sys/kernel/security/lockdown 2>/dev/null; then
		! echo "$msg" | grep -q lockdown || fail "lockdown hint without lockdown: '$msg'"
	fi
	lmsg=$(unshare -m sh -c 'mount -t tmpfs none /sys/kernel/security &&
		echo "none [integrity] confidentiality" >/sys/kernel/security/lockdown &&
		/usr/bin/shrike-agent --status' 2>&1) || true
	if echo "$lmsg" | grep -q "not found: is shrike.ko loaded"; then
		echo "$lmsg" | grep -q "; kernel lockdown is active (integrity): the module must be signed" ||
			fail "no lockdown hint: '$lmsg'"
		say "agent without the module says so, with the Secure Boot hint under lockdown"
	else
		say "agent without the module says so (lockdown hint not checked: cannot mount over /sys/kernel/security here)"
	fi
fi

unit=/usr/lib/systemd/system/shrike-agent.service
[ -f "$unit" ] || fail "no $unit"
grep -q '^ExecStart=/usr/bin/shrike-agent -c /etc/shrike/shrike.yaml$' "$unit" || fail "$unit: ExecStart not filled in"
# Is systemd-analyze usable here (a container without systemd as PID 1 may
# not be)? A trivial unit must verify first.
probe=$(mktemp -d)
printf '[Unit]\nDescription=probe\n[Service]\nExecStart=/bin/true\n' >"$probe/shrike-probe.service"
if ! pout=$(systemd-analyze verify "$probe/shrike-probe.service" 2>&1); then
	rm -rf "$probe"
	say "SKIPPED systemd-analyze verify: systemd-analyze is unusable here ($(echo "$pout" | head -n1))"
else
	rm -rf "$probe"
	out=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify $unit: $out"
	! echo "$out" | grep -q 'shrike' || fail "systemd-analyze verify $unit: $out"
	say "systemd-analyze verify $unit: clean"
fi

for page in man1/shrikec.1 man1/shrike-eventgen.1 man8/shrike-agent.8 man5/shrike.yaml.5; do
	f=/usr/share/man/$page.gz
	[ -f "$f" ] || fail "no $f"
	err=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null) || fail "man -l $f: $err"
	[ -z "$err" ] || fail "man --warnings -l $f: $err"
	name=$(basename "$page" | sed 's/\.[0-9]$//')
	man -aw "${page:3:1}" "$name" | grep -qx "$f" || fail "man -aw ${page:3:1} $name does not find $f"
done
say "man pages render without warnings: shrikec(1) shrike-eventgen(1) shrike-agent(8) shrike.yaml(5)"

# ---- purge: nothing left ----------------------------------------------------------------
if ! DEBIAN_FRONTEND=noninteractive apt-get purge -y shrike shrike-dkms shrike-eventgen >"$dir/purge.log" 2>&1; then
	cat "$dir/purge.log" >&2
	fail "apt-get purge"
fi
for p in shrike shrike-dkms shrike-eventgen; do
	! dpkg -L "$p" >/dev/null 2>&1 || fail "dpkg -L $p still succeeds after purge"
done
st=$(dkms status -m shrike 2>&1)
[ -z "$st" ] || fail "dkms status after purge: $st"
! ls -d /usr/src/shrike-* >/dev/null 2>&1 || fail "left behind: $(ls -d /usr/src/shrike-*)"
[ ! -e /var/lib/dkms/shrike ] || fail "left behind: /var/lib/dkms/shrike"
left=$(find /lib/modules/*/updates -name 'shrike.ko*' 2>/dev/null || true)
[ -z "$left" ] || fail "left behind: $left"
for k in $kernels; do
	! grep -q '/shrike\.ko' "/lib/modules/$k/modules.dep" || fail "modules.dep of $k still lists shrike"
done
[ ! -e /etc/shrike ] || fail "left behind: /etc/shrike ($(ls -A /etc/shrike))"
left=$(ls -d /usr/bin/shrikec /usr/bin/shrike-agent /usr/bin/shrike-eventgen /usr/lib/modules-load.d/shrike.conf $unit \
	/usr/share/shrike \
	/etc/systemd/system/*/shrike-agent.service /var/log/shrike 2>/dev/null || true)
[ -z "$left" ] || fail "left behind: $left"
installed=0
[ $mok_existed = 1 ] || rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
say "purged: no package, DKMS tree, source, module, configuration or unit left"
say "passed in $(( $(date +%s) - start ))s"
