# shellcheck shell=sh
# workload.sh - a whole job, not a microbenchmark (sourced by bench.sh): a
# build of 384 translation units with two jobs, as make -j2, then a package
# unpacked, copied, renamed and removed. The guest has no compiler (a busybox
# initramfs), so a unit is what a compiler does to the system: it reads a
# dozen headers, spends CPU on its text (md5sum of it, in userspace), writes
# its object through a temporary file renamed into place; then an archive of
# the objects and a "link". Timed end to end with /proc/uptime (10 ms).

wl=/tmp/wl
workload_setup() {
	rm -rf $wl
	mkdir -p $wl/include $wl/obj $wl/pkg/app/lib $wl/pkg/app/share
	i=1
	while [ $i -le 24 ]; do
		head -c 6000 /dev/urandom | od -An -tx1 >$wl/include/h$i.h
		head -c 2048 /dev/urandom >$wl/pkg/app/lib/lib$i.so
		echo "doc $i" >$wl/pkg/app/share/README.$i
		i=$((i + 1))
	done
	(cd $wl/pkg && tar czf $wl/app.tar.gz app)
	rm -rf $wl/pkg
	cat >$wl/cc.sh <<'CC'
u=$1 w=/tmp/wl
cat $w/include/h$((u % 24 + 1)).h $w/include/h$(((u + 5) % 24 + 1)).h \
	$w/include/h$(((u + 11) % 24 + 1)).h $w/include/h$(((u + 17) % 24 + 1)).h >$w/obj/u$u.i
md5sum $w/obj/u$u.i $w/obj/u$u.i $w/obj/u$u.i >$w/obj/u$u.o.tmp
mv $w/obj/u$u.o.tmp $w/obj/u$u.o
rm $w/obj/u$u.i
CC
}

# Prints centiseconds the job took.
workload_run() {
	t0=$(cut -d' ' -f1 /proc/uptime | tr -d .)
	seq 1 384 | xargs -n 1 -P 2 sh $wl/cc.sh
	tar cf $wl/lib.a -C $wl/obj .
	cat $wl/obj/*.o >$wl/app
	rm -rf $wl/obj/* $wl/lib.a $wl/app
	mkdir -p $wl/unpack
	tar xzf $wl/app.tar.gz -C $wl/unpack
	cp -a $wl/unpack/app $wl/unpack/app.orig
	for f in "$wl"/unpack/app/lib/*.so; do mv "$f" "$f.1"; done
	rm -rf $wl/unpack
	t1=$(cut -d' ' -f1 /proc/uptime | tr -d .)
	echo $((t1 - t0))
}
