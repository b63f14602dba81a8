/* test_eval.c - the shared evaluator: every operator on every type it
 * accepts, Kleene logic, MISSING versus UNKNOWN, short-circuit jumps, and
 * the glob and path-prefix matchers' edge cases. Tables are built with the
 * builder and verified first, as the kernel would. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "table_helpers.h"

#define F_STR  SHRIKE_F_PROC_NAME
#define F_STR2 SHRIKE_F_EVT_TYPE

/* What the fake event has: one value per field, or MISSING. */
struct fake {
	struct {
		int field;
		int rc;
		struct shrike_val v;
	} f[4];
	int n;
	int calls;
	int last_arg;
};

static int fake_fetch(void *ctx, u16 field, u16 arg, struct shrike_val *out)
{
	struct fake *fk = ctx;
	int i;

	fk->calls++;
	fk->last_arg = arg;
	for (i = 0; i < fk->n; i++)
		if (fk->f[i].field == field) {
			*out = fk->f[i].v;
			return fk->f[i].rc;
		}
	return SHRIKE_FETCH_MISSING;
}

static void fake_set(struct fake *fk, int field, int rc, const struct shrike_val *v)
{
	fk->f[fk->n].field = field;
	fk->f[fk->n].rc = rc;
	if (v)
		fk->f[fk->n].v = *v;
	fk->n++;
}

static struct shrike_val sval(const char *s)
{
	struct shrike_val v = { .type = SHRIKE_T_STR };

	v.str.ptr = s;
	v.str.len = strlen(s);
	return v;
}

static struct shrike_val uval(uint64_t x)
{
	struct shrike_val v = { .type = SHRIKE_T_U64 };

	v.u = x;
	return v;
}

static struct shrike_val ival(int64_t x)
{
	struct shrike_val v = { .type = SHRIKE_T_S64 };

	v.s = x;
	return v;
}

/* The work budget run() gives shrike_eval_bounded (NULL: none). */
static u32 *run_work;

/* Verifies tb with one rule running prog and evaluates it against fk. */
static int run(struct tablebuf *tb, const struct th_insn *prog, size_t n, struct fake *fk)
{
	struct shrike_table t;
	struct shrike_verr e;
	uint8_t src = SHRIKE_SRC_SYSCALL;
	uint16_t flags = 0;
	uint8_t *buf;
	size_t len, i;
	int r;

	for (i = 0; i < n; i++)
		if (prog[i].op == SHRIKE_OP_TEST) {
			src = shrike_fields[prog[i].field].source;
			if (shrike_fields[prog[i].field].where == SHRIKE_W_AGENT)
				flags |= SHRIKE_RF_NEEDS_AGENT;
		}
	th_rule(tb, "r", src, flags, prog, n);
	buf = th_serialize(tb, &len);
	tb_free(tb);
	r = shrike_table_verify(buf, len, &t, &e);
	ck_assert_msg(r == 0, "verify: %s", e.msg);
	r = shrike_eval_bounded(&t, shrike_rule_at(&t, 0), fake_fetch, fk, run_work);
	free(buf);
	return r;
}

/* field cmp "operand", field's value v. */
static int cmp_b(int field, uint8_t cmp, const char *op, size_t oplen, const struct shrike_val *v)
{
	struct tablebuf *tb = tb_new();
	struct th_insn p[] = { TEST_(cmp, field, NA, 0), RET_ };
	struct fake fk = { .n = 0 };

	p[0].operand = tb_string(tb, op, oplen);
	fake_set(&fk, field, SHRIKE_FETCH_OK, v);
	return run(tb, p, 2, &fk);
}

static int cmp_s(uint8_t cmp, const char *op, const char *val)
{
	struct shrike_val v = sval(val);

	return cmp_b(F_STR, cmp, op, strlen(op), &v);
}

/* field cmp (members...), NULL-terminated. */
static int cmp_set(int field, uint8_t cmp, const char *const *m, const struct shrike_val *v)
{
	struct tablebuf *tb = tb_new();
	struct th_insn p[] = { TEST_(cmp, field, NA, 0), RET_ };
	struct tb_bytes items[16];
	struct fake fk = { .n = 0 };
	size_t n = 0;

	tb_cstring(tb, "padding so that set 0 is not strref 0");
	for (; m[n]; n++) {
		items[n].ptr = m[n];
		items[n].len = strlen(m[n]);
	}
	tb_set(tb, NULL, 0); /* set 0 empty: the real one is set 1 */
	p[0].operand = tb_set(tb, items, n);
	ck_assert_int_eq(p[0].operand, n ? 1 : 0); /* identical sets are shared */
	fake_set(&fk, field, SHRIKE_FETCH_OK, v);
	return run(tb, p, 2, &fk);
}

static int cmp_sset(uint8_t cmp, const char *val, const char *const *m)
{
	struct shrike_val v = sval(val);

	return cmp_set(F_STR, cmp, m, &v);
}

static int cmp_int(int field, uint8_t cmp, uint64_t op, const struct shrike_val *v)
{
	struct tablebuf *tb = tb_new();
	struct th_insn p[] = { TEST_(cmp, field, NA, 0), RET_ };
	struct fake fk = { .n = 0 };

	tb_int(tb, 12345);
	p[0].operand = tb_int(tb, op);
	fake_set(&fk, field, SHRIKE_FETCH_OK, v);
	return run(tb, p, 2, &fk);
}

#define T SHRIKE_V_TRUE
#define F SHRIKE_V_FALSE
#define U SHRIKE_V_UNKNOWN

START_TEST(strings)
{
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_EQ, "bash", "bash"), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_EQ, "bash", "bas"), F);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_EQ, "bash", "Bash"), F);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_EQ, "", ""), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_NE, "bash", "sh"), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_NE, "bash", "bash"), F);

	ck_assert_int_eq(cmp_s(SHRIKE_CMP_CONTAINS, "ell", "hello"), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_CONTAINS, "hello", "hello"), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_CONTAINS, "lo!", "hello"), F);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_CONTAINS, "", "x"), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_CONTAINS, "x", ""), F);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_CONTAINS, "aab", "aaaab"), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_CONTAINS, "ELL", "hello"), F);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_ICONTAINS, "ELL", "hElLo"), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_ICONTAINS, "xyz", "hello"), F);
	/* Folding is ASCII only: bytes >= 0x80 compare exactly. */
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_ICONTAINS, "\xc3\xa9", "\xc3\x89"), F);

	ck_assert_int_eq(cmp_s(SHRIKE_CMP_STARTSWITH, "/etc/", "/etc/passwd"), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_STARTSWITH, "/etc/", "/etc"), F);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_STARTSWITH, "", "x"), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_ENDSWITH, ".sh", "run.sh"), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_ENDSWITH, ".sh", "sh"), F);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_ENDSWITH, "run.sh", "run.sh"), T);

	/* The b-variants take raw bytes, NULs included. */
	{
		struct shrike_val v = { .type = SHRIKE_T_STR };

		v.str.ptr = "\x7f"
			    "ELF\0\x01\x02";
		v.str.len = 7;
		ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_BSTARTSWITH,
				       "\x7f"
				       "ELF",
				       4, &v),
				 T);
		ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_BCONTAINS, "\0\x01", 2, &v), T);
		ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_BCONTAINS, "\0\x02", 2, &v), F);
		ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_EQ,
				       "\x7f"
				       "ELF",
				       4, &v),
				 F);
	}
}
END_TEST

START_TEST(sets)
{
	static const char *const shells[] = { "bash", "sh", "zsh", "dash", "ksh", NULL };
	static const char *const empty[] = { NULL };
	static const char *const paths[] = { "/usr/bin", "/etc/", "/opt/x", NULL };
	static const char *const root[] = { "/", NULL };
	int i;

	for (i = 0; shells[i]; i++)
		ck_assert_int_eq(cmp_sset(SHRIKE_CMP_IN, shells[i], shells), T);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_IN, "fish", shells), F);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_IN, "", shells), F);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_IN, "bas", shells), F);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_IN, "bash", empty), F);
	/* A scalar intersects a set when it is in it. */
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_INTERSECTS, "zsh", shells), T);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_INTERSECTS, "csh", shells), F);

	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/usr/bin", paths), T);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/usr/bin/ls", paths), T);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/usr/bin/", paths), T);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/usr/binx", paths), F);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/usr", paths), F);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/etc/passwd", paths), T);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/etc", paths), T);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/etcx/passwd", paths), F);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/opt/x/y/z", paths), T);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/opt", paths), F);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "usr/bin/ls", paths), F);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/anything/at/all", root), T);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/", root), T);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "relative", root), F);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "", root), F);
	ck_assert_int_eq(cmp_sset(SHRIKE_CMP_PMATCH, "/usr/bin", empty), F);
}
END_TEST

START_TEST(integers)
{
	int fu = th_need_field(SHRIKE_T_U64, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE);
	int fs = th_need_field(SHRIKE_T_S64, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE);
	int fb =
		th_need_field(SHRIKE_T_BOOL, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE);
	struct shrike_val v = uval(10), m1 = ival(-1), big = uval(~0ull);
	struct shrike_val bt = { .type = SHRIKE_T_BOOL, .u = 1 }, s = sval("10");

	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_EQ, 10, &v), T);
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_EQ, 11, &v), F);
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_NE, 11, &v), T);
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_LT, 11, &v), T);
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_LT, 10, &v), F);
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_LE, 10, &v), T);
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_GT, 9, &v), T);
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_GT, 10, &v), F);
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_GE, 10, &v), T);
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_GE, 11, &v), F);
	/* Unsigned: ~0 is the largest, not -1. */
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_GT, 0, &big), T);
	/* Signed: -1 < 0. */
	ck_assert_int_eq(cmp_int(fs, SHRIKE_CMP_LT, 0, &m1), T);
	ck_assert_int_eq(cmp_int(fs, SHRIKE_CMP_GT, 0, &m1), F);
	ck_assert_int_eq(cmp_int(fs, SHRIKE_CMP_EQ, (uint64_t)-1, &m1), T);
	ck_assert_int_eq(cmp_int(fs, SHRIKE_CMP_GE, (uint64_t)-2, &m1), T);
	/* Booleans are 0/1. */
	ck_assert_int_eq(cmp_int(fb, SHRIKE_CMP_EQ, 1, &bt), T);
	ck_assert_int_eq(cmp_int(fb, SHRIKE_CMP_EQ, 0, &bt), F);
	ck_assert_int_eq(cmp_int(fb, SHRIKE_CMP_NE, 0, &bt), T);
	/* A value of the wrong type never matches, even with !=. */
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_EQ, 10, &s), F);
	ck_assert_int_eq(cmp_int(fu, SHRIKE_CMP_NE, 10, &s), F);
	{
		struct shrike_val sv = uval(10);

		ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_EQ, "10", 2, &sv), F);
	}

	/* "in" on integers: members are canonical decimal strings. */
	{
		static const char *const ports[] = { "22", "80", "443", "0", "18446744073709551615",
						     NULL };
		static const char *const codes[] = { "-1", "-13", "0", "-9223372036854775808",
						     NULL };
		struct shrike_val x;

		x = uval(443);
		ck_assert_int_eq(cmp_set(fu, SHRIKE_CMP_IN, ports, &x), T);
		x = uval(44);
		ck_assert_int_eq(cmp_set(fu, SHRIKE_CMP_IN, ports, &x), F);
		x = uval(0);
		ck_assert_int_eq(cmp_set(fu, SHRIKE_CMP_IN, ports, &x), T);
		x = uval(~0ull);
		ck_assert_int_eq(cmp_set(fu, SHRIKE_CMP_IN, ports, &x), T);
		x = ival(-13);
		ck_assert_int_eq(cmp_set(fs, SHRIKE_CMP_IN, codes, &x), T);
		x = ival(13);
		ck_assert_int_eq(cmp_set(fs, SHRIKE_CMP_IN, codes, &x), F);
		x = ival(INT64_MIN);
		ck_assert_int_eq(cmp_set(fs, SHRIKE_CMP_IN, codes, &x), T);
		x = ival(0);
		ck_assert_int_eq(cmp_set(fs, SHRIKE_CMP_IN, codes, &x), T);
	}
}
END_TEST

static int cmp_ip(int field, uint8_t cmp, const struct tb_cidr *c, size_t n,
		  const struct shrike_val *v)
{
	struct tablebuf *tb = tb_new();
	struct th_insn p[] = { TEST_(cmp, field, NA, 0), RET_ };
	struct fake fk = { .n = 0 };
	struct tb_cidr other = { .family = 4, .prefix = 32, .addr = { 10, 0, 0, 1 } };

	/* Neighbouring sets, so the set's own CIDR range must be found. */
	tb_cidr_set(tb, &other, 1);
	p[0].operand = tb_cidr_set(tb, c, n);
	tb_cidr_set(tb, &other, 1);
	fake_set(&fk, field, SHRIKE_FETCH_OK, v);
	return run(tb, p, 2, &fk);
}

static struct shrike_val ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct shrike_val v = { .type = SHRIKE_T_IPADDR, .family = 4 };

	v.ip[0] = a;
	v.ip[1] = b;
	v.ip[2] = c;
	v.ip[3] = d;
	return v;
}

START_TEST(addresses)
{
	int fa = th_need_field(SHRIKE_T_IPADDR, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL,
			       SHRIKE_ARGK_NONE);
	int fn = th_need_field(SHRIKE_T_IPNET, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL,
			       SHRIKE_ARGK_NONE);
	struct tb_cidr nets[] = {
		{ .family = 4, .prefix = 8, .addr = { 10 } },
		{ .family = 4,
		  .prefix = 20,
		  .addr = { 172, 16, 0xf0 } }, /* 172.16.0.0/12 after masking */
		{ .family = 6, .prefix = 16, .addr = { 0xfd, 0x00 } },
	};
	struct tb_cidr one = { .family = 4, .prefix = 32, .addr = { 1, 2, 3, 4 } };
	struct tb_cidr any4 = { .family = 4, .prefix = 0 };
	struct shrike_val v;

	nets[1].prefix = 12;
	v = ip4(10, 1, 2, 3);
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_IN, nets, 3, &v), T);
	v = ip4(11, 1, 2, 3);
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_IN, nets, 3, &v), F);
	v = ip4(172, 31, 255, 255);
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_IN, nets, 3, &v), T);
	v = ip4(172, 32, 0, 0);
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_IN, nets, 3, &v), F);
	v = ip4(1, 2, 3, 4);
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_EQ, &one, 1, &v), T);
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_NE, &one, 1, &v), F);
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_IN, &any4, 1, &v), T);
	v = ip4(1, 2, 3, 5);
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_EQ, &one, 1, &v), F);
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_NE, &one, 1, &v), T);
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_IN, nets, 0, &v), F);

	/* IPv6, and no cross-family matches. */
	memset(&v, 0, sizeof(v));
	v.type = SHRIKE_T_IPADDR;
	v.family = 6;
	v.ip[0] = 0xfd;
	v.ip[15] = 1;
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_IN, nets, 3, &v), T);
	v.ip[1] = 1;
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_IN, nets, 3, &v), F);
	v.family = 4;
	memset(v.ip, 0, sizeof(v.ip));
	v.ip[0] = 0xfd;
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_IN, &nets[2], 1, &v), F);
	v.family = 5;
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_IN, &any4, 1, &v), F);
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_NE, &any4, 1, &v), F);

	/* A network is in a CIDR when it is inside it. */
	v = ip4(10, 1, 0, 0);
	v.type = SHRIKE_T_IPNET;
	v.prefix = 16;
	ck_assert_int_eq(cmp_ip(fn, SHRIKE_CMP_IN, nets, 3, &v), T);
	v = ip4(10, 0, 0, 0);
	v.type = SHRIKE_T_IPNET;
	v.prefix = 7;
	ck_assert_int_eq(cmp_ip(fn, SHRIKE_CMP_IN, nets, 3, &v), F);

	/* A string for an address field: wrong type. */
	v = sval("10.0.0.1");
	ck_assert_int_eq(cmp_ip(fa, SHRIKE_CMP_IN, nets, 3, &v), F);
}
END_TEST

START_TEST(lists)
{
	int fl = th_need_field(SHRIKE_T_STRLIST, ANY, ANY, SHRIKE_ARGK_NONE);
	static const char *const allowed[] = { "nginx", "redis", "busybox", NULL };
	struct shrike_str items[] = { { "redis", 5 }, { "nginx", 5 } };
	struct shrike_str bad[] = { { "redis", 5 }, { "evil/miner", 10 } };
	struct shrike_val v = { .type = SHRIKE_T_STRLIST };

	v.list.items = items;
	v.list.n = 2;
	/* Falco: a list is "in" a set when all its elements are... */
	ck_assert_int_eq(cmp_set(fl, SHRIKE_CMP_IN, allowed, &v), T);
	ck_assert_int_eq(cmp_set(fl, SHRIKE_CMP_INTERSECTS, allowed, &v), T);
	v.list.items = bad;
	ck_assert_int_eq(cmp_set(fl, SHRIKE_CMP_IN, allowed, &v), F);
	/* ...and intersects it when any is. */
	ck_assert_int_eq(cmp_set(fl, SHRIKE_CMP_INTERSECTS, allowed, &v), T);
	v.list.n = 0;
	ck_assert_int_eq(cmp_set(fl, SHRIKE_CMP_IN, allowed, &v), T);
	ck_assert_int_eq(cmp_set(fl, SHRIKE_CMP_INTERSECTS, allowed, &v), F);

	/* Other operators: any element. */
	v.list.n = 2;
	ck_assert_int_eq(cmp_b(fl, SHRIKE_CMP_EQ, "evil/miner", 10, &v), T);
	ck_assert_int_eq(cmp_b(fl, SHRIKE_CMP_EQ, "evil", 4, &v), F);
	ck_assert_int_eq(cmp_b(fl, SHRIKE_CMP_CONTAINS, "miner", 5, &v), T);
	ck_assert_int_eq(cmp_b(fl, SHRIKE_CMP_STARTSWITH, "red", 3, &v), T);
	ck_assert_int_eq(cmp_b(fl, SHRIKE_CMP_GLOB, "*/*", 3, &v), T);
	ck_assert_int_eq(cmp_b(fl, SHRIKE_CMP_GLOB, "x*", 2, &v), F);
	v.list.n = 0;
	ck_assert_int_eq(cmp_b(fl, SHRIKE_CMP_EQ, "evil", 4, &v), F);
	/* A scalar string where a list is declared is still compared. */
	v = sval("nginx");
	ck_assert_int_eq(cmp_set(fl, SHRIKE_CMP_IN, allowed, &v), T);
}
END_TEST

/* A single-valued field given several values (proc.aname without an index:
 * every ancestor) matches when any value does, for "in" too, as Falco's
 * ancestor check does. */
START_TEST(any_of_values)
{
	int fa = th_need_field(SHRIKE_T_STR, ANY, ANY, SHRIKE_ARGK_INDEX);
	static const char *const shells[] = { "bash", "sh", NULL };
	struct shrike_str anc[] = { { "sh", 2 }, { "sshd", 4 }, { "systemd", 7 } };
	struct shrike_str none[] = { { "cron", 4 }, { "systemd", 7 } };
	struct shrike_val v = { .type = SHRIKE_T_STRLIST };

	v.list.items = anc;
	v.list.n = 3;
	ck_assert_int_eq(cmp_set(fa, SHRIKE_CMP_IN, shells, &v), T);
	ck_assert_int_eq(cmp_b(fa, SHRIKE_CMP_EQ, "sshd", 4, &v), T);
	v.list.items = none;
	v.list.n = 2;
	ck_assert_int_eq(cmp_set(fa, SHRIKE_CMP_IN, shells, &v), F);
	ck_assert_int_eq(cmp_b(fa, SHRIKE_CMP_EQ, "sshd", 4, &v), F);
}
END_TEST

static int g_regex_calls;

static int fake_regex(const char *pat, u32 plen, const char *s, u32 len)
{
	g_regex_calls++;
	if (plen == 3 && !memcmp(pat, "err", 3))
		return -1;
	/* "^abc" stands for a prefix test. */
	return len >= plen - 1 && !memcmp(s, pat + 1, plen - 1);
}

START_TEST(regex_and_exists)
{
	struct shrike_val v = sval("abcdef");
	struct tablebuf *tb;
	struct fake fk = { .n = 0 };
	static const struct th_insn ex[] = { TEST_(SHRIKE_CMP_EXISTS, F_STR, NA, 0), RET_ };

	ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_REGEX, "^abc", 4, &v), U);
	shrike_eval_set_regex_hook(fake_regex);
	ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_REGEX, "^abc", 4, &v), T);
	ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_REGEX, "^abd", 4, &v), F);
	ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_REGEX, "err", 3, &v), U);
	ck_assert_int_gt(g_regex_calls, 0);
	shrike_eval_set_regex_hook(NULL);
	ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_REGEX, "^abc", 4, &v), U);

	/* exists: TRUE with any value, FALSE when missing, UNKNOWN when unknown. */
	tb = tb_new();
	fake_set(&fk, F_STR, SHRIKE_FETCH_OK, &v);
	ck_assert_int_eq(run(tb, ex, 2, &fk), T);
	tb = tb_new();
	fk.n = 0;
	ck_assert_int_eq(run(tb, ex, 2, &fk), F);
	tb = tb_new();
	fake_set(&fk, F_STR, SHRIKE_FETCH_UNKNOWN, NULL);
	ck_assert_int_eq(run(tb, ex, 2, &fk), U);
	/* A fetch error is UNKNOWN too. */
	tb = tb_new();
	fk.f[0].rc = -5;
	ck_assert_int_eq(run(tb, ex, 2, &fk), U);
}
END_TEST

/* Runs PUSH a; PUSH b; op; RET. */
static int logic(int a, int b, uint8_t op)
{
	struct th_insn p[] = { PUSH_(a), PUSH_(b), { op, 0, 0, 0, 0 }, RET_ };
	struct fake fk = { .n = 0 };

	return run(tb_new(), p, 4, &fk);
}

START_TEST(kleene)
{
	static const int and_tab[3][3] = { { F, F, F }, { F, T, U }, { F, U, U } };
	static const int or_tab[3][3] = { { F, T, U }, { T, T, T }, { U, T, U } };
	int a, b;

	for (a = 0; a < 3; a++)
		for (b = 0; b < 3; b++) {
			ck_assert_int_eq(logic(a, b, SHRIKE_OP_AND), and_tab[a][b]);
			ck_assert_int_eq(logic(a, b, SHRIKE_OP_OR), or_tab[a][b]);
		}
	for (a = 0; a < 3; a++) {
		struct th_insn p[] = { PUSH_(a), NOT_, RET_ };
		struct fake fk = { .n = 0 };

		ck_assert_int_eq(run(tb_new(), p, 3, &fk), a == U ? U : !a);
	}
}
END_TEST

START_TEST(missing_vs_unknown)
{
	/* proc.name = "bash" / != "bash" / not (= "bash"), proc.name MISSING. */
	struct th_insn eq[] = { TEST_(SHRIKE_CMP_EQ, F_STR, NA, 0), RET_ };
	struct th_insn ne[] = { TEST_(SHRIKE_CMP_NE, F_STR, NA, 0), RET_ };
	struct th_insn noteq[] = { TEST_(SHRIKE_CMP_EQ, F_STR, NA, 0), NOT_, RET_ };
	struct fake fk = { .n = 0 };
	struct tablebuf *tb;

#define RUN(prog, n) (tb = tb_new(), tb_cstring(tb, "bash"), run(tb, prog, n, &fk))
	ck_assert_int_eq(RUN(eq, 2), F);
	ck_assert_int_eq(RUN(ne, 2), F);
	ck_assert_int_eq(RUN(noteq, 3), T);

	/* The same with the value not computable here: all UNKNOWN. */
	fake_set(&fk, F_STR, SHRIKE_FETCH_UNKNOWN, NULL);
	ck_assert_int_eq(RUN(eq, 2), U);
	ck_assert_int_eq(RUN(ne, 2), U);
	ck_assert_int_eq(RUN(noteq, 3), U);

	/* Agent-only field in the kernel: UNKNOWN and FALSE is FALSE, OR TRUE is TRUE. */
	{
		struct th_insn p[] = {
			TEST_(SHRIKE_CMP_EQ, SHRIKE_F_USER_NAME, NA, 0),
			TEST_(SHRIKE_CMP_EQ, F_STR, NA, 0),
			AND_,
			RET_,
		};
		struct shrike_val v = sval("bash");

		fk.n = 0;
		fake_set(&fk, SHRIKE_F_USER_NAME, SHRIKE_FETCH_UNKNOWN, NULL);
		fake_set(&fk, F_STR, SHRIKE_FETCH_OK, &v);
		ck_assert_int_eq(RUN(p, 4), U);
		fk.f[1].v = sval("sh");
		ck_assert_int_eq(RUN(p, 4), F);
		p[2].op = SHRIKE_OP_OR;
		ck_assert_int_eq(RUN(p, 4), U);
		fk.f[1].v = sval("bash");
		ck_assert_int_eq(RUN(p, 4), T);
	}
#undef RUN
}
END_TEST

START_TEST(short_circuit)
{
	/* a and b: TEST a; JF 2; TEST b; AND; RET. */
	struct th_insn p[] = {
		TEST_(SHRIKE_CMP_EQ, F_STR, NA, 0),
		JF_(2),
		TEST_(SHRIKE_CMP_EQ, F_STR2, NA, 0),
		AND_,
		RET_,
	};
	struct shrike_val bash = sval("bash"), sh = sval("sh");
	struct fake fk = { .n = 0 };
	struct tablebuf *tb;

#define RUN(n) (tb = tb_new(), tb_cstring(tb, "bash"), fk.calls = 0, run(tb, p, n, &fk))
	fake_set(&fk, F_STR, SHRIKE_FETCH_OK, &sh);
	fake_set(&fk, F_STR2, SHRIKE_FETCH_OK, &bash);
	ck_assert_int_eq(RUN(5), F);
	ck_assert_int_eq(fk.calls, 1); /* b skipped */
	fk.f[0].v = bash;
	ck_assert_int_eq(RUN(5), T);
	ck_assert_int_eq(fk.calls, 2);
	/* UNKNOWN does not short-circuit: b can still make it FALSE. */
	fk.f[0].rc = SHRIKE_FETCH_UNKNOWN;
	fk.f[1].v = sh;
	ck_assert_int_eq(RUN(5), F);
	ck_assert_int_eq(fk.calls, 2);

	/* a or b: TEST a; JT 2; TEST b; OR; RET. */
	p[1] = (struct th_insn)JT_(2);
	p[3] = (struct th_insn)OR_;
	fk.f[0].rc = SHRIKE_FETCH_OK;
	fk.f[0].v = bash;
	ck_assert_int_eq(RUN(5), T);
	ck_assert_int_eq(fk.calls, 1);
	fk.f[0].v = sh;
	ck_assert_int_eq(RUN(5), F);
	ck_assert_int_eq(fk.calls, 2);
	fk.f[0].rc = SHRIKE_FETCH_UNKNOWN;
	fk.f[1].v = bash;
	ck_assert_int_eq(RUN(5), T);
	ck_assert_int_eq(fk.calls, 2);
#undef RUN
}
END_TEST

static int glob(const char *p, const char *s)
{
	return shrike_glob_match(p, strlen(p), s, strlen(s), 0);
}

static int iglob(const char *p, const char *s)
{
	return shrike_glob_match(p, strlen(p), s, strlen(s), 1);
}

START_TEST(globs)
{
	ck_assert(glob("", ""));
	ck_assert(!glob("", "a"));
	ck_assert(glob("*", ""));
	ck_assert(glob("*", "anything/at/all"));
	ck_assert(glob("**", "x"));
	ck_assert(!glob("?", ""));
	ck_assert(glob("?", "a"));
	ck_assert(!glob("?", "ab"));
	ck_assert(glob("a*b*c", "abc"));
	ck_assert(glob("a*b*c", "aXbYbZc"));
	ck_assert(!glob("a*b*c", "aXbYbZ"));
	ck_assert(glob("*.sh", "/tmp/x.sh"));
	ck_assert(!glob("*.sh", "/tmp/x.shx"));
	ck_assert(glob("/etc/*", "/etc/ssh/sshd_config")); /* '*' crosses '/' */
	ck_assert(glob("*a", "aaaa"));
	ck_assert(glob("a*", "a"));
	ck_assert(glob("a**", "a"));
	ck_assert(!glob("a", "A"));
	ck_assert(glob("[abc]", "b"));
	ck_assert(!glob("[abc]", "d"));
	ck_assert(glob("[!abc]", "d"));
	ck_assert(!glob("[!abc]", "a"));
	ck_assert(glob("[^abc]", "d"));
	ck_assert(glob("[a-c]x", "bx"));
	ck_assert(!glob("[a-c]x", "dx"));
	ck_assert(glob("[]]", "]"));
	ck_assert(glob("[!]]", "a"));
	ck_assert(!glob("[!]]", "]"));
	ck_assert(glob("[a-]", "-"));
	ck_assert(glob("[ab", "[ab")); /* unterminated: literal '[' */
	ck_assert(!glob("[ab", "a"));
	ck_assert(glob("\\*", "\\x")); /* no escapes, as Falco */
	ck_assert(glob("*[0-9]", "version2"));
	ck_assert(!glob("*[0-9]", "version"));
	ck_assert(glob("*/bin/?sh", "/usr/bin/zsh"));
	ck_assert(iglob("*.SH", "run.sh"));
	ck_assert(iglob("[A-Z]*", "lower"));
	ck_assert(iglob("[a-z]*", "UPPER"));
	ck_assert(!iglob("[!a-z]*", "UPPER"));
	ck_assert(!glob("[A-Z]*", "lower"));
	ck_assert(cmp_s(SHRIKE_CMP_GLOB, "b*h", "bash") == T);
	ck_assert(cmp_s(SHRIKE_CMP_GLOB, "B*h", "bash") == F);
	ck_assert(cmp_s(SHRIKE_CMP_IGLOB, "B*H", "bash") == T);

	/* Pathological backtracking stays bounded (O(n*m)), and correct. */
	{
		static char s[4097], p[4097];
		int i;

		memset(s, 'a', 4096);
		for (i = 0; i < 4094; i += 2) {
			p[i] = 'a';
			p[i + 1] = '*';
		}
		p[4094] = 'b';
		ck_assert(!shrike_glob_match(p, 4095, s, 4096, 0));
		p[4094] = 'a';
		ck_assert(shrike_glob_match(p, 4095, s, 4096, 0));
	}
}
END_TEST

/* The naive search Two-Way replaced, as the reference. */
static int naive_find(const char *s, size_t n, const char *p, size_t m, int ci)
{
	size_t i, k;

	for (i = 0; i + m <= n; i++) {
		for (k = 0; k < m; k++) {
			char a = s[i + k], b = p[k];

			if (ci) {
				a = (char)(a >= 'A' && a <= 'Z' ? a + 32 : a);
				b = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
			}
			if (a != b)
				break;
		}
		if (k == m)
			return 1;
	}
	return 0;
}

/*
 * contains, icontains: Two-Way agrees with the naive search on random
 * strings over small alphabets (periodic and not, case-mixed for icontains)
 * and on the shapes that break a wrong critical factorization.
 */
START_TEST(contains_two_way)
{
	static const char *const fixed[][2] = {
		{ "abaabaabaab", "aabaab" },
		{ "aaaaaaaaab", "aaab" },
		{ "abababc", "ababc" },
		{ "xyzzyxyzzy", "zzyx" },
		{ "banana", "nan" },
		{ "banana", "anab" },
		{ "a", "a" },
		{ "", "a" },
		{ "ab", "" },
		{ "abcabcabd", "abcabd" },
	};
	unsigned int seed = 15, i, k;
	char s[64], p[16];

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		ck_assert_int_eq(cmp_s(SHRIKE_CMP_CONTAINS, fixed[i][1], fixed[i][0]),
				 naive_find(fixed[i][0], strlen(fixed[i][0]), fixed[i][1],
					    strlen(fixed[i][1]), 0));
	for (i = 0; i < 20000; i++) {
		unsigned int n = rand_r(&seed) % 40, m = 1 + rand_r(&seed) % 8;
		unsigned int alpha = 2 + i % 3, ci = i % 2;

		for (k = 0; k < n; k++)
			s[k] = (char)((ci && rand_r(&seed) % 2 ? 'A' : 'a') +
				      rand_r(&seed) % alpha);
		s[n] = 0;
		for (k = 0; k < m; k++)
			p[k] = (char)((ci && rand_r(&seed) % 2 ? 'A' : 'a') +
				      rand_r(&seed) % alpha);
		p[m] = 0;
		/* Half the time the pattern is cut from the value. */
		if (n >= m && i % 4 < 2)
			memcpy(p, s + rand_r(&seed) % (n - m + 1), m);
		ck_assert_msg(cmp_s(ci ? SHRIKE_CMP_ICONTAINS : SHRIKE_CMP_CONTAINS, p, s) ==
				      naive_find(s, n, p, m, (int)ci),
			      "%scontains \"%s\" in \"%s\"", ci ? "i" : "", p, s);
	}
}
END_TEST

/*
 * Issue 15, item 5: the per-event work budget. The pathological cases on a
 * 4000-byte value are decided exactly without a budget (the agent); with
 * one, what the budget cannot pay for is UNKNOWN and the budget is left 0,
 * never a long loop; what it can pay for costs what the charge says.
 */
START_TEST(work_budget)
{
	static char val[4001], pat[4097];
	struct shrike_val v;
	u32 w;

	memset(val, 'a', 4000);
	v = sval(val);
	/* contains: "a" x 2000 then "b" does not occur; Two-Way is linear. */
	memset(pat, 'a', 2000);
	pat[2000] = 'b';
	pat[2001] = 0;
	run_work = NULL;
	ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_CONTAINS, pat, 2001, &v), F);
	w = 65536;
	run_work = &w;
	ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_CONTAINS, pat, 2001, &v), F);
	ck_assert_uint_eq(w, 65536 - 1 - (2 * 4000 + 3 * 2001));
	w = 10000;
	ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_CONTAINS, pat, 2001, &v), U);
	ck_assert_uint_eq(w, 0);

	/* glob "*" "a" x 2000 "b": ~4M steps of backtracking. */
	pat[0] = '*';
	memset(pat + 1, 'a', 2000);
	pat[2001] = 'b';
	pat[2002] = 0;
	run_work = NULL;
	ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_GLOB, pat, 2002, &v), F);
	w = 65536;
	run_work = &w;
	ck_assert_int_eq(cmp_b(F_STR, SHRIKE_CMP_GLOB, pat, 2002, &v), U);
	ck_assert_uint_eq(w, 0);
	/* A glob the budget pays for is still decided: TRUE and FALSE. */
	w = 65536;
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_GLOB, "/etc/*", "/etc/shadow"), T);
	ck_assert_int_eq(cmp_s(SHRIKE_CMP_GLOB, "/etc/*", "/tmp/shadow"), F);
	ck_assert_uint_lt(w, 65536);
	ck_assert_uint_gt(w, 65536 - 64);

	/* Each test costs a unit: a budget of 1 runs the first test only. */
	{
		struct tablebuf *tb = tb_new();
		struct th_insn p[] = {
			TEST_(SHRIKE_CMP_EQ, F_STR, NA, 0),
			TEST_(SHRIKE_CMP_EQ, F_STR, NA, 0),
			OR_,
			RET_,
		};
		struct fake fk = { .n = 0 };
		struct shrike_val b = sval("bash");

		p[0].operand = p[1].operand = tb_cstring(tb, "zsh");
		fake_set(&fk, F_STR, SHRIKE_FETCH_OK, &b);
		w = 1;
		ck_assert_int_eq(run(tb, p, 4, &fk), U);
		ck_assert_int_eq(fk.calls, 1);
	}
	run_work = NULL;
}
END_TEST

Suite *make_eval_suite(void)
{
	Suite *s = suite_create("eval");
	TCase *tc = tcase_create("eval");

	tcase_add_test(tc, strings);
	tcase_add_test(tc, sets);
	tcase_add_test(tc, integers);
	tcase_add_test(tc, addresses);
	tcase_add_test(tc, lists);
	tcase_add_test(tc, any_of_values);
	tcase_add_test(tc, regex_and_exists);
	tcase_add_test(tc, kleene);
	tcase_add_test(tc, missing_vs_unknown);
	tcase_add_test(tc, short_circuit);
	tcase_add_test(tc, globs);
	tcase_add_test(tc, contains_two_way);
	tcase_add_test(tc, work_budget);
	suite_add_tcase(s, tc);
	return s;
}
