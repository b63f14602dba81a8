/* crafted.h - hostile tables for the verifier's work bound (issue 15, item 4),
 * made the same way for the unit suite (test_verify.c) and for the VM's table
 * scenario (shrike-nltest craft), which sends them to shrike.ko.
 *
 * Strings may share pool bytes, so a small table can name many long strings:
 * P = "a" x 4095 then "b" opens the pool, and strrefs 1..4096 are rewritten
 * to the pool's windows [o, o + 4096), o = 0..4095: all 4096 bytes long and
 * ascending (window o has its first "b" one byte later than window o + 1),
 * so a set of them is sorted and comparing neighbours reads kilobytes each.
 * Set 0 holds the 4096 windows; sets 1..nsets-1 are empty (CIDR sets with no
 * network). With overlap, every set is rewritten to set 0's members: 65,535
 * such sets cost ~10^11 byte compares to check, which is what the verifier
 * must now refuse at once. Header only: no library beyond libshrike. */
#ifndef SHRIKE_TESTS_CRAFTED_H
#define SHRIKE_TESTS_CRAFTED_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <endian.h>
#include "kmod/common/table.h"
#include "compiler/tablebuf.h"

#define CRAFT_WINDOWS 4096

static inline uint8_t *craft_section(uint8_t *buf, uint32_t type)
{
	const struct shrike_table_hdr *h = (const void *)buf;
	const struct shrike_section *s = (const void *)(h + 1);
	uint32_t i;

	for (i = 0; i < le32toh(h->nsections); i++)
		if (le32toh(s[i].type) == type)
			return buf + le32toh(s[i].off);
	return NULL;
}

static inline void craft_put32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

/* The table (malloc'd, *len bytes), or NULL when the builder fails. */
static inline uint8_t *craft_set_windows(uint32_t nsets, int overlap, size_t *len)
{
	enum { W = CRAFT_WINDOWS };
	struct tablebuf *tb = tb_new();
	struct tb_bytes m[W];
	char two[W][2], p[W];
	uint8_t *buf = NULL, *refs, *sets;
	uint32_t poff, k, h;
	void *out;

	if (!tb)
		return NULL;
	memset(p, 'a', W - 1);
	p[W - 1] = 'b';
	if (tb_string(tb, p, W) != 0)
		goto out;
	/* Members interned in their sorted order: big-endian k + 256. */
	for (k = 0; k < W; k++) {
		two[k][0] = (char)((k + 256) >> 8);
		two[k][1] = (char)((k + 256) & 0xff);
		m[k].ptr = two[k];
		m[k].len = 2;
	}
	if (tb_set(tb, m, W) != 0)
		goto out;
	for (k = 1; k < nsets; k++)
		if (tb_cidr_set(tb, NULL, 0) != (long)k)
			goto out;
	if (tb_serialize(tb, &out, len))
		goto out;
	buf = out;
	refs = craft_section(buf, SHRIKE_SEC_STRREFS);
	memcpy(&poff, refs, 4);
	poff = le32toh(poff);
	for (k = 0; k < W; k++) {
		craft_put32(refs + (1 + k) * 8, poff + k);
		craft_put32(refs + (1 + k) * 8 + 4, W);
	}
	sets = craft_section(buf, SHRIKE_SEC_SETS);
	for (k = 1; overlap && k < nsets; k++) {
		craft_put32(sets + k * 8, 0);
		craft_put32(sets + k * 8 + 4, W);
	}
	h = htole32(shrike_fnv1a(buf + sizeof(struct shrike_table_hdr),
				 (uint32_t)(*len - sizeof(struct shrike_table_hdr))));
	memcpy(buf + offsetof(struct shrike_table_hdr, checksum), &h, 4);
out:
	tb_free(tb);
	return buf;
}

#endif
