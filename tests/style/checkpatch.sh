#!/usr/bin/env bash
# checkpatch.sh - the kernel's checkpatch.pl over every source file of the
# module (kmod/, including kmod/common and kmod/uapi, which userspace compiles
# too). checkpatch.pl comes from the Debian linux-source-6.12 tarball,
# extracted once into $BUILD/checkpatch/. Prints each finding as
# file:line: LEVEL:TYPE: message and exits nonzero if there is any.
# Usage (from the repo root): bash tests/style/checkpatch.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${BUILD:-build}
tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
dir=$build/checkpatch
script=$dir/scripts/checkpatch.pl

# Message types that do not apply to an out-of-tree module built for several
# kernels whose shared files are also built in userspace:
ignore=(
	# Built for 6.1 .. 7.x from one source: version tests are required.
	LINUX_VERSION_CODE
	# Misreads "LINUX_VERSION_CODE >= KERNEL_VERSION(...)" (both constants).
	CONSTANT_COMPARISON
	# kmod/common/compat.h defines __printf itself for the userspace build.
	PREFER_DEFINED_ATTRIBUTE_MACRO
	# X-macro lists (SHRIKE_FIELDS, SHRIKE_EVENTS) expand to X() calls, not a value.
	COMPLEX_MACRO
	# X-macro callbacks take every column and use some; eval.c's FETCH(fn, ...)
	# calls the one kernel fetch function directly.
	MACRO_ARG_UNUSED
	# fields/evt.c's errno-to-name table names ENOSYS; nothing returns it.
	ENOSYS
)

if [ ! -f "$script" ]; then
	[ -f "$tarball" ] || {
		echo "checkpatch: $tarball missing (apt-get install linux-source-6.12)" >&2
		exit 1
	}
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	tar -xJf "$tarball" -C "$dir.tmp" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi

files=(kmod/*.c kmod/*.h kmod/common/* kmod/fields/* kmod/uapi/*)
ignore_list=$(IFS=,; echo "${ignore[*]}")
# checkpatch exits nonzero on findings; the output, not its status, decides.
out=$(perl "$script" --no-tree --terse --show-types --no-summary --quiet \
	--ignore "$ignore_list" -f "${files[@]}" 2>&1) || true
if [ -n "$out" ]; then
	printf '%s\n' "$out"
	echo "checkpatch: $(printf '%s\n' "$out" | wc -l) finding(s) in kmod/" >&2
	exit 1
fi
echo "checkpatch: ${#files[@]} kmod files clean (ignoring $ignore_list)"
