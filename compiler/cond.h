/* cond.h - the Falco condition language: lexer and parser (grammar and
 * lexical rules of libsinsp's filter parser), and the resolution of field
 * names against the field registry. */
#ifndef SHRIKEC_COND_H
#define SHRIKEC_COND_H

#include <stdbool.h>
#include <stddef.h>
#include "ast.h"
#include "../lib/diag.h"

/* Maps a byte offset of the condition text to its position in a file. */
typedef struct src_loc (*cond_locate_fn)(void *ctx, size_t offset);

struct cond_input {
	const char *text;
	size_t len;
	/* NULL: positions are line:col inside the text itself, file `name`. */
	cond_locate_fn locate;
	void *locate_ctx;
	const char *name;
	struct diag_list *dl;	      /* where errors go */
	const struct diag_item *item; /* enclosing item, may be NULL */
	/* Whether a bare string names a list. Falco pastes a list's items in
	 * place of its name before parsing, so a list name may stand where a
	 * number must (fd.sport > my_port); the loader substitutes it. NULL:
	 * no name is a list. */
	bool (*is_list)(void *ctx, const char *name, size_t len);
	void *is_list_ctx;
};

/* Parses a condition. Bare identifiers in condition position become
 * AST_MACRO nodes (nothing is expanded here); list values that name a list
 * stay as written. NULL on error, with an E-PARSE/E-UNSUPPORTED diagnostic at
 * the offending token. Nesting is limited to 1000, as Falco. */
struct ast *cond_parse(const struct cond_input *in);

/* Resolves every AST_CMP field against the registry (field_lookup()): a
 * dotted suffix becomes the argument of fields that take one
 * ("evt.arg.flags" -> field "evt.arg", arg "flags"), arguments are checked
 * against the field's argument kind, and the field must belong to `source`
 * (SHRIKE_SRC_*; -1: any). Unknown fields are E-UNKNOWN-FIELD errors unless
 * unknown_is_ok, in which case they are only counted. fd.ip, fd.net and
 * fd.port comparisons become their client and server halves (either end
 * matches; "!=": both differ). Returns the number of unknown fields, or -1
 * if any other error was reported. */
int cond_resolve_fields(struct ast *a, int source, struct diag_list *dl,
			const struct diag_item *item, bool unknown_is_ok);

/* Operator by spelling ("=", "==", "in", ...): SHRIKE_CMP_*, or -1. */
int cond_op_lookup(const char *s);
/* in, intersects, pmatch: operators taking a list. */
bool cond_op_takes_list(int op);

/* Parses a field reference alone ("proc.aname[2]", for exception fields)
 * into a new AST_CMP with field/arg set; NULL and a diagnostic if invalid. */
struct ast *cond_parse_field(const struct cond_input *in);
/* Parses a parenthesised list "(a, 'b c')" appending its items to a's
 * values; -1 and a diagnostic if invalid. */
int cond_parse_list(const struct cond_input *in, struct ast *a);
/* A list item or exception value as Falco pastes it into a condition: text
 * in quotes is a quoted string (escapes resolved), anything else is taken
 * literally. Appends it to a's values; -1 on allocation failure. */
int cond_add_item(struct ast *a, const char *s, size_t len, struct src_loc loc);

#endif
