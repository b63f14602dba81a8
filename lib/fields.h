/* fields.h - the field registry as userspace (shrikec and the agent) sees
 * it: names, types, where each field is evaluated and how its argument is
 * written. The ids, types and locations come from the contract
 * (kmod/uapi/shrike_fields.h). */
#ifndef SHRIKE_LIB_FIELDS_H
#define SHRIKE_LIB_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../kmod/uapi/shrike.h"

struct field_info {
	const char *name; /* "proc.aname" */
	uint16_t id;	  /* SHRIKE_F_* */
	uint8_t type;	  /* SHRIKE_T_* */
	uint8_t where;	  /* SHRIKE_W_KERNEL or SHRIKE_W_AGENT */
	uint8_t source;	  /* SHRIKE_SRC_* */
	uint8_t argkind;  /* SHRIKE_ARGK_* */
	const char *desc;
};

/* Looks up a field by name (without its [arg] or .arg suffix); NULL if unknown. */
const struct field_info *field_lookup(const char *name, size_t len);

/*
 * Splitting a field token into name and argument
 * ===============================================
 * The lexer hands over the whole token as written in a condition or after
 * '%' in an output: "proc.aname[2]", "evt.arg.flags", "jevt.value[/a/b]".
 * The forms are:
 *
 *   NAME            no argument
 *   NAME[ARG]       INDEX, KEY, KEY_OPT and NAME fields. NAME ends at the
 *                   first '['; ARG is everything up to the ']' that ends
 *                   the token, '.', '/' and '*' included
 *                   (container.mount.dest[/var/run/docker.sock])
 *   NAME.ARG        NAME fields only (evt.arg.flags, evt.rawarg.res,
 *                   evt.type.is.open). NAME is the longest registered
 *                   prefix that ends at a '.', so a registered dotted name
 *                   always wins: "evt.abspath.src" is its own field.
 *
 * field_lookup_split() finds the field and stores the length of its name in
 * *namelen: either *namelen == len (no argument) or token[*namelen] is '['
 * or '.'. It returns NULL when no registered name fits ("proc.name.x": proc.name takes
 * no .ARG). Whether the argument suits the field is a separate question,
 * answered by field_arg_error(), so the parser can say "proc.name takes no
 * argument" rather than "unknown field".
 *
 * evt.arg is evaluated in the kernel, but Falco renders some arguments with
 * userspace knowledge (evt.arg.uid=nobody compares a user name); the compiler
 * should treat uid/gid arguments as agent-evaluated.
 */
const struct field_info *field_lookup_split(const char *token, size_t len, size_t *namelen);
/* NULL if the argument written in token[namelen..len) suits the field (or is
 * absent where that is allowed), else a short reason for a diagnostic. */
const char *field_arg_error(const struct field_info *f, const char *token, size_t namelen,
			    size_t len);
/* The argument text of a split token (between the brackets, or after the
 * '.'); *arglen 0 and NULL if there is none. */
const char *field_arg(const char *token, size_t namelen, size_t len, size_t *arglen);
bool field_arg_required(const struct field_info *f);
/* A whole token split and checked: its field, with *arg and *arglen as
 * field_arg() gives them; NULL if no field fits or field_arg_error()
 * objects to the argument. */
const struct field_info *field_lookup_token(const char *token, size_t len, const char **arg,
					    size_t *arglen);

/* An evt.arg name that holds a user id (1: uid, euid, ruid, suid, fsuid), a
 * group id (0: gid, egid, ...) or neither (-1). libsinsp prints these
 * resolved to the name; the kernel knows only the number. */
int field_arg_id_kind(const char *arg, size_t len);

/* Names for messages and listings: "string", "kernel", "syscall", "[N]". */
const char *field_type_name(unsigned int type);
const char *field_where_name(unsigned int where);
const char *field_source_name(unsigned int source);
const char *field_argkind_syntax(unsigned int argkind);
/* Iterates the registry: fields_count() entries, field_at(i). */
size_t fields_count(void);
const struct field_info *field_at(size_t i);
/* Looks up an event type by Falco name ("openat"); -1 if unknown. */
int evtype_lookup(const char *name, size_t len);
const char *evtype_name(int id);
size_t evtypes_count(void);

/* `shrikec fields`: every field with its type, where it is evaluated, source
 * and description; a table grouped by class like `falco --list`, or JSON. */
void fields_print(FILE *f, bool json);
/* The same for one source (SHRIKE_SRC_*, -1: all); names_only: one field
 * name a line (Falco's --list -N). */
void fields_print_source(FILE *f, bool json, bool names_only, int source);

#endif
