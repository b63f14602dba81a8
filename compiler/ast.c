/* ast.c - condition tree helpers: allocation, deep copy, and the canonical
 * printer used by tests and `shrikec explain`. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"
#include "../kmod/common/table.h"
#include "../kmod/uapi/shrike.h"

struct ast *ast_new(enum ast_kind kind, struct src_loc loc)
{
	struct ast *a = calloc(1, sizeof(*a));
	if (a) {
		a->kind = kind;
		a->loc = loc;
		a->field_loc = loc;
	}
	return a;
}

struct ast *ast_binary(enum ast_kind kind, struct ast *l, struct ast *r, struct src_loc loc)
{
	struct ast *a = ast_new(kind, loc);
	if (!a) {
		ast_free(l);
		ast_free(r);
		return NULL;
	}
	a->l = l;
	a->r = r;
	return a;
}

void ast_values_free(struct ast_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].str);
	free(v);
}

void ast_free(struct ast *a)
{
	/* Iterate down the left spine: long and/or chains are left-deep. */
	while (a) {
		struct ast *next = a->l;
		ast_free(a->r);
		free(a->field);
		free(a->arg);
		ast_values_free(a->values, a->nvalues);
		free(a);
		a = next;
	}
}

int ast_add_value(struct ast *a, const char *str, size_t len, bool quoted, struct src_loc loc)
{
	struct ast_value *v = realloc(a->values, (a->nvalues + 1) * sizeof(*v));
	if (!v)
		return -1;
	a->values = v;
	v = &a->values[a->nvalues];
	v->str = malloc(len + 1);
	if (!v->str)
		return -1;
	memcpy(v->str, str, len);
	v->str[len] = 0;
	v->len = len;
	v->quoted = quoted;
	v->loc = loc;
	a->nvalues++;
	return 0;
}

struct ast *ast_clone(const struct ast *a)
{
	if (!a)
		return NULL;
	struct ast *c = malloc(sizeof(*c));
	if (!c)
		return NULL;
	*c = *a;
	c->l = c->r = NULL;
	c->field = c->arg = NULL;
	c->values = NULL;
	c->nvalues = 0;
	if ((a->field && !(c->field = strdup(a->field))) || (a->arg && !(c->arg = strdup(a->arg))))
		goto fail;
	for (size_t i = 0; i < a->nvalues; i++)
		if (ast_add_value(c, a->values[i].str, a->values[i].len, a->values[i].quoted,
				  a->values[i].loc))
			goto fail;
	if ((a->l && !(c->l = ast_clone(a->l))) || (a->r && !(c->r = ast_clone(a->r))))
		goto fail;
	return c;
fail:
	ast_free(c);
	return NULL;
}

/* One spelling table for the compiler and the verifier's messages. */
const char *ast_op_str(int op)
{
	return op >= 0 ? shrike_cmp_name((unsigned int)op) : "?";
}

/* Same sets as the condition lexer's bare strings and bare field args. */
static bool bare_ok(const char *s, size_t len, const char *forbidden)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f || strchr(forbidden, c))
			return false;
	}
	return true;
}

static void print_quoted(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '"': fputs("\\\"", f); break;
		/* The lexer, as Falco's, ends the string at the first quote
		 * not preceded by a backslash: a final backslash is written as
		 * "\ ", which also reads as one backslash. */
		case '\\': fputs(i + 1 == len ? "\\ " : "\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default: fputc(s[i], f);
		}
	}
	fputc('"', f);
}

static void print_value(FILE *f, const struct ast_value *v)
{
	if (bare_ok(v->str, v->len, "()\"'=,"))
		fwrite(v->str, 1, v->len, f);
	else
		print_quoted(f, v->str, v->len);
}

static void print_chain(FILE *f, const struct ast *a, enum ast_kind k)
{
	if (a->kind == k) {
		print_chain(f, a->l, k);
		fputs(k == AST_AND ? " and " : " or ", f);
		print_chain(f, a->r, k);
	} else {
		ast_print(f, a);
	}
}

void ast_print(FILE *f, const struct ast *a)
{
	if (!a) {
		fputs("<null>", f);
		return;
	}
	switch (a->kind) {
	case AST_AND:
	case AST_OR:
		fputc('(', f);
		print_chain(f, a, a->kind);
		fputc(')', f);
		break;
	case AST_NOT:
		/* "not not x" would read back as x: the lexer folds a run of
		 * nots into one negation or none. */
		if (a->l && a->l->kind == AST_NOT) {
			fputs("not (", f);
			ast_print(f, a->l);
			fputc(')', f);
			break;
		}
		fputs("not ", f);
		ast_print(f, a->l);
		break;
	case AST_CONST:
		fputs(a->truth == SHRIKE_V_TRUE	   ? "true"
		      : a->truth == SHRIKE_V_FALSE ? "false"
						   : "unknown",
		      f);
		break;
	case AST_MACRO: fputs(a->field ? a->field : "?", f); break;
	case AST_CMP:
		fputs(a->field ? a->field : "?", f);
		/* evt.arg.NAME, as Falco spells it: libsinsp reads evt.arg[X]
		 * as an index. */
		if (a->arg && a->field &&
		    (!strcmp(a->field, "evt.arg") || !strcmp(a->field, "evt.rawarg")) &&
		    !isdigit((unsigned char)a->arg[0]) &&
		    bare_ok(a->arg, strlen(a->arg), "[]\"'().,=")) {
			fprintf(f, ".%s", a->arg);
		} else if (a->arg) {
			fputc('[', f);
			if (bare_ok(a->arg, strlen(a->arg), "[]\"'"))
				fputs(a->arg, f);
			else
				print_quoted(f, a->arg, strlen(a->arg));
			fputc(']', f);
		}
		fprintf(f, " %s", ast_op_str(a->op));
		if (a->op == SHRIKE_CMP_EXISTS)
			break;
		fputc(' ', f);
		if (a->is_list) {
			fputc('(', f);
			for (size_t i = 0; i < a->nvalues; i++) {
				if (i)
					fputs(", ", f);
				print_value(f, &a->values[i]);
			}
			fputc(')', f);
		} else if (a->nvalues) {
			print_value(f, &a->values[0]);
		}
		break;
	}
}

char *ast_to_string(const struct ast *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	ast_print(f, a);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
