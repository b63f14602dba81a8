/* compile_helpers.h - shared by the compile suite's files (test_compile.c,
 * test_compile_emit.c, test_optimize.c): rules in YAML, loaded without
 * errors, compiled into a table that verifies, diagnostics as text. */
#ifndef SHRIKE_TEST_COMPILE_HELPERS_H
#define SHRIKE_TEST_COMPILE_HELPERS_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/codegen.h"
#include "compiler/loader.h"
#include "kmod/common/table.h"

/* The condition starts at line 5, column 14: error positions below count
 * from there. */
#define RULE(name, cond) \
	"- rule: " name "\n  desc: d\n  output: o\n  priority: INFO\n  condition: " cond "\n"

static inline struct ruleset *load(const char *yaml)
{
	struct ruleset *rs = ruleset_new();

	ck_assert_ptr_nonnull(rs);
	ruleset_load_string(rs, "t.yaml", yaml, strlen(yaml));
	ruleset_finish(rs);
	if (ruleset_errors(rs))
		diag_print_all(stderr, &rs->diags);
	ck_assert_int_eq(ruleset_errors(rs), 0);
	return rs;
}

struct compiled {
	struct ruleset *rs;
	void *buf;
	size_t len;
	struct shrike_table t;
	struct diag_list dl;
};

/* Loads yaml and compiles it with o into c: no errors, and a table that
 * verifies. */
static inline void compile_verified(struct compiled *c, const char *yaml,
				    const struct compile_opts *o)
{
	struct shrike_verr e;

	c->rs = load(yaml);
	diag_list_init(&c->dl);
	if (compile_ruleset(c->rs, o, &c->buf, &c->len, &c->dl) < 0)
		diag_print_all(stderr, &c->dl);
	ck_assert_int_eq(c->dl.nerrors, 0);
	ck_assert_ptr_nonnull(c->buf);
	ck_assert_msg(shrike_table_verify(c->buf, (u32)c->len, &c->t, &e) == 0, "verify: %s",
		      e.msg);
}

static inline void compiled_free(struct compiled *c)
{
	free(c->buf);
	diag_list_free(&c->dl);
	ruleset_free(c->rs);
}

/* "CODE line:col message" per diagnostic, one a line. */
static inline char *diag_lines(const struct diag_list *dl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (size_t i = 0; i < dl->n; i++)
		fprintf(f, "%s %d:%d %s\n", diag_code_str(dl->v[i].code), dl->v[i].loc.line,
			dl->v[i].loc.col, dl->v[i].msg);
	fclose(f);
	return buf;
}

#define EXPECT_DIAGS(dl, want)              \
	do {                                \
		char *_g = diag_lines(dl);  \
		ck_assert_str_eq(_g, want); \
		free(_g);                   \
	} while (0)

#endif
