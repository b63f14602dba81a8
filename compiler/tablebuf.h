/* tablebuf.h - assembles a binary rule table (kmod/uapi/shrike.h, "Table
 * format") for the code generator: pools with interning, programs, rules,
 * and serialization with section layout and checksum. Userspace only.
 *
 * Indices returned are the wire indices the instructions and rules use.
 * Functions returning long give the index (>= 0) or -errno; after the first
 * failure the builder latches the error and tb_serialize() reports it, so a
 * caller may check once at the end. */
#ifndef SHRIKEC_TABLEBUF_H
#define SHRIKEC_TABLEBUF_H

#include <stddef.h>
#include <stdint.h>
#include "../kmod/uapi/shrike.h"

struct tablebuf;

struct tb_bytes {
	const char *ptr;
	size_t len;
};

struct tb_cidr {
	uint8_t family; /* 4 or 6 */
	uint8_t prefix;
	uint8_t addr[16]; /* network order; host bits are cleared */
};

struct tb_capture {
	uint16_t field; /* SHRIKE_F_* */
	uint16_t arg;	/* SHRIKE_ARG_NONE, a level or a STRREFS index */
};

struct tb_rule {
	const char *name; /* NUL-terminated; interned */
	const char *desc;
	const char *output;
	uint32_t prog; /* first insn, from tb_insn() */
	uint32_t prog_len;
	uint8_t source;	  /* SHRIKE_SRC_* */
	uint8_t priority; /* SHRIKE_PRI_* */
	uint16_t flags;	  /* SHRIKE_RF_* */
	uint64_t evtypes[SHRIKE_EVT_BITMAP_WORDS];
	const struct tb_capture *captures;
	size_t ncaptures;
	size_t ncond;		 /* the last ncond captures: condition-only fields */
	const char *const *tags; /* NUL-terminated; interned */
	size_t ntags;
};

struct tablebuf *tb_new(void);
void tb_free(struct tablebuf *tb);

void tb_set_flags(struct tablebuf *tb, uint32_t flags); /* SHRIKE_TF_* */

/* STRREFS index of the bytes, shared with any equal string. */
long tb_string(struct tablebuf *tb, const char *s, size_t len);
long tb_cstring(struct tablebuf *tb, const char *s);
/* INTS index of v (signed values as their two's complement). */
long tb_int(struct tablebuf *tb, uint64_t v);
/*
 * SETS index of a set of strings; members are sorted and deduplicated, and
 * identical sets are shared. For `in` on an integer field the members must
 * be canonical decimal ("443", "-1", no leading zeros or '+'): the evaluator
 * formats the value that way and looks it up.
 */
long tb_set(struct tablebuf *tb, const struct tb_bytes *items, size_t n);
/*
 * SETS index of a CIDR set for address comparisons (=, !=, in): an empty
 * string set plus one CIDRS entry per network. A plain address is a /32
 * or /128.
 */
long tb_cidr_set(struct tablebuf *tb, const struct tb_cidr *c, size_t n);

/* Appends one instruction; returns its absolute index in INSNS. */
long tb_insn(struct tablebuf *tb, uint8_t op, uint8_t cmp, uint16_t field, uint16_t arg,
	     uint16_t operand);
/* Points the JF/JT at insn to land on target (> insn): operand = target - insn - 1. */
int tb_patch_jump(struct tablebuf *tb, long insn, long target);
/* Number of instructions so far: the index the next tb_insn() returns. */
long tb_ninsns(const struct tablebuf *tb);
/* The op and operand of instruction insn; -ERANGE if there is none. */
int tb_insn_get(const struct tablebuf *tb, long insn, uint8_t *op, uint16_t *operand);

/* Appends a rule; returns its index. */
long tb_rule(struct tablebuf *tb, const struct tb_rule *r);

/* A malloc'd table in *out (free() it), ready for shrike_table_verify(). */
int tb_serialize(struct tablebuf *tb, void **out, size_t *len);

#endif
