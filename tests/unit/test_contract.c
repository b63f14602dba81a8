/* test_contract.c - the contract header's wire layout. These numbers are the
 * ABI: a change here breaks every deployed agent or module, so it must come
 * with a SHRIKE_ABI_VERSION bump and a change of these expectations. */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include "kmod/uapi/shrike.h"

START_TEST(test_struct_sizes)
{
	ck_assert_uint_eq(sizeof(struct shrike_table_hdr), 24);
	ck_assert_uint_eq(sizeof(struct shrike_section), 12);
	ck_assert_uint_eq(sizeof(struct shrike_strref), 8);
	ck_assert_uint_eq(sizeof(struct shrike_set), 8);
	ck_assert_uint_eq(sizeof(struct shrike_cidr), 24);
	ck_assert_uint_eq(sizeof(struct shrike_insn), 8);
	ck_assert_uint_eq(sizeof(struct shrike_capture), 4);
	ck_assert_uint_eq(sizeof(struct shrike_rule), 104);
	ck_assert_uint_eq(offsetof(struct shrike_rule, evtypes), 40);
	ck_assert_uint_eq(offsetof(struct shrike_insn, operand), 6);
}
END_TEST

START_TEST(test_wire_numbers)
{
	ck_assert_int_eq(SHRIKE_CMD_GET_INFO, 1);
	ck_assert_int_eq(SHRIKE_CMD_LOAD_TABLE, 2);
	ck_assert_int_eq(SHRIKE_CMD_UNLOAD_TABLE, 3);
	ck_assert_int_eq(SHRIKE_A_ABI_VERSION, 1);
	ck_assert_int_eq(SHRIKE_A_TABLE, 4);
	ck_assert_int_eq(SHRIKE_A_TABLE_OFFSET, 8);
	ck_assert_int_eq(SHRIKE_SEC_STRINGS, 1);
	ck_assert_int_eq(SHRIKE_SEC_TAGS, 10);
	ck_assert_int_eq(SHRIKE_CMP_EQ, 0);
	ck_assert_int_eq(SHRIKE_CMP_REGEX, 18);
	ck_assert_int_eq(SHRIKE_OP_RET, 7);
	ck_assert_int_eq(SHRIKE_PRI_DEBUG, 7);
	ck_assert_uint_eq(SHRIKE_TABLE_MAGIC, 0x4b524853u);
	/* The magic reads "SHRK" in the little-endian file. */
	ck_assert_int_eq(memcmp("SHRK", &(unsigned int){ SHRIKE_TABLE_MAGIC }, 4), 0);
}
END_TEST

START_TEST(test_limits_fit_encoding)
{
	/* Operands and args are 16 bits wide: every pool the verifier allows
	 * must be addressable by them. */
	ck_assert_uint_le(SHRIKE_MAX_STRREFS, 0xffff);
	ck_assert_uint_le(SHRIKE_MAX_SETS, 0xffff);
	ck_assert_uint_lt(__SHRIKE_F_MAX, 0xffff);
	ck_assert_uint_le(__SHRIKE_EVT_MAX, SHRIKE_EVT_BITMAP_WORDS * 64);
	/* A chunk must fit one netlink attribute (16-bit length with header). */
	ck_assert_uint_le(SHRIKE_CHUNK_MAX + 4, 0xffff);
}
END_TEST

#define NAME_(id, name, ...) name,
static const char *const field_names[] = { SHRIKE_FIELDS(NAME_) };
static const char *const event_names[] = { SHRIKE_EVENTS(NAME_) };
#undef NAME_

START_TEST(test_registry_names_unique)
{
	size_t i, j, nf = sizeof(field_names) / sizeof(field_names[0]);
	size_t ne = sizeof(event_names) / sizeof(event_names[0]);

	ck_assert_uint_eq(nf, __SHRIKE_F_MAX);
	ck_assert_uint_eq(ne, __SHRIKE_EVT_MAX);
	for (i = 0; i < nf; i++)
		for (j = i + 1; j < nf; j++)
			ck_assert_msg(strcmp(field_names[i], field_names[j]), "field %s twice",
				      field_names[i]);
	for (i = 0; i < ne; i++)
		for (j = i + 1; j < ne; j++)
			ck_assert_msg(strcmp(event_names[i], event_names[j]), "event %s twice",
				      event_names[i]);
}
END_TEST

Suite *make_contract_suite(void)
{
	Suite *s = suite_create("contract");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, test_struct_sizes);
	tcase_add_test(tc, test_wire_numbers);
	tcase_add_test(tc, test_limits_fit_encoding);
	tcase_add_test(tc, test_registry_names_unique);
	suite_add_tcase(s, tc);
	return s;
}
