/* fields.h - the compiler's view of the field registry: names, types, where
 * each field is evaluated and how its argument is written. The ids, types and
 * locations come from the contract (kmod/uapi/shrike_fields.h). */
#ifndef SHRIKEC_FIELDS_H
#define SHRIKEC_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include "../kmod/uapi/shrike.h"

struct field_info {
	const char *name;	/* "proc.aname" */
	uint16_t id;		/* SHRIKE_F_* */
	uint8_t type;		/* SHRIKE_T_* */
	uint8_t where;		/* SHRIKE_W_KERNEL or SHRIKE_W_AGENT */
	uint8_t source;		/* SHRIKE_SRC_* */
	uint8_t argkind;	/* SHRIKE_ARGK_* */
	const char *desc;
};

/* Looks up a field by name (without its [arg] or .arg suffix); NULL if unknown. */
const struct field_info *field_lookup(const char *name, size_t len);
/* Iterates the registry: fields_count() entries, field_at(i). */
size_t fields_count(void);
const struct field_info *field_at(size_t i);
/* Looks up an event type by Falco name ("openat"); -1 if unknown. */
int evtype_lookup(const char *name, size_t len);
const char *evtype_name(int id);

#endif
