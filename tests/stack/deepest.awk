# deepest.awk - the deepest stack path from each tracepoint probe of shrike.ko,
# read from gcc's -fcallgraph-info=su files (*.ci, VCG graphs): each node a
# function with its own frame size, each edge a call. Functions outside the
# module (kernel helpers) count 0 here: their frames are the kernel's, as are
# indirect calls made by kernel inlines (a refcount's release, an skb's
# destructor: their call site is outside SRC). The indirect call in
# shrike_fetch is its dispatch table, whose targets gcc also lists as edges;
# any other indirect call of the module's own on a probe path is an error, as
# is recursion or a frame of dynamic (unbounded) size.
#
# Usage: awk -v src=DIR -v roots="probe.c:probe_enter ..." -v limit=BYTES \
#            -f deepest.awk DIR/*.ci
# Prints one line per root, "PROBE BYTES: f1 (n) > f2 (m) > ...", and exits 1
# when a path is over limit (or cannot be bounded).
function short(t) { sub(/^.*\//, "", t); return t }
/^node:/ {
	match($0, /title: "[^"]*"/); t = substr($0, RSTART + 8, RLENGTH - 9)
	if (match($0, /\\n[0-9]+ bytes \([a-z,]*\)/)) {
		s = substr($0, RSTART + 2, RLENGTH - 2)
		size[t] = s + 0
		if (s ~ /dynamic/ && s !~ /bounded/) unbounded[t] = 1
	}
	next
}
/^edge:/ {
	match($0, /sourcename: "[^"]*"/); s = substr($0, RSTART + 13, RLENGTH - 14)
	match($0, /targetname: "[^"]*"/); d = substr($0, RSTART + 13, RLENGTH - 14)
	site = ""
	if (match($0, /label: "[^"]*"/)) site = substr($0, RSTART + 8, RLENGTH - 9)
	if (d == "__indirect_call" && index(site, src) != 1) next
	if (!((s, d) in seen)) { seen[s, d] = 1; n[s]++; callee[s, n[s]] = d }
}
function depth(f,    i, d, best, bpath) {
	if (f in memo) return memo[f]
	if (f in onpath) { err = err "recursion through " short(f) "\n"; return 0 }
	if (f in unbounded) err = err short(f) ": frame of unbounded size\n"
	onpath[f] = 1
	best = 0; bpath = ""
	for (i = 1; i <= n[f]; i++) {
		d = callee[f, i]
		if (d == "__indirect_call") {
			if (f != "shrike_fetch") err = err "indirect call in " short(f) "\n"
			continue
		}
		if (depth(d) > best) { best = memo[d]; bpath = path[d] }
	}
	delete onpath[f]
	memo[f] = size[f] + best
	path[f] = short(f) " (" (size[f] + 0) ")" (bpath != "" ? " > " bpath : "")
	return memo[f]
}
END {
	nr = split(roots, r, " ")
	bad = 0
	for (i = 1; i <= nr; i++) {
		root = ""
		for (t in size) if (t ~ ("/" r[i] "$") || t == r[i]) root = t
		if (root == "") { print "stack: no probe " r[i] " in the call graph"; bad = 1; continue }
		total = depth(root)
		printf "%s %d bytes: %s\n", r[i], total, path[root]
		if (total > limit) { print "stack: " r[i] " over the limit of " limit " bytes"; bad = 1 }
	}
	if (err != "") { printf "%s", err; bad = 1 }
	exit bad
}
