// SPDX-License-Identifier: GPL-2.0
/*
 * fieldtab.c - the field registry as data, so the verifier and evaluator look
 * a field's type, location, source and argument kind up by id instead of
 * keeping their own copy of the list.
 */
#include "table.h"

#define SHRIKE_FIELD_DESC_(id, nm, ty, wh, src, argk, desc)		\
	[SHRIKE_F_##id] = {						\
		.name = nm,						\
		.type = SHRIKE_T_##ty,					\
		.where = SHRIKE_W_##wh,					\
		.source = SHRIKE_SRC_##src,				\
		.argkind = SHRIKE_ARGK_##argk,				\
	},

const struct shrike_field_desc shrike_fields[__SHRIKE_F_MAX] = {
	SHRIKE_FIELDS(SHRIKE_FIELD_DESC_)
};
