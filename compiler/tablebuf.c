/* tablebuf.c - the table builder behind tablebuf.h. Keeps host-order
 * copies of every record and only lays out little-endian bytes in
 * tb_serialize(), so indices stay stable while the code generator appends. */
#define _GNU_SOURCE
#include "tablebuf.h"

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct strent {
	uint32_t off;
	uint32_t len;
};

struct setent {
	uint32_t first;
	uint32_t count;
	int cidr; /* CIDR sets are never shared with string sets */
};

struct cidrent {
	struct tb_cidr c;
	uint32_t set;
};

struct insn {
	uint8_t op, cmp;
	uint16_t field, arg, operand;
};

struct ruleent {
	uint32_t name, desc, output, prog, prog_len, captures, tags;
	uint16_t ncaptures, ncond, ntags, flags;
	uint8_t source, priority;
	uint64_t evtypes[SHRIKE_EVT_BITMAP_WORDS];
};

/* A growable array; cap in elements. */
#define VEC(T)                 \
	struct {               \
		T *v;          \
		size_t n, cap; \
	}

struct tablebuf {
	int err;
	uint32_t flags;
	VEC(char) pool;
	VEC(struct strent) strs;
	VEC(uint64_t) ints;
	VEC(struct setent) sets;
	VEC(uint32_t) items;
	VEC(struct cidrent) cidrs;
	VEC(struct insn) insns;
	VEC(struct ruleent) rules;
	VEC(struct tb_capture) caps;
	VEC(uint32_t) tags;
	/* Open-addressing index of strs by content: slot = strref + 1. */
	uint32_t *shash;
	size_t shash_cap;
};

static int grow(void **v, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	void *nv;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	nv = realloc(*v, ncap * elem);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

#define PUSH(tb, vec, val)                                                  \
	(grow((void **)&(vec).v, &(vec).cap, (vec).n + 1, sizeof(*(vec).v)) \
		 ? latch(tb, -ENOMEM)                                       \
		 : ((vec).v[(vec).n] = (val), (long)(vec).n++))

static long latch(struct tablebuf *tb, int err)
{
	if (!tb->err)
		tb->err = err;
	return err;
}

struct tablebuf *tb_new(void)
{
	return calloc(1, sizeof(struct tablebuf));
}

void tb_free(struct tablebuf *tb)
{
	if (!tb)
		return;
	free(tb->pool.v);
	free(tb->strs.v);
	free(tb->ints.v);
	free(tb->sets.v);
	free(tb->items.v);
	free(tb->cidrs.v);
	free(tb->insns.v);
	free(tb->rules.v);
	free(tb->caps.v);
	free(tb->tags.v);
	free(tb->shash);
	free(tb);
}

void tb_set_flags(struct tablebuf *tb, uint32_t flags)
{
	tb->flags = flags;
}

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	while (len--) {
		h ^= (uint8_t)*s++;
		h *= 16777619u;
	}
	return h;
}

static int str_is(const struct tablebuf *tb, uint32_t i, const char *s, size_t len)
{
	return tb->strs.v[i].len == len &&
	       (!len || !memcmp(tb->pool.v + tb->strs.v[i].off, s, len));
}

static int rehash(struct tablebuf *tb)
{
	size_t cap = tb->shash_cap ? tb->shash_cap * 2 : 256, i;
	uint32_t *h = calloc(cap, sizeof(*h));

	if (!h)
		return -ENOMEM;
	for (i = 0; i < tb->strs.n; i++) {
		const struct strent *e = &tb->strs.v[i];
		size_t at = hash_bytes(tb->pool.v + e->off, e->len) & (cap - 1);

		while (h[at])
			at = (at + 1) & (cap - 1);
		h[at] = i + 1;
	}
	free(tb->shash);
	tb->shash = h;
	tb->shash_cap = cap;
	return 0;
}

long tb_string(struct tablebuf *tb, const char *s, size_t len)
{
	struct strent e;
	size_t at;
	long idx;

	if (tb->err)
		return tb->err;
	if (len > SHRIKE_MAX_STRING_LEN)
		return latch(tb, -E2BIG);
	if ((tb->strs.n + 1) * 2 > tb->shash_cap && rehash(tb))
		return latch(tb, -ENOMEM);
	at = hash_bytes(s, len) & (tb->shash_cap - 1);
	while (tb->shash[at]) {
		if (str_is(tb, tb->shash[at] - 1, s, len))
			return tb->shash[at] - 1;
		at = (at + 1) & (tb->shash_cap - 1);
	}
	if (tb->strs.n >= SHRIKE_MAX_STRREFS || tb->pool.n + len > SHRIKE_MAX_TABLE_SIZE)
		return latch(tb, -E2BIG);
	if (grow((void **)&tb->pool.v, &tb->pool.cap, tb->pool.n + len + 1, 1))
		return latch(tb, -ENOMEM);
	if (len)
		memcpy(tb->pool.v + tb->pool.n, s, len);
	e.off = tb->pool.n;
	e.len = len;
	idx = PUSH(tb, tb->strs, e);
	if (idx < 0)
		return idx;
	tb->pool.n += len;
	tb->shash[at] = idx + 1;
	return idx;
}

long tb_cstring(struct tablebuf *tb, const char *s)
{
	return tb_string(tb, s ? s : "", s ? strlen(s) : 0);
}

long tb_int(struct tablebuf *tb, uint64_t v)
{
	size_t i;

	if (tb->err)
		return tb->err;
	/* Rules use few distinct constants; a scan is fine. */
	for (i = 0; i < tb->ints.n; i++)
		if (tb->ints.v[i] == v)
			return i;
	if (tb->ints.n > 0xffff)
		return latch(tb, -E2BIG);
	return PUSH(tb, tb->ints, v);
}

/* Set order, as the verifier checks it: by length, then bytes. */
static int member_cmp(const void *a, const void *b, void *arg)
{
	const struct tablebuf *sort_tb = arg;
	const struct strent *x = &sort_tb->strs.v[*(const uint32_t *)a];
	const struct strent *y = &sort_tb->strs.v[*(const uint32_t *)b];

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->len ? memcmp(sort_tb->pool.v + x->off, sort_tb->pool.v + y->off, x->len) : 0;
}

long tb_set(struct tablebuf *tb, const struct tb_bytes *items, size_t n)
{
	uint32_t *m;
	size_t i, k = 0;
	struct setent se;
	long r;

	if (tb->err)
		return tb->err;
	m = malloc((n ? n : 1) * sizeof(*m));
	if (!m)
		return latch(tb, -ENOMEM);
	for (i = 0; i < n; i++) {
		r = tb_string(tb, items[i].ptr, items[i].len);
		if (r < 0) {
			free(m);
			return r;
		}
		m[i] = r;
	}
	qsort_r(m, n, sizeof(*m), member_cmp, tb);
	/* Interning made equal members equal indices. */
	for (i = 0; i < n; i++)
		if (!k || m[k - 1] != m[i])
			m[k++] = m[i];
	if (k > SHRIKE_MAX_SET_SIZE) {
		free(m);
		return latch(tb, -E2BIG);
	}
	/* Lists are reused across many rules: share identical sets. */
	for (i = 0; i < tb->sets.n; i++) {
		const struct setent *s = &tb->sets.v[i];

		if (!s->cidr && s->count == k &&
		    (!k || !memcmp(tb->items.v + s->first, m, k * sizeof(*m)))) {
			free(m);
			return i;
		}
	}
	if (tb->sets.n >= SHRIKE_MAX_SETS) {
		free(m);
		return latch(tb, -E2BIG);
	}
	se.first = tb->items.n;
	se.count = k;
	se.cidr = 0;
	for (i = 0; i < k; i++)
		if (PUSH(tb, tb->items, m[i]) < 0)
			break;
	free(m);
	if (tb->err)
		return tb->err;
	return PUSH(tb, tb->sets, se);
}

long tb_cidr_set(struct tablebuf *tb, const struct tb_cidr *c, size_t n)
{
	struct setent se = { .first = tb->items.n, .count = 0, .cidr = 1 };
	long set;
	size_t i;
	unsigned int b;

	if (tb->err)
		return tb->err;
	if (tb->sets.n >= SHRIKE_MAX_SETS)
		return latch(tb, -E2BIG);
	for (i = 0; i < n; i++)
		if ((c[i].family != 4 && c[i].family != 6) ||
		    c[i].prefix > (c[i].family == 4 ? 32 : 128))
			return latch(tb, -EINVAL);
	set = PUSH(tb, tb->sets, se);
	if (set < 0)
		return set;
	for (i = 0; i < n; i++) {
		struct cidrent e = { .c = c[i], .set = set };

		for (b = e.c.prefix; b < 128; b++)
			e.c.addr[b / 8] &= ~(0x80 >> (b % 8));
		if (PUSH(tb, tb->cidrs, e) < 0)
			return tb->err;
	}
	return set;
}

long tb_insn(struct tablebuf *tb, uint8_t op, uint8_t cmp, uint16_t field, uint16_t arg,
	     uint16_t operand)
{
	struct insn in = { op, cmp, field, arg, operand };

	if (tb->err)
		return tb->err;
	if (tb->insns.n >= SHRIKE_MAX_INSNS)
		return latch(tb, -E2BIG);
	return PUSH(tb, tb->insns, in);
}

int tb_patch_jump(struct tablebuf *tb, long insn, long target)
{
	if (tb->err)
		return tb->err;
	if (insn < 0 || (size_t)insn >= tb->insns.n || target <= insn || target - insn - 1 > 0xffff)
		return latch(tb, -ERANGE);
	tb->insns.v[insn].operand = target - insn - 1;
	return 0;
}

long tb_ninsns(const struct tablebuf *tb)
{
	return tb->insns.n;
}

int tb_insn_get(const struct tablebuf *tb, long insn, uint8_t *op, uint16_t *operand)
{
	if (insn < 0 || (size_t)insn >= tb->insns.n)
		return -ERANGE;
	*op = tb->insns.v[insn].op;
	*operand = tb->insns.v[insn].operand;
	return 0;
}

long tb_rule(struct tablebuf *tb, const struct tb_rule *r)
{
	struct ruleent e;
	size_t i;
	long s;

	if (tb->err)
		return tb->err;
	if (r->ncaptures > SHRIKE_MAX_CAPTURES || r->ncond > r->ncaptures ||
	    r->ntags > SHRIKE_MAX_TAGS || tb->rules.n >= SHRIKE_MAX_RULES)
		return latch(tb, -E2BIG);
	memset(&e, 0, sizeof(e));
	e.name = tb_cstring(tb, r->name);
	e.desc = tb_cstring(tb, r->desc);
	e.output = tb_cstring(tb, r->output);
	e.prog = r->prog;
	e.prog_len = r->prog_len;
	e.source = r->source;
	e.priority = r->priority;
	e.flags = r->flags;
	memcpy(e.evtypes, r->evtypes, sizeof(e.evtypes));
	e.captures = tb->caps.n;
	e.ncaptures = r->ncaptures;
	e.ncond = r->ncond;
	for (i = 0; i < r->ncaptures; i++)
		PUSH(tb, tb->caps, r->captures[i]);
	e.tags = tb->tags.n;
	e.ntags = r->ntags;
	for (i = 0; i < r->ntags; i++) {
		s = tb_cstring(tb, r->tags[i]);
		if (s >= 0)
			PUSH(tb, tb->tags, (uint32_t)s);
	}
	if (tb->err)
		return tb->err;
	return PUSH(tb, tb->rules, e);
}

static size_t align8(size_t x)
{
	return (x + 7) & ~(size_t)7;
}

static void put16(uint8_t *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

int tb_serialize(struct tablebuf *tb, void **out, size_t *lenp)
{
	struct {
		uint32_t type;
		size_t len;
	} secs[__SHRIKE_SEC_MAX];
	size_t nsec = 0, off, total, i, k;
	uint8_t *buf, *p;
	uint32_t h;

	*out = NULL;
	*lenp = 0;
	if (tb->err)
		return tb->err;

#define SEC(t, l)                      \
	do {                           \
		secs[nsec].type = (t); \
		secs[nsec].len = (l);  \
		nsec++;                \
	} while (0)
	SEC(SHRIKE_SEC_STRINGS, tb->pool.n);
	SEC(SHRIKE_SEC_STRREFS, tb->strs.n * sizeof(struct shrike_strref));
	SEC(SHRIKE_SEC_INTS, tb->ints.n * 8);
	SEC(SHRIKE_SEC_SETS, tb->sets.n * sizeof(struct shrike_set));
	SEC(SHRIKE_SEC_SETITEMS, tb->items.n * 4);
	if (tb->cidrs.n)
		SEC(SHRIKE_SEC_CIDRS, tb->cidrs.n * sizeof(struct shrike_cidr));
	SEC(SHRIKE_SEC_INSNS, tb->insns.n * sizeof(struct shrike_insn));
	SEC(SHRIKE_SEC_RULES, tb->rules.n * sizeof(struct shrike_rule));
	SEC(SHRIKE_SEC_CAPTURES, tb->caps.n * sizeof(struct shrike_capture));
	SEC(SHRIKE_SEC_TAGS, tb->tags.n * 4);
#undef SEC

	off = align8(sizeof(struct shrike_table_hdr) + nsec * sizeof(struct shrike_section));
	total = off;
	for (i = 0; i < nsec; i++)
		total = align8(total) + secs[i].len;
	total = align8(total);
	if (total > SHRIKE_MAX_TABLE_SIZE)
		return latch(tb, -E2BIG);
	buf = calloc(1, total);
	if (!buf)
		return latch(tb, -ENOMEM);

	put32(buf + 0, SHRIKE_TABLE_MAGIC);
	put16(buf + 4, SHRIKE_TABLE_FORMAT);
	put16(buf + 6, SHRIKE_ABI_VERSION);
	put32(buf + 8, total);
	put32(buf + 16, tb->flags);
	put32(buf + 20, nsec);

	for (i = 0; i < nsec; i++) {
		uint8_t *sh =
			buf + sizeof(struct shrike_table_hdr) + i * sizeof(struct shrike_section);

		off = align8(off);
		put32(sh, secs[i].type);
		put32(sh + 4, off);
		put32(sh + 8, secs[i].len);
		p = buf + off;
		switch (secs[i].type) {
		case SHRIKE_SEC_STRINGS:
			if (tb->pool.n)
				memcpy(p, tb->pool.v, tb->pool.n);
			break;
		case SHRIKE_SEC_STRREFS:
			for (k = 0; k < tb->strs.n; k++, p += 8) {
				put32(p, tb->strs.v[k].off);
				put32(p + 4, tb->strs.v[k].len);
			}
			break;
		case SHRIKE_SEC_INTS:
			for (k = 0; k < tb->ints.n; k++, p += 8)
				put64(p, tb->ints.v[k]);
			break;
		case SHRIKE_SEC_SETS:
			for (k = 0; k < tb->sets.n; k++, p += 8) {
				put32(p, tb->sets.v[k].first);
				put32(p + 4, tb->sets.v[k].count);
			}
			break;
		case SHRIKE_SEC_SETITEMS:
			for (k = 0; k < tb->items.n; k++, p += 4)
				put32(p, tb->items.v[k]);
			break;
		case SHRIKE_SEC_CIDRS:
			for (k = 0; k < tb->cidrs.n; k++) {
				const struct cidrent *c = &tb->cidrs.v[k];

				p[0] = c->c.family;
				p[1] = c->c.prefix;
				put32(p + 4, c->set);
				memcpy(p + 8, c->c.addr, 16);
				p += sizeof(struct shrike_cidr);
			}
			break;
		case SHRIKE_SEC_INSNS:
			for (k = 0; k < tb->insns.n; k++, p += 8) {
				const struct insn *in = &tb->insns.v[k];

				p[0] = in->op;
				p[1] = in->cmp;
				put16(p + 2, in->field);
				put16(p + 4, in->arg);
				put16(p + 6, in->operand);
			}
			break;
		case SHRIKE_SEC_RULES:
			for (k = 0; k < tb->rules.n; k++) {
				const struct ruleent *r = &tb->rules.v[k];
				struct shrike_rule w;
				size_t j;

				memset(&w, 0, sizeof(w));
				w.name = htole32(r->name);
				w.desc = htole32(r->desc);
				w.output = htole32(r->output);
				w.prog = htole32(r->prog);
				w.prog_len = htole32(r->prog_len);
				w.captures = htole32(r->captures);
				w.ncaptures = htole16(r->ncaptures);
				w.ncond = htole16(r->ncond);
				w.ntags = htole16(r->ntags);
				w.tags = htole32(r->tags);
				w.source = r->source;
				w.priority = r->priority;
				w.flags = htole16(r->flags);
				for (j = 0; j < SHRIKE_EVT_BITMAP_WORDS; j++)
					w.evtypes[j] = htole64(r->evtypes[j]);
				memcpy(p, &w, sizeof(w));
				p += sizeof(w);
			}
			break;
		case SHRIKE_SEC_CAPTURES:
			for (k = 0; k < tb->caps.n; k++, p += 4) {
				put16(p, tb->caps.v[k].field);
				put16(p + 2, tb->caps.v[k].arg);
			}
			break;
		case SHRIKE_SEC_TAGS:
			for (k = 0; k < tb->tags.n; k++, p += 4)
				put32(p, tb->tags.v[k]);
			break;
		}
		off += secs[i].len;
	}

	h = hash_bytes((const char *)buf + sizeof(struct shrike_table_hdr),
		       total - sizeof(struct shrike_table_hdr));
	put32(buf + 12, h);
	*out = buf;
	*lenp = total;
	return 0;
}
