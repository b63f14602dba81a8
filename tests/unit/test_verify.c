/* test_verify.c - the table verifier: good tables pass, and each hand-made
 * bad table is rejected for its own reason (errno, message and offset), so a
 * regression that rejects for the wrong reason is caught too. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "table_helpers.h"
#include "tests/crafted.h"

static int F_U64, F_BOOL, F_NAMEARG;

static void setup(void)
{
	F_U64 = th_need_field(SHRIKE_T_U64, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE);
	F_BOOL =
		th_need_field(SHRIKE_T_BOOL, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE);
	F_NAMEARG = th_need_field(ANY, ANY, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NAME);
}

/*
 * Pools every program test can rely on: STRREFS 0 "bash", 1 "b", 2 "a";
 * INTS 0 = 5, 1 = 2; SETS 0 {"a","b"}, 1 a CIDR set {10.0.0.0/8}.
 */
static struct tablebuf *base_pools(void)
{
	struct tablebuf *tb = tb_new();
	struct tb_bytes m[] = { { "b", 1 }, { "a", 1 } };
	struct tb_cidr c = { .family = 4, .prefix = 8, .addr = { 10 } };

	ck_assert_ptr_nonnull(tb);
	ck_assert_int_eq(tb_cstring(tb, "bash"), 0);
	ck_assert_int_eq(tb_int(tb, 5), 0);
	ck_assert_int_eq(tb_int(tb, 2), 1);
	ck_assert_int_eq(tb_set(tb, m, 2), 0);
	ck_assert_int_eq(tb_cidr_set(tb, &c, 1), 1);
	return tb;
}

/* A good table: two rules, captures, tags, every section. */
static uint8_t *good_table(size_t *len)
{
	struct tablebuf *tb = base_pools();
	static const struct th_insn p0[] = {
		TEST_(SHRIKE_CMP_EQ, SHRIKE_F_PROC_NAME, NA, 0),
		JF_(2),
		TEST_(SHRIKE_CMP_IN, SHRIKE_F_PROC_ANAME, 2, 0),
		AND_,
		RET_,
	};
	struct th_insn p1[] = {
		TEST_(SHRIKE_CMP_GT, F_U64, NA, 0),
		NOT_,
		RET_,
	};
	struct tb_capture caps[] = { { SHRIKE_F_PROC_NAME, NA }, { SHRIKE_F_PROC_ANAME, 1 } };
	const char *tags[] = { "process", "mitre_execution" };
	struct tb_rule r;
	uint8_t *buf;

	th_rule(tb, "first rule", SHRIKE_SRC_SYSCALL, 0, p0, 5);
	memset(&r, 0, sizeof(r));
	r.name = "second rule";
	r.desc = "d";
	r.output = "o";
	r.prog = tb_ninsns(tb);
	r.prog_len = 3;
	r.priority = SHRIKE_PRI_NOTICE;
	r.flags = SHRIKE_RF_ENABLED | SHRIKE_RF_ENTRY;
	r.evtypes[0] = 1u << SHRIKE_EVT_OPENAT;
	r.captures = caps;
	r.ncaptures = 2;
	r.tags = tags;
	r.ntags = 2;
	for (size_t i = 0; i < 3; i++)
		tb_insn(tb, p1[i].op, p1[i].cmp, p1[i].field, p1[i].arg, p1[i].operand);
	ck_assert_int_eq(tb_rule(tb, &r), 1);
	buf = th_serialize(tb, len);
	tb_free(tb);
	return buf;
}

static void expect(const uint8_t *buf, size_t len, int err, const char *msg)
{
	struct shrike_table t;
	struct shrike_verr e;
	int r = shrike_table_verify(buf, len, &t, &e);

	ck_assert_msg(r == err, "got %d (%s), want %d (%s)", r, e.msg, err, msg);
	ck_assert_int_eq(e.err, err);
	ck_assert_str_eq(e.msg, msg);
}

/* Verifies a table of the base pools and one rule running prog. */
static void expect_prog(const struct th_insn *prog, size_t n, uint8_t source, uint16_t flags,
			int err, const char *msg)
{
	struct tablebuf *tb = base_pools();
	uint8_t *buf;
	size_t len;

	th_rule(tb, "r", source, flags, prog, n);
	buf = th_serialize(tb, &len);
	tb_free(tb);
	expect(buf, len, err, msg);
	free(buf);
}

START_TEST(good_tables)
{
	struct shrike_table t;
	struct shrike_verr e;
	size_t len;
	uint8_t *buf = good_table(&len);
	const char *s;
	u32 sl;

	ck_assert_int_eq(shrike_table_verify(buf, len, &t, &e), 0);
	ck_assert_int_eq(t.nrules, 2);
	ck_assert_int_eq(t.ncidrs, 1);
	ck_assert_int_eq(t.nsets, 2);
	ck_assert_int_eq(t.ninsns, 8);
	ck_assert_uint_eq(t.checksum, shrike_fnv1a(buf + 24, len - 24));
	s = shrike_rule_name(&t, shrike_rule_at(&t, 1), &sl);
	ck_assert_int_eq(sl, 11);
	ck_assert(!memcmp(s, "second rule", 11));
	s = shrike_rule_tag(&t, shrike_rule_at(&t, 1), 1, &sl);
	ck_assert(sl == 15 && !memcmp(s, "mitre_execution", 15));
	ck_assert_ptr_null(shrike_rule_at(&t, 2));
	ck_assert_int_eq(le16toh(shrike_rule_capture(&t, shrike_rule_at(&t, 1), 1)->arg), 1);
	ck_assert(shrike_rule_has_evtype(shrike_rule_at(&t, 1), SHRIKE_EVT_OPENAT));
	ck_assert(!shrike_rule_has_evtype(shrike_rule_at(&t, 1), SHRIKE_EVT_OPEN));
	free(buf);

	/* An empty table (no rules) is a valid table. */
	{
		struct tablebuf *tb = tb_new();

		buf = th_serialize(tb, &len);
		tb_free(tb);
		ck_assert_int_eq(shrike_table_verify(buf, len, &t, NULL), 0);
		ck_assert_int_eq(t.nrules, 0);
		ck_assert_ptr_null(t.cidrs);
		free(buf);
	}
}
END_TEST

START_TEST(header)
{
	size_t len;
	uint8_t *buf = good_table(&len), *big;
	uint8_t *copy = malloc(len + 8);
	char msg[80];

	expect(buf, 10, -EINVAL, "table of 10 bytes is shorter than its header");

	memcpy(copy, buf, len);
	copy[0] ^= 1;
	snprintf(msg, sizeof(msg), "bad magic 0x%08x", SHRIKE_TABLE_MAGIC ^ 1);
	expect(copy, len, -EINVAL, msg);

	memcpy(copy, buf, len);
	th_put16(copy + 4, 2);
	expect(copy, len, -EOPNOTSUPP, "table format 2, expected 1");

	memcpy(copy, buf, len);
	th_put16(copy + 6, 9);
	expect(copy, len, -EOPNOTSUPP, "table abi 9, module abi 1");

	memcpy(copy, buf, len);
	snprintf(msg, sizeof(msg), "total_len %zu but %zu bytes given", len, len - 8);
	expect(copy, len - 8, -EINVAL, msg);

	memcpy(copy, buf, len);
	copy[len - 1] ^= 0x40;
	{
		struct shrike_verr e;
		struct shrike_table t;

		ck_assert_int_eq(shrike_table_verify(copy, len, &t, &e), -EINVAL);
		ck_assert_int_eq(e.offset, 12);
		ck_assert(!strncmp(e.msg, "checksum 0x", 11));
	}

	memcpy(copy, buf, len);
	th_put32(copy + 16, 0x6);
	expect(copy, len, -EOPNOTSUPP, "unknown table flags 0x6");
	th_put32(copy + 16, SHRIKE_TF_MATCH_ALL);
	expect(copy, len, 0, "");

	memcpy(copy, buf, len);
	th_put32(copy + 20, 17);
	expect(copy, len, -E2BIG, "17 sections, at most 16");

	/* Over the size limit: checked before anything else is read. */
	big = calloc(1, SHRIKE_MAX_TABLE_SIZE + 8);
	memcpy(big, buf, len);
	th_put32(big + 8, SHRIKE_MAX_TABLE_SIZE + 8);
	snprintf(msg, sizeof(msg), "table of %u bytes is over the limit of %u",
		 SHRIKE_MAX_TABLE_SIZE + 8, SHRIKE_MAX_TABLE_SIZE);
	expect(big, SHRIKE_MAX_TABLE_SIZE + 8, -E2BIG, msg);
	free(big);

	/* The caller's buffer must be aligned: sections are read in place. */
	memcpy(copy + 4, buf, len);
	expect(copy + 4, len, -EINVAL, "table buffer not 8-byte aligned");

	free(copy);
	free(buf);
}
END_TEST

/* Section entry i of a serialized table. */
static uint8_t *sec_entry(uint8_t *buf, int i)
{
	return buf + sizeof(struct shrike_table_hdr) + i * sizeof(struct shrike_section);
}

static int sec_index(uint8_t *buf, uint32_t type)
{
	int i;

	for (i = 0; i < 16; i++)
		if (le32toh(*(uint32_t *)sec_entry(buf, i)) == type)
			return i;
	return -1;
}

START_TEST(sections)
{
	size_t len;
	uint8_t *buf = good_table(&len);
	uint8_t *c = malloc(len);
	int strrefs = sec_index(buf, SHRIKE_SEC_STRREFS);
	int tags = sec_index(buf, SHRIKE_SEC_TAGS);
	int ints = sec_index(buf, SHRIKE_SEC_INTS);
	uint32_t nsec = le32toh(*(uint32_t *)(buf + 20));
	char msg[80];

#define RESET() memcpy(c, buf, len)
	RESET();
	th_put32(sec_entry(c, 0), 11);
	th_fix_checksum(c, len);
	expect(c, len, -EOPNOTSUPP, "section 0: unknown type 11");

	RESET();
	th_put32(sec_entry(c, 0), 0);
	th_fix_checksum(c, len);
	expect(c, len, -EOPNOTSUPP, "section 0: unknown type 0");

	RESET();
	th_put32(sec_entry(c, tags), SHRIKE_SEC_STRREFS);
	th_fix_checksum(c, len);
	snprintf(msg, sizeof(msg), "section %d: duplicate STRREFS section", tags);
	expect(c, len, -EINVAL, msg);

	RESET();
	th_put32(sec_entry(c, strrefs) + 4, le32toh(*(uint32_t *)(sec_entry(c, strrefs) + 4)) + 4);
	th_fix_checksum(c, len);
	snprintf(msg, sizeof(msg), "section STRREFS: offset %u not 8-byte aligned",
		 le32toh(*(uint32_t *)(sec_entry(c, strrefs) + 4)));
	expect(c, len, -EINVAL, msg);

	RESET();
	th_put32(sec_entry(c, strrefs) + 4, 8);
	th_fix_checksum(c, len);
	expect(c, len, -ERANGE, "section STRREFS: offset 8 inside the header");

	RESET();
	th_put32(sec_entry(c, tags) + 8, 0x7ffffff0);
	th_fix_checksum(c, len);
	{
		struct shrike_verr e;
		struct shrike_table t;

		ck_assert_int_eq(shrike_table_verify(c, len, &t, &e), -ERANGE);
		ck_assert(strstr(e.msg, "section TAGS: 2147483632 bytes at"));
		ck_assert(strstr(e.msg, "past the end of the table"));
		ck_assert_int_eq(e.offset, 24 + 12 * tags + 8);
	}
	/* Overflow-safe: off + len wraps around 2^32. */
	RESET();
	th_put32(sec_entry(c, tags) + 8, 0xfffffff8);
	th_fix_checksum(c, len);
	{
		struct shrike_verr e;
		struct shrike_table t;

		ck_assert_int_eq(shrike_table_verify(c, len, &t, &e), -ERANGE);
	}

	RESET();
	th_put32(sec_entry(c, strrefs) + 8, 12);
	th_fix_checksum(c, len);
	expect(c, len, -EINVAL, "section STRREFS: length 12 not a multiple of 8");

	/* Drop the last section entry: TAGS goes missing. */
	RESET();
	ck_assert_int_eq(tags, (int)nsec - 1);
	th_put32(c + 20, nsec - 1);
	th_fix_checksum(c, len);
	expect(c, len, -EINVAL, "missing TAGS section");

	/* INTS grows into the section after it. */
	RESET();
	th_put32(sec_entry(c, ints) + 8, le32toh(*(uint32_t *)(sec_entry(c, ints) + 8)) + 8);
	th_fix_checksum(c, len);
	expect(c, len, -EINVAL, "section SETS overlaps the one before it");

	/* A byte in the padding after the section table. */
	RESET();
	{
		uint32_t end = 24 + 12 * nsec;

		if (end % 8) {
			c[end] = 1;
			th_fix_checksum(c, len);
			snprintf(msg, sizeof(msg), "nonzero padding byte at %u", end);
			expect(c, len, -EINVAL, msg);
		}
	}
	/* Shrinking a section leaves unowned, nonzero bytes. */
	RESET();
	th_put32(sec_entry(c, ints) + 8, 8);
	th_fix_checksum(c, len);
	snprintf(msg, sizeof(msg), "nonzero padding byte at %u",
		 le32toh(*(uint32_t *)(sec_entry(c, ints) + 4)) + 8);
	expect(c, len, -EINVAL, msg);
#undef RESET
	free(c);
	free(buf);
}
END_TEST

/* Mutates a good table's section record, fixes the checksum and expects. */
static void mutate(uint32_t sec, uint32_t at, const void *bytes, size_t n, int err, const char *msg)
{
	size_t len;
	uint8_t *buf = good_table(&len);

	memcpy(th_section(buf, sec, NULL) + at, bytes, n);
	th_fix_checksum(buf, len);
	expect(buf, len, err, msg);
	free(buf);
}

static void mutate32(uint32_t sec, uint32_t at, uint32_t v, int err, const char *msg)
{
	v = htole32(v);
	mutate(sec, at, &v, 4, err, msg);
}

START_TEST(pools)
{
	size_t len;
	uint8_t *buf = good_table(&len);
	uint32_t slen, n;
	char msg[80];

	th_section(buf, SHRIKE_SEC_STRINGS, &slen);
	/* "bash" may end exactly at the end of the pool, not one byte past. */
	mutate32(SHRIKE_SEC_STRREFS, 0, slen - 4, 0, "");
	snprintf(msg, sizeof(msg), "strref 0: 4 bytes at %u past the string pool", slen - 3);
	mutate32(SHRIKE_SEC_STRREFS, 0, slen - 3, -ERANGE, msg);
	mutate32(SHRIKE_SEC_STRREFS, 12, 4097, -E2BIG, "strref 1: length 4097 over 4096");
	/* Wrapping off + len. */
	mutate32(SHRIKE_SEC_STRREFS, 8, 0xffffffff, -ERANGE,
		 "strref 1: 1 bytes at 4294967295 past the string pool");

	th_section(buf, SHRIKE_SEC_STRREFS, &n);
	snprintf(msg, sizeof(msg), "setitem 0: strref %u out of range", n / 8);
	mutate32(SHRIKE_SEC_SETITEMS, 0, n / 8, -ERANGE, msg);
	/* SETITEMS is [2 "a", 1 "b"]: duplicates, then swapped. */
	mutate32(SHRIKE_SEC_SETITEMS, 0, 1, -EINVAL, "set 0: member 1 not sorted or duplicate");
	mutate32(SHRIKE_SEC_SETITEMS, 4, 2, -EINVAL, "set 0: member 1 not sorted or duplicate");
	{
		uint32_t sw[2] = { htole32(1), htole32(2) };

		mutate(SHRIKE_SEC_SETITEMS, 0, sw, 8, -EINVAL,
		       "set 0: member 1 not sorted or duplicate");
	}
	/* Longer sorts after shorter, whatever the bytes: "bash" after "b". */
	mutate32(SHRIKE_SEC_SETITEMS, 0, 0, -EINVAL, "set 0: member 1 not sorted or duplicate");
	mutate32(SHRIKE_SEC_SETS, 4, 3, -ERANGE, "set 0: members 0..3 past SETITEMS");
	mutate32(SHRIKE_SEC_SETS, 0, 0xffffffff, -ERANGE,
		 "set 0: members 4294967295..1 past SETITEMS");
	mutate32(SHRIKE_SEC_SETS, 4, 8193, -E2BIG, "set 0: 8193 members, at most 8192");
	/* Set 1 (the CIDR set, no members) starts inside set 0's members. */
	mutate32(SHRIKE_SEC_SETS, 8, 1, -EINVAL,
		 "set 1: starts at member 1, inside set 0 (sets ascend, disjoint)");

	{
		uint8_t b = 5;

		mutate(SHRIKE_SEC_CIDRS, 0, &b, 1, -EOPNOTSUPP, "cidr 0: unknown family 5");
		b = 33;
		mutate(SHRIKE_SEC_CIDRS, 1, &b, 1, -ERANGE, "cidr 0: prefix /33 too long for IPv4");
		b = 1;
		mutate(SHRIKE_SEC_CIDRS, 3, &b, 1, -EINVAL, "cidr 0: nonzero padding");
		mutate(SHRIKE_SEC_CIDRS, 9, &b, 1, -EINVAL, "cidr 0: host bits set past /8");
		/* IPv4 leaves addr[4..15] zero. */
		mutate(SHRIKE_SEC_CIDRS, 8 + 15, &b, 1, -EINVAL, "cidr 0: host bits set past /8");
	}
	mutate32(SHRIKE_SEC_CIDRS, 4, 2, -ERANGE, "cidr 0: set 2 out of range");

	th_section(buf, SHRIKE_SEC_STRREFS, &n);
	snprintf(msg, sizeof(msg), "tag 1: strref %u out of range", n / 8);
	mutate32(SHRIKE_SEC_TAGS, 4, n / 8, -ERANGE, msg);

	{
		uint16_t f = htole16(__SHRIKE_F_MAX);

		snprintf(msg, sizeof(msg), "capture 1: unknown field %d", __SHRIKE_F_MAX);
		mutate(SHRIKE_SEC_CAPTURES, 4, &f, 2, -EOPNOTSUPP, msg);
		f = htole16(7);
		mutate(SHRIKE_SEC_CAPTURES, 2, &f, 2, -EINVAL,
		       "capture 0: field proc.name takes no argument");
	}
	free(buf);
}
END_TEST

/*
 * Issue 15: sets over overlapping windows of one pool string
 * (tests/crafted.h). Overlapping sets are refused at once; a single set of
 * 4096 windows, each compare charged its 4096 bytes, runs out of the budget
 * of 64 bytes read per table byte plus 1 MiB at the member computed here.
 */
START_TEST(set_compare_budget)
{
	uint32_t k, work = 0, budget;
	uint8_t *buf;
	size_t len;
	char msg[96];

	buf = craft_set_windows(65535, 1, &len);
	ck_assert_ptr_nonnull(buf);
	expect(buf, len, -EINVAL,
	       "set 1: starts at member 0, inside set 0 (sets ascend, disjoint)");
	free(buf);

	buf = craft_set_windows(1, 0, &len);
	ck_assert_ptr_nonnull(buf);
	budget = (uint32_t)len * 64 + (1u << 20);
	for (k = 1; k < CRAFT_WINDOWS; k++) {
		work += CRAFT_WINDOWS;
		if (work > budget)
			break;
	}
	ck_assert_uint_lt(k, CRAFT_WINDOWS);
	snprintf(msg, sizeof(msg), "set 0: member %u: compares read over %u bytes (64/table byte)",
		 k, budget);
	expect(buf, len, -E2BIG, msg);

	/* The first 256 windows alone are within the budget, and accepted. */
	th_put32(th_section(buf, SHRIKE_SEC_SETS, NULL) + 4, 256);
	th_fix_checksum(buf, len);
	expect(buf, len, 0, "");
	free(buf);
}
END_TEST

/*
 * Issue 15, item 5: a glob pattern whose '[' never closes is refused (each
 * character of a value would parse the rest of the pattern again); shrikec
 * writes such a literal '[' as "[[]" (tests/cli).
 */
START_TEST(glob_unclosed)
{
	static const struct th_insn prog[] = { TEST_(SHRIKE_CMP_GLOB, SHRIKE_F_PROC_NAME, NA, 3),
					       RET_ };
	struct tablebuf *tb = base_pools();
	uint8_t *buf;
	size_t len;

	ck_assert_int_eq(tb_cstring(tb, "x*[ab"), 3);
	th_rule(tb, "r", SHRIKE_SRC_SYSCALL, 0, prog, 2);
	buf = th_serialize(tb, &len);
	tb_free(tb);
	expect(buf, len, -EINVAL, "rule 0: insn 0: glob: '[' at 2 never closed");
	free(buf);

	tb = base_pools();
	ck_assert_int_eq(tb_cstring(tb, "x*[[]ab"), 3);
	th_rule(tb, "r", SHRIKE_SRC_SYSCALL, 0, prog, 2);
	buf = th_serialize(tb, &len);
	tb_free(tb);
	expect(buf, len, 0, "");
	free(buf);
	ck_assert_uint_eq(shrike_glob_unclosed("a[]]b[c", 7), 5);
	ck_assert_uint_eq(shrike_glob_unclosed("[!]x]", 5), 5);
}
END_TEST

/* Offsets inside struct shrike_rule for the second rule (index 1). */
#define R1(field) (sizeof(struct shrike_rule) + offsetof(struct shrike_rule, field))

START_TEST(rules)
{
	size_t len;
	uint8_t *buf = good_table(&len);
	uint32_t n, ninsns;
	char msg[80];
	uint8_t b;
	uint16_t h;

	th_section(buf, SHRIKE_SEC_STRREFS, &n);
	snprintf(msg, sizeof(msg), "rule 1: name strref %u out of range", n / 8);
	mutate32(SHRIKE_SEC_RULES, R1(name), n / 8, -ERANGE, msg);
	snprintf(msg, sizeof(msg), "rule 1: desc strref %u out of range", n / 8);
	mutate32(SHRIKE_SEC_RULES, R1(desc), n / 8, -ERANGE, msg);
	snprintf(msg, sizeof(msg), "rule 1: output strref %u out of range", n / 8);
	mutate32(SHRIKE_SEC_RULES, R1(output), n / 8, -ERANGE, msg);
	b = __SHRIKE_SRC_MAX;
	mutate(SHRIKE_SEC_RULES, R1(source), &b, 1, -EOPNOTSUPP, "rule 1: unknown source 2");
	b = __SHRIKE_PRI_MAX;
	mutate(SHRIKE_SEC_RULES, R1(priority), &b, 1, -EOPNOTSUPP, "rule 1: unknown priority 8");
	h = htole16(0x31);
	mutate(SHRIKE_SEC_RULES, R1(flags), &h, 2, -EOPNOTSUPP, "rule 1: unknown flags 0x30");
	b = 1;
	mutate(SHRIKE_SEC_RULES, R1(reserved) + 1, &b, 1, -EINVAL, "rule 1: nonzero padding");
	/* The second rule has 2 captures: all may be condition-only, not 3. */
	h = htole16(2);
	mutate(SHRIKE_SEC_RULES, R1(ncond), &h, 2, 0, "");
	h = htole16(3);
	mutate(SHRIKE_SEC_RULES, R1(ncond), &h, 2, -ERANGE, "rule 1: 3 condition captures of 2");
	if (__SHRIKE_EVT_MAX < 512) {
		uint64_t w = htole64(1ull << 63);

		mutate(SHRIKE_SEC_RULES, R1(evtypes) + 56, &w, 8, -EOPNOTSUPP,
		       "rule 1: unknown event type 511");
	}
	mutate32(SHRIKE_SEC_RULES, R1(prog_len), 0, -EINVAL, "rule 1: empty program");
	mutate32(SHRIKE_SEC_RULES, R1(prog_len), 4097, -E2BIG,
		 "rule 1: program of 4097 insns, at most 4096");
	th_section(buf, SHRIKE_SEC_INSNS, &ninsns);
	ninsns /= 8;
	mutate32(SHRIKE_SEC_RULES, R1(prog_len), 4, -ERANGE, "rule 1: program 5..9 past INSNS (8)");
	mutate32(SHRIKE_SEC_RULES, R1(prog), 0xfffffffe, -ERANGE,
		 "rule 1: program 4294967294..1 past INSNS (8)");
	mutate32(SHRIKE_SEC_RULES, R1(prog), 4, -EINVAL,
		 "rule 1: program overlaps the previous rule's");
	h = htole16(65);
	mutate(SHRIKE_SEC_RULES, R1(ncaptures), &h, 2, -E2BIG, "rule 1: 65 captures, at most 64");
	h = htole16(3);
	mutate(SHRIKE_SEC_RULES, R1(ncaptures), &h, 2, -ERANGE,
	       "rule 1: captures 0..3 past CAPTURES (2)");
	h = htole16(33);
	mutate(SHRIKE_SEC_RULES, R1(ntags), &h, 2, -E2BIG, "rule 1: 33 tags, at most 32");
	mutate32(SHRIKE_SEC_RULES, R1(tags), 1, -ERANGE, "rule 1: tags 1..3 past TAGS (2)");
	free(buf);

	/* Name length: empty and too long. */
	{
		static const struct th_insn p[] = { PUSH_(1), RET_ };
		char name[SHRIKE_NAME_MAX + 2];
		struct tablebuf *tb;

		tb = base_pools();
		th_rule(tb, "", SHRIKE_SRC_SYSCALL, 0, p, 2);
		buf = th_serialize(tb, &len);
		tb_free(tb);
		expect(buf, len, -EINVAL, "rule 0: empty name");
		free(buf);

		memset(name, 'n', sizeof(name));
		name[SHRIKE_NAME_MAX + 1] = 0;
		tb = base_pools();
		th_rule(tb, name, SHRIKE_SRC_SYSCALL, 0, p, 2);
		buf = th_serialize(tb, &len);
		tb_free(tb);
		expect(buf, len, -E2BIG, "rule 0: name of 257 bytes, at most 256");
		free(buf);

		name[SHRIKE_NAME_MAX] = 0;
		tb = base_pools();
		th_rule(tb, name, SHRIKE_SRC_SYSCALL, 0, p, 2);
		buf = th_serialize(tb, &len);
		tb_free(tb);
		expect(buf, len, 0, "");
		free(buf);
	}
}
END_TEST

START_TEST(programs_ops)
{
	int i;

	{
		static const struct th_insn q[] = { PUSH_(1), { 8, 0, 0, 0, 0 }, RET_ };

		expect_prog(q, 3, 0, 0, -EOPNOTSUPP, "rule 0: insn 1: unknown opcode 8");
	}
	{
		static const struct th_insn q[] = { PUSH_(3), RET_ };

		expect_prog(q, 2, 0, 0, -EINVAL, "rule 0: insn 0: bad constant 3");
	}
	{
		static const struct th_insn q[] = { PUSH_(1), { SHRIKE_OP_NOT, 0, 5, 0, 0 }, RET_ };

		expect_prog(q, 3, 0, 0, -EINVAL, "rule 0: insn 1: nonzero cmp/field/arg");
	}
	{
		static const struct th_insn q[] = { PUSH_(1), { SHRIKE_OP_NOT, 0, 0, 0, 1 }, RET_ };

		expect_prog(q, 3, 0, 0, -EINVAL, "rule 0: insn 1: nonzero operand");
	}
	{
		static const struct th_insn q[] = { PUSH_(1), AND_, RET_ };

		expect_prog(q, 3, 0, 0, -EINVAL, "rule 0: insn 1: stack underflow");
	}
	{
		static const struct th_insn q[] = { NOT_, RET_ };

		expect_prog(q, 2, 0, 0, -EINVAL, "rule 0: insn 0: stack underflow");
	}
	{
		static const struct th_insn q[] = { JT_(0), PUSH_(1), RET_ };

		expect_prog(q, 3, 0, 0, -EINVAL, "rule 0: insn 0: stack underflow");
	}
	{
		static const struct th_insn q[] = { RET_ };

		expect_prog(q, 1, 0, 0, -EINVAL, "rule 0: insn 0: stack underflow");
	}
	{
		static const struct th_insn q[] = { PUSH_(1), PUSH_(1), RET_ };

		expect_prog(q, 3, 0, 0, -EINVAL, "rule 0: insn 2: 2 values on the stack at RET");
	}
	{
		static const struct th_insn q[] = { PUSH_(1), RET_, PUSH_(0), RET_ };

		expect_prog(q, 4, 0, 0, -EINVAL,
			    "rule 0: insn 1: RET before the end of the program");
	}
	{
		static const struct th_insn q[] = { PUSH_(1), NOT_ };

		expect_prog(q, 2, 0, 0, -EINVAL, "rule 0: program does not end with RET");
	}
	/* The stack limit: 32 values are fine, 33 are not. */
	{
		struct th_insn q[66];

		for (i = 0; i < 32; i++)
			q[i] = (struct th_insn)PUSH_(2);
		for (i = 32; i < 63; i++)
			q[i] = (struct th_insn)OR_;
		q[63] = (struct th_insn)RET_;
		expect_prog(q, 64, 0, 0, 0, "");
		for (i = 0; i < 33; i++)
			q[i] = (struct th_insn)PUSH_(2);
		for (i = 33; i < 65; i++)
			q[i] = (struct th_insn)OR_;
		q[65] = (struct th_insn)RET_;
		expect_prog(q, 66, 0, 0, -E2BIG, "rule 0: insn 32: stack deeper than 32");
	}
}
END_TEST

START_TEST(programs_jumps)
{
	{
		/* a and b, a or b, with the jumps a compiler emits. */
		static const struct th_insn q[] = {
			PUSH_(1), JF_(2), PUSH_(0), AND_, JT_(2), PUSH_(2), OR_, RET_,
		};

		expect_prog(q, 8, 0, 0, 0, "");
	}
	{
		static const struct th_insn q[] = { PUSH_(1), JF_(2), PUSH_(0), RET_ };

		expect_prog(q, 4, 0, 0, -ERANGE, "rule 0: insn 1: jump out of program");
	}
	{
		/* Lands on RET: allowed. */
		static const struct th_insn q[] = { PUSH_(1), JF_(2), PUSH_(0), AND_, RET_ };

		expect_prog(q, 5, 0, 0, 0, "");
	}
	{
		/* Jump carries depth 1, fall-through arrives with 2. */
		static const struct th_insn q[] = { PUSH_(1), JF_(1), PUSH_(0), PUSH_(0),
						    AND_,     AND_,   RET_ };

		expect_prog(q, 7, 0, 0, -EINVAL,
			    "rule 0: insn 3: stack depth 2 here, 1 from a jump");
	}
	{
		/* Two jumps to one target with different depths. */
		static const struct th_insn q[] = {
			PUSH_(1), JF_(4), PUSH_(1), JF_(2), PUSH_(1), AND_, AND_, RET_,
		};

		expect_prog(q, 8, 0, 0, -EINVAL,
			    "rule 0: insn 3: jump to 6 with depth 2, another with 1");
	}
	{
		/* Nested pending jumps, as in a and (b and (c and d)). */
		static const struct th_insn q[] = {
			PUSH_(1), JF_(8), PUSH_(1), JF_(5), PUSH_(1), JF_(2),
			PUSH_(1), AND_,	  AND_,	    AND_,   RET_,
		};

		expect_prog(q, 11, 0, 0, 0, "");
	}
}
END_TEST

START_TEST(programs_tests)
{
	char msg[128];
	int fk8s = SHRIKE_F_KA_VERB, fagent = SHRIKE_F_USER_NAME;
	int fip = th_need_field(SHRIKE_T_IPADDR, ANY, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE);
	int fkey = th_field(ANY, ANY, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_KEY);

	{
		struct th_insn q[] = { TEST_(__SHRIKE_CMP_MAX, SHRIKE_F_PROC_NAME, NA, 0), RET_ };

		snprintf(msg, sizeof(msg), "rule 0: insn 0: unknown comparison %d",
			 __SHRIKE_CMP_MAX);
		expect_prog(q, 2, 0, 0, -EOPNOTSUPP, msg);
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_EQ, __SHRIKE_F_MAX, NA, 0), RET_ };

		snprintf(msg, sizeof(msg), "rule 0: insn 0: unknown field %d", __SHRIKE_F_MAX);
		expect_prog(q, 2, 0, 0, -EOPNOTSUPP, msg);
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_LT, SHRIKE_F_PROC_NAME, NA, 0), RET_ };

		expect_prog(q, 2, 0, 0, -EINVAL,
			    "rule 0: insn 0: '<' not valid on string field proc.name");
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_CONTAINS, F_U64, NA, 0), RET_ };

		snprintf(msg, sizeof(msg),
			 "rule 0: insn 0: 'contains' not valid on integer field %s",
			 shrike_fields[F_U64].name);
		expect_prog(q, 2, 0, 0, -EINVAL, msg);
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_GE, F_BOOL, NA, 0), RET_ };

		snprintf(msg, sizeof(msg), "rule 0: insn 0: '>=' not valid on bool field %s",
			 shrike_fields[F_BOOL].name);
		expect_prog(q, 2, 0, 0, -EINVAL, msg);
	}
	{
		/* INTS 0 is 5: not a bool. */
		struct th_insn q[] = { TEST_(SHRIKE_CMP_EQ, F_BOOL, NA, 0), RET_ };

		expect_prog(q, 2, 0, 0, -EINVAL, "rule 0: insn 0: bool compared with 5");
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_STARTSWITH, fip, NA, 0), RET_ };

		snprintf(msg, sizeof(msg),
			 "rule 0: insn 0: 'startswith' not valid on address field %s",
			 shrike_fields[fip].name);
		expect_prog(q, 2, 0, 0, -EINVAL, msg);
	}
	{
		/* An address "in" a CIDR set is fine; SETS has 2 entries. */
		struct th_insn q[] = { TEST_(SHRIKE_CMP_IN, fip, NA, 1), RET_ };

		expect_prog(q, 2, 0, 0, 0, "");
		q[0].operand = 2;
		expect_prog(q, 2, 0, 0, -ERANGE, "rule 0: insn 0: operand 2 out of SETS (2)");
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_EQ, F_U64, NA, 2), RET_ };

		expect_prog(q, 2, 0, 0, -ERANGE, "rule 0: insn 0: operand 2 out of INTS (2)");
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_EQ, SHRIKE_F_PROC_NAME, NA, 999), RET_ };

		expect_prog(q, 2, 0, 0, -ERANGE, "rule 0: insn 0: operand 999 out of STRREFS (6)");
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_EXISTS, SHRIKE_F_PROC_NAME, NA, 1), RET_ };

		expect_prog(q, 2, 0, 0, -EINVAL, "rule 0: insn 0: 'exists' takes no operand");
		q[0].operand = 0;
		expect_prog(q, 2, 0, 0, 0, "");
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_EQ, SHRIKE_F_PROC_NAME, 0, 0), RET_ };

		expect_prog(q, 2, 0, 0, -EINVAL,
			    "rule 0: insn 0: field proc.name takes no argument");
	}
	{
		/* proc.aname: any level, or none. */
		struct th_insn q[] = { TEST_(SHRIKE_CMP_EQ, SHRIKE_F_PROC_ANAME, 40000, 0), RET_ };

		expect_prog(q, 2, 0, 0, 0, "");
		q[0].arg = NA;
		expect_prog(q, 2, 0, 0, 0, "");
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_EXISTS, F_NAMEARG, NA, 0), RET_ };

		snprintf(msg, sizeof(msg), "rule 0: insn 0: field %s needs an argument",
			 shrike_fields[F_NAMEARG].name);
		expect_prog(q, 2, 0, SHRIKE_RF_NEEDS_AGENT, -EINVAL, msg);
		q[0].arg = 999;
		snprintf(msg, sizeof(msg), "rule 0: insn 0: field %s argument strref out of range",
			 shrike_fields[F_NAMEARG].name);
		expect_prog(q, 2, 0, SHRIKE_RF_NEEDS_AGENT, -ERANGE, msg);
		q[0].arg = 1;
		expect_prog(q, 2, 0, SHRIKE_RF_NEEDS_AGENT, 0, "");
	}
	if (fkey >= 0) {
		struct th_insn q[] = { TEST_(SHRIKE_CMP_EXISTS, fkey, NA, 0), RET_ };

		snprintf(msg, sizeof(msg), "rule 0: insn 0: field %s needs an argument",
			 shrike_fields[fkey].name);
		expect_prog(q, 2, 0, SHRIKE_RF_NEEDS_AGENT, -EINVAL, msg);
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_EQ, fk8s, NA, 0), RET_ };

		expect_prog(q, 2, SHRIKE_SRC_SYSCALL, SHRIKE_RF_NEEDS_AGENT, -EINVAL,
			    "rule 0: insn 0: ka.verb is not a syscall field");
		expect_prog(q, 2, SHRIKE_SRC_K8S_AUDIT, SHRIKE_RF_NEEDS_AGENT, 0, "");
		expect_prog(q, 2, SHRIKE_SRC_K8S_AUDIT, 0, -EINVAL,
			    "rule 0: insn 0: agent-only field ka.verb without NEEDS_AGENT");
		q[0].field = SHRIKE_F_PROC_NAME;
		expect_prog(q, 2, SHRIKE_SRC_K8S_AUDIT, 0, -EINVAL,
			    "rule 0: insn 0: proc.name is not a k8s_audit field");
	}
	{
		struct th_insn q[] = { TEST_(SHRIKE_CMP_EQ, fagent, NA, 0), RET_ };

		expect_prog(q, 2, 0, 0, -EINVAL,
			    "rule 0: insn 0: agent-only field user.name without NEEDS_AGENT");
	}
	{
		/* Every comparison accepted on strings, with its operand pool. */
		static const uint8_t strs[] = {
			SHRIKE_CMP_EQ,		SHRIKE_CMP_NE,	       SHRIKE_CMP_CONTAINS,
			SHRIKE_CMP_ICONTAINS,	SHRIKE_CMP_BCONTAINS,  SHRIKE_CMP_STARTSWITH,
			SHRIKE_CMP_BSTARTSWITH, SHRIKE_CMP_ENDSWITH,   SHRIKE_CMP_GLOB,
			SHRIKE_CMP_IGLOB,	SHRIKE_CMP_REGEX,      SHRIKE_CMP_PMATCH,
			SHRIKE_CMP_IN,		SHRIKE_CMP_INTERSECTS,
		};
		size_t i;

		for (i = 0; i < sizeof(strs); i++) {
			struct th_insn q[] = { TEST_(strs[i], SHRIKE_F_PROC_NAME, NA, 1), RET_ };

			expect_prog(q, 2, 0, 0, 0, "");
		}
	}
}
END_TEST

Suite *make_verify_suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("verify");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, good_tables);
	tcase_add_test(tc, header);
	tcase_add_test(tc, sections);
	tcase_add_test(tc, pools);
	tcase_add_test(tc, set_compare_budget);
	tcase_add_test(tc, glob_unclosed);
	tcase_add_test(tc, rules);
	tcase_add_test(tc, programs_ops);
	tcase_add_test(tc, programs_jumps);
	tcase_add_test(tc, programs_tests);
	suite_add_tcase(s, tc);
	return s;
}
