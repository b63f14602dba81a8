/* table_helpers.h - shared by the verify and eval suites: build small tables
 * with the builder, find registry fields by kind (the registry grows, so tests
 * never hard-code a field other than the first few), patch raw bytes. */
#ifndef SHRIKE_TEST_TABLE_HELPERS_H
#define SHRIKE_TEST_TABLE_HELPERS_H

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "kmod/common/table.h"
#include "compiler/tablebuf.h"

#define ANY 0xff

/* First field with these properties (ANY matches all), or -1. */
static inline int th_field(int type, int where, int source, int argkind)
{
	int i;

	for (i = 0; i < __SHRIKE_F_MAX; i++) {
		const struct shrike_field_desc *f = &shrike_fields[i];

		if ((type == ANY || f->type == type) && (where == ANY || f->where == where) &&
		    (source == ANY || f->source == source) &&
		    (argkind == ANY || f->argkind == argkind))
			return i;
	}
	return -1;
}

static inline int th_need_field(int type, int where, int source, int argkind)
{
	int f = th_field(type, where, source, argkind);

	ck_assert_msg(f >= 0, "registry has no field of type %d where %d source %d argkind %d",
		      type, where, source, argkind);
	return f;
}

struct th_insn {
	uint8_t op, cmp;
	uint16_t field, arg, operand;
};

#define TEST_(c, f, a, o)                          \
	{                                          \
		SHRIKE_OP_TEST, (c), (f), (a), (o) \
	}
#define PUSH_(v)                             \
	{                                    \
		SHRIKE_OP_PUSH, 0, 0, 0, (v) \
	}
#define NOT_                              \
	{                                 \
		SHRIKE_OP_NOT, 0, 0, 0, 0 \
	}
#define AND_                              \
	{                                 \
		SHRIKE_OP_AND, 0, 0, 0, 0 \
	}
#define OR_                              \
	{                                \
		SHRIKE_OP_OR, 0, 0, 0, 0 \
	}
#define JF_(n)                             \
	{                                  \
		SHRIKE_OP_JF, 0, 0, 0, (n) \
	}
#define JT_(n)                             \
	{                                  \
		SHRIKE_OP_JT, 0, 0, 0, (n) \
	}
#define RET_                              \
	{                                 \
		SHRIKE_OP_RET, 0, 0, 0, 0 \
	}
#define NA SHRIKE_ARG_NONE

/* Appends a rule running prog; returns the rule index. */
static inline long th_rule(struct tablebuf *tb, const char *name, uint8_t source, uint16_t flags,
			   const struct th_insn *prog, size_t n)
{
	struct tb_rule r;
	size_t i;
	long first = tb_ninsns(tb);

	for (i = 0; i < n; i++)
		ck_assert_int_ge(tb_insn(tb, prog[i].op, prog[i].cmp, prog[i].field, prog[i].arg,
					 prog[i].operand),
				 0);
	memset(&r, 0, sizeof(r));
	r.name = name;
	r.desc = "desc";
	r.output = "output %proc.name";
	r.prog = first;
	r.prog_len = n;
	r.source = source;
	r.priority = SHRIKE_PRI_WARNING;
	r.flags = flags | SHRIKE_RF_ENABLED;
	return tb_rule(tb, &r);
}

static inline uint8_t *th_serialize(struct tablebuf *tb, size_t *len)
{
	void *buf;

	ck_assert_int_eq(tb_serialize(tb, &buf, len), 0);
	return buf;
}

static inline void th_fix_checksum(uint8_t *buf, size_t len)
{
	uint32_t h = htole32(shrike_fnv1a(buf + sizeof(struct shrike_table_hdr),
					  len - sizeof(struct shrike_table_hdr)));

	memcpy(buf + offsetof(struct shrike_table_hdr, checksum), &h, 4);
}

/* The body of section type in a serialized table, or NULL. */
static inline uint8_t *th_section(uint8_t *buf, uint32_t type, uint32_t *len)
{
	const struct shrike_table_hdr *h = (const void *)buf;
	const struct shrike_section *s = (const void *)(h + 1);
	uint32_t i;

	if (len)
		*len = 0;
	for (i = 0; i < le32toh(h->nsections); i++)
		if (le32toh(s[i].type) == type) {
			if (len)
				*len = le32toh(s[i].len);
			return buf + le32toh(s[i].off);
		}
	return NULL;
}

static inline void th_put32(void *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static inline void th_put16(void *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, 2);
}

#endif
