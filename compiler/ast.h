/* ast.h - the parsed, fully expanded form of a rule condition. */
#ifndef SHRIKEC_AST_H
#define SHRIKEC_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../lib/diag.h"

enum ast_kind {
	AST_AND,   /* l and r */
	AST_OR,	   /* l or r */
	AST_NOT,   /* not l */
	AST_CMP,   /* field op values */
	AST_CONST, /* constant truth value (folded), in .truth */
	AST_MACRO, /* unexpanded macro reference, name in .field; only in
			 * parser output, never in a loaded rule's cond */
};

struct ast_value {
	char *str; /* unquoted, escapes resolved */
	size_t len;
	bool quoted;
	struct src_loc loc;
};

struct ast {
	enum ast_kind kind;
	struct src_loc loc; /* first token of this node */
	struct ast *l, *r;  /* AND/OR: both; NOT: l */

	/* AST_CMP */
	char *field; /* "proc.aname", without the argument */
	char *arg;   /* "2" for proc.aname[2], "flags" for evt.arg.flags,
				 * "/a/b" for jevt.value[/a/b]; NULL if none */
	struct src_loc field_loc;
	int op;			  /* SHRIKE_CMP_* */
	struct ast_value *values; /* list operators: lists expanded, nested flattened */
	size_t nvalues;
	bool is_list; /* right-hand side was a (list) */

	/* AST_CONST */
	int truth; /* SHRIKE_V_FALSE / SHRIKE_V_TRUE */
};

void ast_free(struct ast *a);

/* Helpers (ast.c). Allocation failures return NULL. */
struct ast *ast_new(enum ast_kind kind, struct src_loc loc);
struct ast *ast_binary(enum ast_kind kind, struct ast *l, struct ast *r, struct src_loc loc);
struct ast *ast_clone(const struct ast *a);
void ast_values_free(struct ast_value *v, size_t n);
/* Appends a copy of str[0..len) to a->values; -1 on allocation failure. */
int ast_add_value(struct ast *a, const char *str, size_t len, bool quoted, struct src_loc loc);
/* Operator spelling, "=" for SHRIKE_CMP_EQ ...; "?" if unknown. */
const char *ast_op_str(int op);

/* Canonical text form: AND/OR in parentheses (chains of the same operator
 * flattened), "not X", "field[arg] op value", lists as (a, b), values
 * double-quoted when they are not a plain bare word. Parses back to the
 * same tree. */
void ast_print(FILE *f, const struct ast *a);
char *ast_to_string(const struct ast *a); /* malloc'd; NULL on failure */

#endif
