/* codegen_int.h - what the code generator's files share: the emitter that
 * writes a condition's program into a table (codegen_emit.c) and the fields
 * the kernel captures for the agent, used by compile_ruleset (codegen.c).
 * Not an interface: codegen.h is. */
#ifndef SHRIKEC_CODEGEN_INT_H
#define SHRIKEC_CODEGEN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "codegen.h"
#include "tablebuf.h"

struct emitter {
	struct tablebuf *tb;
	struct diag_list *dl;
	const struct diag_item *item;
	int errors;
};

/* What a rule's table entry captures: its output's fields, then its
 * condition's. */
struct captures {
	struct tb_capture v[SHRIKE_MAX_CAPTURES];
	size_t n;
	bool overflow;
};

/* Whether a is a comparison on the field name. */
static inline bool is_field(const struct ast *a, const char *name)
{
	return a->kind == AST_CMP && a->field && !strcmp(a->field, name);
}

/* Emits the program of a (no RET); errors go to e->dl, counted in e->errors. */
void cg_emit(struct emitter *e, const struct ast *a);
/* The %field tokens of the rule's Falco output format into c. */
void cg_capture_output(struct emitter *e, struct captures *c, const struct rule_def *r);
/* The syscall fields the condition a reads into c. */
void cg_capture_cond(struct emitter *e, struct captures *c, const struct ast *a);

#endif
