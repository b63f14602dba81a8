// SPDX-License-Identifier: GPL-2.0
/*
 * eval.c - runs a verified rule program: Kleene three-valued logic over
 * comparisons whose values come from a fetch callback. The same code runs in
 * a syscall tracepoint and in the agent, so it allocates nothing, never
 * recurses, and every loop is bounded by a string, set or program length.
 *
 * Work is bounded too (shrike_eval_bounded): every test costs a unit and
 * every string comparison the bytes it may read (contains is linear, Two-Way;
 * glob is charged per step), taken from a budget the caller gives for the
 * whole event. What the budget cannot pay for is UNKNOWN: in the kernel the
 * event goes up as a candidate and the agent, which has no budget, decides.
 */
#include "table.h"

#ifdef SHRIKE_KERNEL_FETCH
/*
 * In shrike.ko there is one fetch function: called directly, not through a
 * pointer (a retpoline per test on the probe's path).
 */
int SHRIKE_KERNEL_FETCH(void *ctx, u16 field, u16 arg, struct shrike_val *out);
#define FETCH(fn, ...) SHRIKE_KERNEL_FETCH(__VA_ARGS__)
#else
#define FETCH(fn, ...) fn(__VA_ARGS__)
#endif

#ifndef __KERNEL__
static shrike_regex_fn regex_hook;
static shrike_host_fn host_hook;

void shrike_eval_set_regex_hook(shrike_regex_fn fn)
{
	regex_hook = fn;
}

void shrike_eval_set_host_hook(shrike_host_fn fn)
{
	host_hook = fn;
}
#endif

static int tv_not(int a)
{
	if (a == SHRIKE_V_UNKNOWN)
		return a;
	return a == SHRIKE_V_TRUE ? SHRIKE_V_FALSE : SHRIKE_V_TRUE;
}

static int tv_and(int a, int b)
{
	if (a == SHRIKE_V_FALSE || b == SHRIKE_V_FALSE)
		return SHRIKE_V_FALSE;
	if (a == SHRIKE_V_TRUE && b == SHRIKE_V_TRUE)
		return SHRIKE_V_TRUE;
	return SHRIKE_V_UNKNOWN;
}

static int tv_or(int a, int b)
{
	if (a == SHRIKE_V_TRUE || b == SHRIKE_V_TRUE)
		return SHRIKE_V_TRUE;
	if (a == SHRIKE_V_FALSE && b == SHRIKE_V_FALSE)
		return SHRIKE_V_FALSE;
	return SHRIKE_V_UNKNOWN;
}

static inline u8 fold(u8 c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Takes n units from the budget *w (NULL: no budget). False when short. */
static inline int charge(u32 *w, u32 n)
{
	if (!w)
		return 1;
	if (*w < n) {
		*w = 0;
		return 0;
	}
	*w -= n;
	return 1;
}

static inline u8 at(const u8 *p, u32 i, int ci)
{
	return ci ? fold(p[i]) : p[i];
}

/*
 * The maximal suffix of p[0..m) for the byte order (rev: the reverse
 * order), as the critical factorization of Two-Way needs: its start - 1
 * (so -1 is the whole string) and its period.
 */
static int max_suffix(const u8 *p, u32 m, int ci, int rev, u32 *period)
{
	int ms = -1;
	u32 j = 0, k = 1, per = 1;

	while (j + k < m) {
		u8 a = at(p, j + k, ci), b = at(p, (u32)(ms + (int)k), ci);

		if (rev ? a > b : a < b) {
			j += k;
			k = 1;
			per = j - (u32)ms;
		} else if (a == b) {
			if (k != per) {
				k++;
			} else {
				j += per;
				k = 1;
			}
		} else {
			ms = (int)j;
			j = (u32)ms + 1;
			k = per = 1;
		}
	}
	*period = per;
	return ms;
}

/*
 * Whether p[0..m) occurs in s[0..n): Crochemore and Perrin's Two-Way
 * search, O(n + m) time and constant space (glibc's memmem is the same
 * algorithm), so a hostile path cannot make contains quadratic.
 */
static int find(const u8 *s, u32 n, const u8 *p, u32 m, int ci)
{
	u32 per, q, j, i, ell1;
	int ell, memory, k, a, b;

	if (!m)
		return 1;
	if (m > n)
		return 0;
	a = max_suffix(p, m, ci, 0, &per);
	b = max_suffix(p, m, ci, 1, &q);
	if (a < b) {
		a = b;
		per = q;
	}
	ell = a;
	ell1 = (u32)(ell + 1);
	/* The suffix's period is at most its length: i + per < m. */
	for (i = 0; i < ell1; i++)
		if (at(p, i, ci) != at(p, i + per, ci))
			break;
	if (i < ell1) {
		/* Not periodic: shift by more than either half. */
		per = (ell1 > m - ell1 ? ell1 : m - ell1) + 1;
		for (j = 0; j + m <= n;) {
			for (i = ell1; i < m && at(p, i, ci) == at(s, i + j, ci); i++)
				;
			if (i < m) {
				j += i - (u32)ell;
				continue;
			}
			for (k = ell; k >= 0 && at(p, (u32)k, ci) == at(s, (u32)k + j, ci); k--)
				;
			if (k < 0)
				return 1;
			j += per;
		}
		return 0;
	}
	/* Periodic: remember how much of the period already matched. */
	memory = -1;
	for (j = 0; j + m <= n;) {
		i = (u32)((ell > memory ? ell : memory) + 1);
		for (; i < m && at(p, i, ci) == at(s, i + j, ci); i++)
			;
		if (i < m) {
			j += i - (u32)ell;
			memory = -1;
			continue;
		}
		for (k = ell; k > memory && at(p, (u32)k, ci) == at(s, (u32)k + j, ci); k--)
			;
		if (k <= memory)
			return 1;
		j += per;
		memory = (int)(m - per) - 1;
	}
	return 0;
}

/*
 * Parses the bracket expression at p[*pi] == '[' and matches c against it.
 * Returns 1 or 0 and moves *pi past the ']'; -1 if there is no closing ']',
 * in which case fnmatch takes the '[' literally.
 */
static int glob_class(const u8 *p, u32 pn, u32 *pi, u8 c, int ci)
{
	u32 i = *pi + 1;
	int neg = 0, hit = 0;
	u32 start;

	if (i < pn && (p[i] == '!' || p[i] == '^')) {
		neg = 1;
		i++;
	}
	start = i;
	for (; i < pn; i++) {
		u8 lo = p[i], hi;

		if (lo == ']' && i > start)
			break;
		hi = lo;
		if (i + 2 < pn && p[i + 1] == '-' && p[i + 2] != ']') {
			hi = p[i + 2];
			i += 2;
		}
		if (c >= lo && c <= hi)
			hit = 1;
		else if (ci && ((fold(c) >= lo && fold(c) <= hi) ||
				(c >= 'a' && c <= 'z' &&
				 c - ('a' - 'A') >= lo && c - ('a' - 'A') <= hi)))
			hit = 1;
	}
	if (i >= pn)
		return -1;
	*pi = i + 1;
	return hit != neg;
}

/*
 * The offset of the first '[' in a glob pattern that has no closing ']' (so
 * fnmatch takes it literally), or plen when every bracket closes. The
 * verifier refuses such patterns and shrikec writes a literal '[' as "[[]":
 * then each bracket is parsed in time of its own length, not the pattern's.
 */
u32 shrike_glob_unclosed(const char *pat, u32 plen)
{
	const u8 *p = (const u8 *)pat;
	u32 i = 0, next;

	while (i < plen) {
		if (p[i] != '[') {
			i++;
			continue;
		}
		next = i;
		if (glob_class(p, plen, &next, 0, 0) < 0)
			return i;
		i = next;
	}
	return plen;
}

/*
 * fnmatch(3) with FNM_NOESCAPE (plus FNM_CASEFOLD for iglob), as Falco: '*'
 * crosses '/', no escapes. Backtracks only to the last '*', which is exact
 * for patterns whose other tokens match one character each: O(slen * plen)
 * steps, each charged to *w; -1 when the budget runs out.
 */
static int glob_bounded(const u8 *p, u32 plen, const u8 *s, u32 slen, int ci, u32 *w)
{
	u32 pi = 0, si = 0, star_p = 0, star_s = 0;
	int have_star = 0;

	while (si < slen) {
		if (!charge(w, 1))
			return -1;
		if (pi < plen) {
			u8 c = p[pi];
			u32 next = pi;
			int r;

			if (c == '*') {
				have_star = 1;
				star_p = ++pi;
				star_s = si;
				continue;
			}
			if (c == '?') {
				pi++;
				si++;
				continue;
			}
			if (c == '[') {
				r = glob_class(p, plen, &next, s[si], ci);
				if (r >= 0 && !charge(w, next - pi))
					return -1;
				if (r == 1) {
					pi = next;
					si++;
					continue;
				}
				if (r == 0)
					goto backtrack;
				/* Unclosed: a table never has one; charge the scan. */
				if (!charge(w, plen - pi))
					return -1;
			}
			if (c == s[si] || (ci && fold(c) == fold(s[si]))) {
				pi++;
				si++;
				continue;
			}
		}
backtrack:
		if (!have_star)
			return 0;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < plen && p[pi] == '*')
		pi++;
	return pi == plen;
}

int shrike_glob_match(const char *pat, u32 plen, const char *str, u32 slen,
		      int ci)
{
	return glob_bounded((const u8 *)pat, plen, (const u8 *)str, slen, ci, NULL);
}

/*
 * Compares set member m with the value s, optionally followed by a virtual
 * '/', in set order (length, then bytes).
 */
static int member_vcmp(const u8 *m, u32 mlen, const u8 *s, u32 n, int slash)
{
	int c;

	if (mlen != n + slash)
		return mlen < n + slash ? -1 : 1;
	c = n ? memcmp(m, s, n) : 0;
	if (c || !slash)
		return c;
	return m[n] < '/' ? -1 : m[n] > '/';
}

static int set_has(const struct shrike_table *t, u32 set, const u8 *s, u32 n,
		   int slash)
{
	u32 first = le32_to_cpu(t->sets[set].first);
	u32 lo = 0, hi = le32_to_cpu(t->sets[set].count);

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		u32 ref = le32_to_cpu(t->setitems[first + mid]);
		int c = member_vcmp(t->strings + le32_to_cpu(t->strrefs[ref].off),
				    le32_to_cpu(t->strrefs[ref].len), s, n, slash);

		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* set_has charged its binary search: n + 1 bytes a probe, -1 when short. */
static int set_has_w(const struct shrike_table *t, u32 set, const u8 *s, u32 n,
		     int slash, u32 *w)
{
	u32 count = le32_to_cpu(t->sets[set].count), probes = 1;

	while (count) {
		probes++;
		count >>= 1;
	}
	if (!charge(w, (n + 1) * probes))
		return -1;
	return set_has(t, set, s, n, slash);
}

/*
 * Falco's path_prefix_search: a member matches a path equal to it or below
 * it; a trailing '/' on either side does not matter, and "/" matches every
 * absolute path. One binary search per '/' in the value. -1: out of budget.
 */
static int pmatch(const struct shrike_table *t, u32 set, const u8 *s, u32 n, u32 *w)
{
	u32 i;
	int r;

	r = set_has_w(t, set, s, n, 0, w);
	if (r || !n)
		return r;
	r = set_has_w(t, set, s, n, 1, w);
	for (i = 0; !r && i < n; i++) {
		if (s[i] != '/')
			continue;
		if (i)
			r = set_has_w(t, set, s, i, 0, w);
		if (!r)
			r = set_has_w(t, set, s, i + 1, 0, w);
	}
	return r;
}

/* A matcher's 1, 0 or -1 (out of budget) as a truth value. */
static inline int tv_of(int r)
{
	return r < 0 ? SHRIKE_V_UNKNOWN : r ? SHRIKE_V_TRUE : SHRIKE_V_FALSE;
}

/* One string against one operand: SHRIKE_V_*. Charges *w (NULL: no budget). */
static int str_cmp(const struct shrike_table *t, u8 cmp, u16 opnd,
		   const u8 *s, u32 n, u32 *w)
{
	const u8 *p = NULL;
	u32 m = 0;

	if (cmp != SHRIKE_CMP_PMATCH && cmp != SHRIKE_CMP_IN &&
	    cmp != SHRIKE_CMP_INTERSECTS) {
		p = t->strings + le32_to_cpu(t->strrefs[opnd].off);
		m = le32_to_cpu(t->strrefs[opnd].len);
	}
	switch (cmp) {
	case SHRIKE_CMP_EQ:
	case SHRIKE_CMP_NE:
	case SHRIKE_CMP_STARTSWITH:
	case SHRIKE_CMP_BSTARTSWITH:
	case SHRIKE_CMP_ENDSWITH:
		if (!charge(w, m))
			return SHRIKE_V_UNKNOWN;
		break;
	case SHRIKE_CMP_CONTAINS:
	case SHRIKE_CMP_BCONTAINS:
	case SHRIKE_CMP_ICONTAINS:
		/* Two-Way compares at most 2n + m bytes, its setup 2m. */
		if (!charge(w, 2 * n + 3 * m))
			return SHRIKE_V_UNKNOWN;
		break;
	}
	switch (cmp) {
	case SHRIKE_CMP_EQ:
		return n == m && !memcmp(s, p, m);
	case SHRIKE_CMP_NE:
		return !(n == m && !memcmp(s, p, m));
	case SHRIKE_CMP_CONTAINS:
	case SHRIKE_CMP_BCONTAINS:
		return find(s, n, p, m, 0);
	case SHRIKE_CMP_ICONTAINS:
		return find(s, n, p, m, 1);
	case SHRIKE_CMP_STARTSWITH:
	case SHRIKE_CMP_BSTARTSWITH:
		return n >= m && !memcmp(s, p, m);
	case SHRIKE_CMP_ENDSWITH:
		return n >= m && !memcmp(s + n - m, p, m);
	case SHRIKE_CMP_GLOB:
		return tv_of(glob_bounded(p, m, s, n, 0, w));
	case SHRIKE_CMP_IGLOB:
		return tv_of(glob_bounded(p, m, s, n, 1, w));
	case SHRIKE_CMP_PMATCH:
		return tv_of(pmatch(t, opnd, s, n, w));
	case SHRIKE_CMP_IN:
	case SHRIKE_CMP_INTERSECTS:
		return tv_of(set_has_w(t, opnd, s, n, 0, w));
	case SHRIKE_CMP_REGEX:
#ifndef __KERNEL__
		if (regex_hook) {
			int r = regex_hook((const char *)p, m, (const char *)s, n);

			if (r >= 0)
				return r ? SHRIKE_V_TRUE : SHRIKE_V_FALSE;
		}
#endif
		return SHRIKE_V_UNKNOWN;
	}
	return SHRIKE_V_FALSE;
}

/*
 * A list value means two things in Falco. For a list-valued field
 * (SHRIKE_T_STRLIST: ka.req.pod.containers.image) "in" holds when every
 * element is in the set. For a single-valued field given several values
 * (proc.aname without an index: any ancestor) every operator, "in"
 * included, holds when any element matches.
 */
static int eval_str(const struct shrike_table *t, u8 ftype, u8 cmp, u16 opnd,
		    const struct shrike_val *v, u32 *w)
{
	int res = SHRIKE_V_FALSE, r;
	u32 i;

	if (v->type == SHRIKE_T_STR)
		return str_cmp(t, cmp, opnd, (const u8 *)v->str.ptr, v->str.len, w);
	if (v->type != SHRIKE_T_STRLIST)
		return SHRIKE_V_FALSE;

	if (cmp == SHRIKE_CMP_IN && ftype == SHRIKE_T_STRLIST) {
		for (i = 0; i < v->list.n; i++) {
			r = set_has_w(t, opnd, (const u8 *)v->list.items[i].ptr,
				      v->list.items[i].len, 0, w);
			if (r <= 0)
				return tv_of(r);
		}
		return SHRIKE_V_TRUE;
	}
	/* Everything else: any element. */
	for (i = 0; i < v->list.n; i++) {
		r = str_cmp(t, cmp, opnd, (const u8 *)v->list.items[i].ptr,
			    v->list.items[i].len, w);
		if (r == SHRIKE_V_TRUE)
			return r;
		if (r == SHRIKE_V_UNKNOWN)
			res = r;
	}
	return res;
}

/* Decimal, as the compiler writes integer set members. */
static u32 fmt_dec(u8 *buf, u64 x, int neg)
{
	static const u64 pow10[20] = {
		10000000000000000000ull, 1000000000000000000ull,
		100000000000000000ull, 10000000000000000ull,
		1000000000000000ull, 100000000000000ull, 10000000000000ull,
		1000000000000ull, 100000000000ull, 10000000000ull,
		1000000000ull, 100000000ull, 10000000ull, 1000000ull,
		100000ull, 10000ull, 1000ull, 100ull, 10ull, 1ull,
	};
	u32 n = 0, i;
	int started = 0;

	if (neg) {
		buf[n++] = '-';
		x = -x;		/* well defined for u64, also for S64_MIN */
	}
	for (i = 0; i < 20; i++) {
		u8 d = '0';

		while (x >= pow10[i]) {
			x -= pow10[i];
			d++;
		}
		if (d != '0' || started || i == 19) {
			buf[n++] = d;
			started = 1;
		}
	}
	return n;
}

static int eval_int(const struct shrike_table *t, u8 ftype, u8 cmp, u16 opnd,
		    const struct shrike_val *v)
{
	int sgn = ftype == SHRIKE_T_S64;
	u64 a = v->u, b;
	s64 sa = (s64)a, sb;

	if (v->type != SHRIKE_T_U64 && v->type != SHRIKE_T_S64 &&
	    v->type != SHRIKE_T_BOOL)
		return SHRIKE_V_FALSE;
	if (cmp == SHRIKE_CMP_IN) {
		u8 buf[24];
		u32 n = fmt_dec(buf, a, sgn && sa < 0);

		return set_has(t, opnd, buf, n, 0);
	}
	b = le64_to_cpu(t->ints[opnd]);
	sb = (s64)b;
	switch (cmp) {
	case SHRIKE_CMP_EQ:
		return a == b;
	case SHRIKE_CMP_NE:
		return a != b;
	case SHRIKE_CMP_LT:
		return sgn ? sa < sb : a < b;
	case SHRIKE_CMP_LE:
		return sgn ? sa <= sb : a <= b;
	case SHRIKE_CMP_GT:
		return sgn ? sa > sb : a > b;
	case SHRIKE_CMP_GE:
		return sgn ? sa >= sb : a >= b;
	}
	return SHRIKE_V_FALSE;
}

/* First CIDR entry of set, found by binary search: CIDRS is sorted by set. */
static u32 cidr_first(const struct shrike_table *t, u32 set)
{
	u32 lo = 0, hi = t->ncidrs;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (le32_to_cpu(t->cidrs[mid].set) < set)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int prefix_eq(const u8 *a, const u8 *b, u32 bits)
{
	u32 bytes = bits / 8, rem = bits % 8;

	if (bytes && memcmp(a, b, bytes))
		return 0;
	if (!rem)
		return 1;
	return !((a[bytes] ^ b[bytes]) & (u8)(0xff << (8 - rem)));
}

/* An address or network is "in" a CIDR set when some entry contains it. */
static int eval_ip(const struct shrike_table *t, u8 cmp, u16 opnd,
		   const struct shrike_val *v, u32 *w)
{
	u32 i, vbits;
	int hit = 0;

	if ((v->type != SHRIKE_T_IPADDR && v->type != SHRIKE_T_IPNET) ||
	    (v->family != 4 && v->family != 6))
		return SHRIKE_V_FALSE;
	vbits = v->family == 4 ? 32 : 128;
	if (v->type == SHRIKE_T_IPNET && v->prefix < vbits)
		vbits = v->prefix;
	for (i = cidr_first(t, opnd);
	     i < t->ncidrs && le32_to_cpu(t->cidrs[i].set) == opnd; i++) {
		const struct shrike_cidr *c = &t->cidrs[i];

		if (!charge(w, 1))
			return SHRIKE_V_UNKNOWN;
		if (c->family == v->family && c->prefix <= vbits &&
		    prefix_eq(c->addr, v->ip, c->prefix)) {
			hit = 1;
			break;
		}
	}
	return cmp == SHRIKE_CMP_NE ? !hit : hit;
}

#ifndef __KERNEL__
static int host_is(const struct shrike_table *t, u32 ref,
		   const struct shrike_val *v)
{
	u32 len;
	const char *name = shrike_str_at(t, ref, &len);
	int r = host_hook ? host_hook(name, len, v) : -1;

	if (r < 0)
		return SHRIKE_V_UNKNOWN;
	return r ? SHRIKE_V_TRUE : SHRIKE_V_FALSE;
}

/*
 * A name field given its address (fd.sip.name: the server's), as libsinsp's
 * compare_domain: "= NAME" holds when the address is one of NAME's, "!=" is
 * the negation, "in" any of the names. libsinsp supports no other operator
 * on these fields (it throws): FALSE.
 */
static int eval_host(const struct shrike_table *t, u8 cmp, u16 opnd,
		     const struct shrike_val *v)
{
	u32 first, n, i;
	int res = SHRIKE_V_FALSE, r;

	switch (cmp) {
	case SHRIKE_CMP_EQ:
		return host_is(t, opnd, v);
	case SHRIKE_CMP_NE:
		return tv_not(host_is(t, opnd, v));
	case SHRIKE_CMP_IN:
		first = le32_to_cpu(t->sets[opnd].first);
		n = le32_to_cpu(t->sets[opnd].count);
		for (i = 0; i < n; i++) {
			r = host_is(t, le32_to_cpu(t->setitems[first + i]), v);
			if (r == SHRIKE_V_TRUE)
				return r;
			if (r == SHRIKE_V_UNKNOWN)
				res = r;
		}
		return res;
	}
	return SHRIKE_V_FALSE;
}
#endif

static int eval_test(const struct shrike_table *t,
		     const struct shrike_insn *in, shrike_fetch_fn fetch,
		     void *ctx, u32 *w)
{
	u16 field = le16_to_cpu(in->field);
	u16 opnd = le16_to_cpu(in->operand);
	struct shrike_val v;
	u8 ftype;
	int rc;

	if (SHRIKE_BROKEN(field >= __SHRIKE_F_MAX))
		return SHRIKE_V_UNKNOWN;
	/* A test is a unit: a budget bounds a bucket of 65,535 of them. */
	if (!charge(w, 1))
		return SHRIKE_V_UNKNOWN;
	v.type = __SHRIKE_T_MAX;	/* a fetch that fills nothing: FALSE */
	rc = FETCH(fetch, ctx, field, le16_to_cpu(in->arg), &v);
	if (rc == SHRIKE_FETCH_MISSING)
		return SHRIKE_V_FALSE;
	if (rc != SHRIKE_FETCH_OK)
		return SHRIKE_V_UNKNOWN;
	if (in->cmp == SHRIKE_CMP_EXISTS)
		return SHRIKE_V_TRUE;

	ftype = shrike_fields[field].type;
#ifndef __KERNEL__
	if (ftype == SHRIKE_T_STR && v.type == SHRIKE_T_IPADDR)
		return eval_host(t, in->cmp, opnd, &v);
#endif
	switch (ftype) {
	case SHRIKE_T_U64:
	case SHRIKE_T_S64:
	case SHRIKE_T_BOOL:
		return eval_int(t, ftype, in->cmp, opnd, &v);
	case SHRIKE_T_STR:
	case SHRIKE_T_STRLIST:
		return eval_str(t, ftype, in->cmp, opnd, &v, w);
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		return eval_ip(t, in->cmp, opnd, &v, w);
	}
	return SHRIKE_V_FALSE;
}

int shrike_eval_bounded(const struct shrike_table *t, const struct shrike_rule *r,
			shrike_fetch_fn fetch, void *ctx, u32 *work)
{
	u8 st[SHRIKE_MAX_STACK];
	u32 first = le32_to_cpu(r->prog);
	u32 n = le32_to_cpu(r->prog_len);
	u32 sp = 0, pc;

	if (SHRIKE_BROKEN((u64)first + n > t->ninsns))
		return SHRIKE_V_UNKNOWN;
	for (pc = 0; pc < n; pc++) {
		const struct shrike_insn *in = &t->insns[first + pc];
		u16 opnd = le16_to_cpu(in->operand);

		switch (in->op) {
		case SHRIKE_OP_TEST:
		case SHRIKE_OP_PUSH:
			if (SHRIKE_BROKEN(sp >= SHRIKE_MAX_STACK))
				return SHRIKE_V_UNKNOWN;
			st[sp++] = in->op == SHRIKE_OP_PUSH ? opnd :
				   eval_test(t, in, fetch, ctx, work);
			break;
		case SHRIKE_OP_NOT:
			if (SHRIKE_BROKEN(sp < 1))
				return SHRIKE_V_UNKNOWN;
			st[sp - 1] = tv_not(st[sp - 1]);
			break;
		case SHRIKE_OP_AND:
		case SHRIKE_OP_OR:
			if (SHRIKE_BROKEN(sp < 2))
				return SHRIKE_V_UNKNOWN;
			sp--;
			st[sp - 1] = in->op == SHRIKE_OP_AND ?
				     tv_and(st[sp - 1], st[sp]) :
				     tv_or(st[sp - 1], st[sp]);
			break;
		case SHRIKE_OP_JF:
		case SHRIKE_OP_JT:
			if (SHRIKE_BROKEN(sp < 1))
				return SHRIKE_V_UNKNOWN;
			/* UNKNOWN never short-circuits: the other side decides. */
			if (st[sp - 1] == (in->op == SHRIKE_OP_JF ?
					   SHRIKE_V_FALSE : SHRIKE_V_TRUE))
				pc += opnd;
			break;
		case SHRIKE_OP_RET:
			if (SHRIKE_BROKEN(sp != 1))
				return SHRIKE_V_UNKNOWN;
			return st[0];
		default:
			(void)SHRIKE_BROKEN(1);
			return SHRIKE_V_UNKNOWN;
		}
	}
	(void)SHRIKE_BROKEN(1);
	return SHRIKE_V_UNKNOWN;
}

int shrike_eval(const struct shrike_table *t, const struct shrike_rule *r,
		shrike_fetch_fn fetch, void *ctx)
{
	return shrike_eval_bounded(t, r, fetch, ctx, NULL);
}
