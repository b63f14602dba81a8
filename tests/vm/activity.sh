# shellcheck shell=sh
# activity.sh - ordinary activity for VM scenarios (sourced after lib.sh): a
# package installed and purged, a tarball unpacked, copied, renamed and
# deleted, state written below /var/lib, a compile-like build run from /tmp, a
# shell session without a terminal, logs rotated, and non-sensitive /etc files
# read. The noise scenario runs it under the default rules (no alert may
# come of it), the differential test (tests/difftest) under every rule file.
#
# activity_fixtures makes what it needs (before an agent starts: their making
# is not the activity); activity NAME DIR runs it all, unpacking into DIR.
# The VM has no compiler (a busybox initramfs): the build writes the
# intermediate files a compiler writes and "links" a host-built program
# (shrikec) into /tmp, then runs it from there.

activity_fixtures() {
	# mkar OUT FILE...: an ar archive, as dpkg-deb writes one (busybox ar only reads).
	mkar() {
		out=$1
		shift
		printf '!<arch>\n' >"$out"
		for f; do
			size=$(wc -c <"$f")
			printf '%-16s%-12s%-6s%-6s%-8s%-10s`\n' "$(basename "$f")" 1700000000 0 0 100644 "$size" >>"$out"
			cat "$f" >>"$out"
			[ $((size % 2)) = 0 ] || printf '\n' >>"$out"
		done
	}

	# A Debian package: a program in /usr/bin, libraries, docs, a conffile in /etc.
	d=/tmp/fixture/deb
	mkdir -p $d/data/usr/bin $d/data/usr/lib/noise-tool $d/data/usr/share/doc/noise-tool \
		$d/data/etc/noise-tool $d/control
	printf '#!/bin/sh\necho noise-tool 1.0\n' >$d/data/usr/bin/noise-tool
	chmod 0755 $d/data/usr/bin/noise-tool
	for i in $(seq 1 20); do
		head -c 2048 /dev/urandom >"$d/data/usr/lib/noise-tool/plugin$i.so"
	done
	echo 'level=info' >$d/data/etc/noise-tool/noise-tool.conf
	echo 'Copyright: none' >$d/data/usr/share/doc/noise-tool/copyright
	printf 'Package: noise-tool\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: Shrike <shrike@example.com>\nDescription: a package for the noise scenario\n' \
		>$d/control/control
	echo /etc/noise-tool/noise-tool.conf >$d/control/conffiles
	(cd $d/control && tar czf ../control.tar.gz .)
	(cd $d/data && tar czf ../data.tar.gz .)
	echo 2.0 >$d/debian-binary
	mkar /tmp/fixture/noise-tool.deb $d/debian-binary $d/control.tar.gz $d/data.tar.gz
	mkdir -p /var/lib/dpkg/info
	touch /var/lib/dpkg/status

	# A release tarball: about 150 files in nested directories.
	s=/tmp/fixture/src/app-1.0
	mkdir -p $s/bin $s/lib $s/share/doc $s/include/app
	printf '#!/bin/sh\necho app 1.0\n' >$s/bin/app
	chmod 0755 $s/bin/app
	for i in $(seq 1 30); do
		head -c 1024 /dev/urandom >"$s/lib/libapp$i.so.1"
		echo "int app_fn$i(void);" >"$s/include/app/api$i.h"
	done
	for l in de en es fr it ja nl pl pt ru sv tr uk zh_CN zh_TW; do
		mkdir -p $s/share/locale/$l/LC_MESSAGES
		echo "$l" >$s/share/locale/$l/LC_MESSAGES/app.mo
		echo "$l" >$s/share/doc/README.$l
	done
	(cd /tmp/fixture/src && tar czf /tmp/fixture/app-1.0.tar.gz app-1.0)
	mkdir -p /var/log /var/lib /opt
}

# A package installed, its program run, the package purged: dpkg writes below
# /usr/bin and /etc (the package manager exception), /var/lib/dpkg. Run as
# /bin/dpkg, as a real dpkg is: busybox sh re-executes a bare applet name as
# /proc/self/exe, whose comm (Falco's proc.name) is "exe".
package_install() {
	/bin/dpkg -i /tmp/fixture/noise-tool.deb >/dev/null
	noise-tool >/dev/null
	cat /etc/noise-tool/noise-tool.conf >/dev/null
	dpkg -l | grep -q '^ii  noise-tool '
	/bin/dpkg -P noise-tool >/dev/null
	[ ! -e /usr/bin/noise-tool ] || fail "dpkg -P left /usr/bin/noise-tool"
}

# file_churn DIR: a tarball unpacked into DIR, copied, renamed, edited in
# place, deleted. Nothing is run from it: in the container DIR is the
# writable layer, and running a program from there is what "Drop and
# execute new binary in container" is about.
file_churn() {
	mkdir -p "$1"
	tar xzf /tmp/fixture/app-1.0.tar.gz -C "$1"
	cp -a "$1/app-1.0" "$1/app-1.0.orig"
	for f in "$1"/app-1.0/lib/*.so.1; do
		mv "$f" "${f%.1}.2"
	done
	sed -i 's/int/long/' "$1"/app-1.0/include/app/api*.h
	find "$1" -type f -name '*.mo' -print0 | xargs -0 cat >/dev/null
	rm -rf "$1/app-1.0.orig"
	mv "$1/app-1.0" "$1/app-1.0.old"
	rm -rf "$1/app-1.0.old"
}

# Application state below /var/lib: replaced atomically (a temporary file
# renamed over it), a journal created and removed, a cache.
var_lib_state() {
	mkdir -p /var/lib/noise-app/cache
	for i in $(seq 1 30); do
		echo "generation=$i" >/var/lib/noise-app/state.tmp
		mv /var/lib/noise-app/state.tmp /var/lib/noise-app/state
		echo "entry $i" >>/var/lib/noise-app/db-journal
		echo "$i" >"/var/lib/noise-app/cache/item$i"
	done
	rm -f /var/lib/noise-app/db-journal
	rm -rf /var/lib/noise-app
}

# A build in DIR as cc would do it: source written, assembler and object
# files in /tmp, the linked program written, made executable and run from
# the build directory.
compile_like() {
	mkdir -p "$1"
	cd "$1" || return
	printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' >hello.c
	tmp=$(mktemp /tmp/ccXXXXXX)
	printf '\t.text\n\t.globl main\nmain:\n\tret\n' >"$tmp.s"
	head -c 1500 /dev/urandom >"$tmp.o"
	cat /usr/bin/shrikec >a.out
	chmod 0755 a.out
	./a.out --version >/dev/null
	mv a.out hello
	./hello --help >/dev/null
	rm -f "$tmp" "$tmp.s" "$tmp.o" hello hello.c
	cd /scenarios || return
	rmdir "$1"
}

# A shell session without a terminal: pipes and the usual commands.
shell_session() {
	sh -c 'ls -la / | grep -v "^total" | wc -l; ps | grep -c sh; id; whoami; env | sort | grep -c PATH
		cat /etc/hostname /etc/passwd /etc/group | wc -l; grep root /etc/passwd
		find /etc /scenarios -name "*.sh" -o -name passwd | head -n 3; uname -a; df /tmp | tail -n 1
		head -n 3 /proc/meminfo; cat /proc/loadavg; date; hostname; sleep 0.1 | cat; echo done' \
		>/dev/null
	as_user 'cd; echo "a note" >notes.txt; cat notes.txt | grep -c note; ls -la; id; rm notes.txt' \
		>/dev/null
}

# Log rotation as logrotate's create + compress does it, in a shell: the
# older archives shifted, the log renamed, a new one created, the old one
# compressed; the application appends to its log before and after.
logrotate_like() {
	log=/var/log/noise-app.log
	for _ in 1 2 3; do
		for i in $(seq 1 20); do
			echo "$(date) request $i" >>$log
		done
		[ ! -e $log.2.gz ] || mv $log.2.gz $log.3.gz
		[ ! -e $log.1.gz ] || mv $log.1.gz $log.2.gz
		mv $log $log.1
		: >$log
		chmod 0640 $log
		gzip $log.1
		echo "$(date) reopened" >>$log
	done
	zcat $log.2.gz | grep -c request >/dev/null
	# A daemon started with its output sent to a log of its own.
	sh -c 'echo started' >/var/log/noise-daemon.log 2>&1
	rm -f $log $log.*.gz /var/log/noise-daemon.log
}

# cat of non-sensitive files below /etc.
read_etc() {
	cat /etc/hostname /etc/passwd /etc/group >/dev/null
	grep -q '^user:' /etc/passwd
}

activity() {
	echo "-- activity: $1"
	package_install
	file_churn "$2"
	file_churn /tmp/noise-unpack
	var_lib_state
	compile_like /tmp/noise-build
	shell_session
	logrotate_like
	read_etc
}
